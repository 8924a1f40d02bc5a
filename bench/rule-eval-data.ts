// Data and rules for the rule-evaluation benchmark: ~10,000 series shaped like what
// node_exporter, an HTTP service fleet and cAdvisor/kube-state-metrics expose, and 1,000
// rules written the way the node, kubernetes and SLO mixins write them (per-job recording
// rules over several windows, histogram quantiles, ratios, predict_linear alerts, `for`,
// templated annotations). Deterministic: the same arguments give the same data and rules.
import { stringify } from 'yaml';

export interface BenchSeries {
  readonly labels: Record<string, string>;
  /** Value at sample index i (one sample per STEP). */
  readonly value: (i: number) => number;
}

export const STEP_MS = 15_000;

function rnd(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const counter = (rate: number, jitter: number, seed: number) => {
  const r = rnd(seed);
  const per = Array.from({ length: 64 }, () => rate * (1 + jitter * (r() - 0.5)));
  return (i: number) => {
    // Closed form over 64-step cycles so any index is O(1).
    const cycle = per.reduce((a, b) => a + b, 0);
    let v = Math.floor(i / 64) * cycle;
    for (let k = 0; k <= i % 64; k++) v += per[k] as number;
    return Math.round(v * 1000) / 1000;
  };
};

const gauge = (base: number, amp: number, seed: number) => (i: number) => Math.round((base + amp * Math.sin(i / 20 + seed)) * 1000) / 1000;

export const JOBS = Array.from({ length: 20 }, (_, i) => `svc-${String(i).padStart(2, '0')}`);
export const NAMESPACES = Array.from({ length: 10 }, (_, i) => `ns-${i}`);
const NODE_INSTANCES = Array.from({ length: 90 }, (_, i) => `node-${String(i).padStart(2, '0')}:9100`);

/** About 10,000 series. */
export function benchSeries(): BenchSeries[] {
  const out: BenchSeries[] = [];
  let seed = 1;
  const add = (labels: Record<string, string>, value: (i: number) => number) => out.push({ labels, value });
  for (const instance of NODE_INSTANCES) {
    const job = 'node';
    add({ __name__: 'up', job, instance }, () => (instance === 'node-07:9100' ? 0 : 1));
    for (let cpu = 0; cpu < 4; cpu++)
      for (const [mode, share] of [['idle', 0.6], ['user', 0.2], ['system', 0.1], ['iowait', 0.05], ['irq', 0.01], ['softirq', 0.01], ['steal', 0.01], ['nice', 0.02]] as const)
        add({ __name__: 'node_cpu_seconds_total', job, instance, cpu: String(cpu), mode }, counter(15 * share, 0.5, seed++));
    add({ __name__: 'node_load1', job, instance }, gauge(2, 1.5, seed++));
    add({ __name__: 'node_load5', job, instance }, gauge(2, 1, seed++));
    add({ __name__: 'node_load15', job, instance }, gauge(2, 0.5, seed++));
    add({ __name__: 'node_memory_MemTotal_bytes', job, instance }, () => 16e9);
    add({ __name__: 'node_memory_MemAvailable_bytes', job, instance }, gauge(instance.endsWith('3:9100') ? 0.4e9 : 6e9, 1e9, seed++));
    add({ __name__: 'node_vmstat_pgmajfault', job, instance }, counter(30, 0.8, seed++));
    for (const [device, mountpoint] of [['/dev/sda1', '/'], ['/dev/sdb1', '/data'], ['tmpfs', '/run']] as const) {
      const fstype = device === 'tmpfs' ? 'tmpfs' : 'ext4';
      const size = 500e9;
      const fill = instance.endsWith('5:9100') && mountpoint === '/data';
      add({ __name__: 'node_filesystem_size_bytes', job, instance, device, mountpoint, fstype }, () => size);
      add({ __name__: 'node_filesystem_avail_bytes', job, instance, device, mountpoint, fstype }, fill ? (i) => Math.max(1e9, 20e9 - i * 5e6) : gauge(200e9, 1e9, seed++));
      add({ __name__: 'node_filesystem_readonly', job, instance, device, mountpoint, fstype }, () => 0);
    }
    for (const device of ['eth0', 'eth1', 'lo']) {
      add({ __name__: 'node_network_receive_bytes_total', job, instance, device }, counter(1e6, 0.5, seed++));
      add({ __name__: 'node_network_transmit_bytes_total', job, instance, device }, counter(8e5, 0.5, seed++));
      add({ __name__: 'node_network_receive_errs_total', job, instance, device }, counter(instance.endsWith('1:9100') ? 20 : 0.01, 0.5, seed++));
    }
    for (const device of ['sda', 'sdb']) {
      add({ __name__: 'node_disk_io_time_seconds_total', job, instance, device }, counter(3, 0.6, seed++));
      add({ __name__: 'node_disk_read_bytes_total', job, instance, device }, counter(2e6, 0.6, seed++));
      add({ __name__: 'node_disk_written_bytes_total', job, instance, device }, counter(3e6, 0.6, seed++));
    }
  }
  const LES = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '+Inf'];
  for (const [j, job] of JOBS.entries()) {
    for (let n = 0; n < 4; n++) {
      const instance = `${job}-${n}:8080`;
      add({ __name__: 'up', job, instance }, () => 1);
      for (const method of ['GET', 'POST'])
        for (const code of ['200', '404', '500']) {
          const base = code === '200' ? 50 : code === '404' ? 2 : j % 5 === 0 ? 3 : 0.05;
          add({ __name__: 'http_requests_total', job, instance, method, code }, counter(base, 0.6, seed++));
        }
      for (const method of ['GET', 'POST']) {
        const slow = j % 7 === 0 ? 4 : 1;
        LES.forEach((le, k) => add({ __name__: 'http_request_duration_seconds_bucket', job, instance, method, le }, counter(50 * Math.min(1, (k + 1) / (LES.length - 3) / slow), 0.3, seed++)));
        add({ __name__: 'http_request_duration_seconds_count', job, instance, method }, counter(50, 0.3, seed++));
        add({ __name__: 'http_request_duration_seconds_sum', job, instance, method }, counter(50 * 0.12 * slow, 0.3, seed++));
      }
    }
  }
  for (const namespace of NAMESPACES)
    for (let p = 0; p < 15; p++) {
      const pod = `${namespace}-pod-${p}`;
      const node = NODE_INSTANCES[p % NODE_INSTANCES.length]?.split(':')[0] ?? 'node-00';
      for (const container of ['app', 'sidecar']) {
        add({ __name__: 'container_cpu_usage_seconds_total', namespace, pod, container, node, job: 'kubelet' }, counter(container === 'app' ? 0.4 : 0.05, 0.5, seed++));
        add({ __name__: 'container_memory_working_set_bytes', namespace, pod, container, node, job: 'kubelet' }, gauge(container === 'app' ? 4e8 : 5e7, 2e7, seed++));
        add({ __name__: 'kube_pod_container_resource_requests', namespace, pod, container, node, resource: 'cpu', job: 'kube-state-metrics' }, () => (container === 'app' ? 0.5 : 0.1));
        add({ __name__: 'kube_pod_container_resource_requests', namespace, pod, container, node, resource: 'memory', job: 'kube-state-metrics' }, () => (container === 'app' ? 5e8 : 1e8));
        add({ __name__: 'kube_pod_container_resource_limits', namespace, pod, container, node, resource: 'cpu', job: 'kube-state-metrics' }, () => (container === 'app' ? 1 : 0.2));
        add({ __name__: 'kube_pod_container_status_restarts_total', namespace, pod, container, job: 'kube-state-metrics' }, counter(p === 3 ? 0.01 : 0, 0, seed++));
      }
    }
  return out;
}

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** 1,000 rules in mixin-sized groups: { groups: [...] } ready to serialize. */
export function benchRules(total = 1000): { groups: Array<{ name: string; interval?: string; rules: Rule[] }> } {
  const groups: Array<{ name: string; rules: Rule[] }> = [];
  const node: Rule[] = [
    { record: 'instance:node_num_cpu:sum', expr: 'count without (cpu, mode) (node_cpu_seconds_total{job="node",mode="idle"})' },
    { record: 'instance:node_cpu_utilisation:rate5m', expr: '1 - avg without (cpu) (sum without (mode) (rate(node_cpu_seconds_total{job="node", mode=~"idle|iowait|steal"}[5m])))' },
    { record: 'instance:node_load1_per_cpu:ratio', expr: '(node_load1{job="node"} / instance:node_num_cpu:sum{job="node"})' },
    { record: 'instance:node_memory_utilisation:ratio', expr: '1 - (node_memory_MemAvailable_bytes{job="node"} / node_memory_MemTotal_bytes{job="node"})' },
    { record: 'instance:node_vmstat_pgmajfault:rate5m', expr: 'rate(node_vmstat_pgmajfault{job="node"}[5m])' },
    { record: 'instance_device:node_disk_io_time_seconds:rate5m', expr: 'rate(node_disk_io_time_seconds_total{job="node", device=~"(/dev/)?(mmcblk.p.+|nvme.+|rbd.+|sd.+|vd.+|xvd.+|dm-.+|md.+|dasd.+)"}[5m])' },
    { record: 'instance:node_network_receive_bytes_excluding_lo:rate5m', expr: 'sum without (device) (rate(node_network_receive_bytes_total{job="node", device!="lo"}[5m]))' },
    { record: 'instance:node_network_transmit_bytes_excluding_lo:rate5m', expr: 'sum without (device) (rate(node_network_transmit_bytes_total{job="node", device!="lo"}[5m]))' },
    { record: 'cluster:node_cpu:ratio_rate5m', expr: 'avg(instance:node_cpu_utilisation:rate5m)' },
  ];
  groups.push({ name: 'node-exporter.rules', rules: node });
  groups.push({
    name: 'node-exporter',
    rules: [
      {
        alert: 'NodeFilesystemSpaceFillingUp',
        expr: '(node_filesystem_avail_bytes{job="node",fstype!=""} / node_filesystem_size_bytes{job="node",fstype!=""} * 100 < 15 and predict_linear(node_filesystem_avail_bytes{job="node",fstype!=""}[6h], 4*60*60) < 0 and node_filesystem_readonly{job="node",fstype!=""} == 0)',
        for: '1h',
        labels: { severity: 'warning' },
        annotations: { summary: 'Filesystem is predicted to run out of space within the next 4 hours.', description: 'Filesystem on {{ $labels.device }} at {{ $labels.instance }} has only {{ printf "%.2f" $value }}% available space left and is filling up fast.' },
      },
      {
        alert: 'NodeFilesystemAlmostOutOfSpace',
        expr: '(node_filesystem_avail_bytes{job="node",fstype!=""} / node_filesystem_size_bytes{job="node",fstype!=""} * 100 < 5 and node_filesystem_readonly{job="node",fstype!=""} == 0)',
        for: '30m',
        labels: { severity: 'critical' },
        annotations: { summary: 'Filesystem has less than 5% space left.', description: 'Filesystem on {{ $labels.device }} at {{ $labels.instance }} has only {{ printf "%.2f" $value }}% available space left.' },
      },
      { alert: 'NodeNetworkReceiveErrs', expr: 'rate(node_network_receive_errs_total{job="node"}[2m]) / rate(node_network_receive_bytes_total{job="node"}[2m]) > 0.00001', for: '1h', labels: { severity: 'warning' }, annotations: { description: '{{ $labels.instance }} interface {{ $labels.device }} has encountered {{ printf "%.0f" $value }} receive errors in the last two minutes.' } },
      { alert: 'NodeHighLoad', expr: 'instance:node_load1_per_cpu:ratio > 0.9', for: '15m', labels: { severity: 'warning' }, annotations: { summary: 'High load on {{ $labels.instance }}: {{ $value | humanizePercentage }}' } },
      { alert: 'NodeMemoryHighUtilization', expr: 'instance:node_memory_utilisation:ratio * 100 > 90', for: '15m', labels: { severity: 'warning' }, annotations: { description: 'Memory is filling up at {{ $labels.instance }}, has been above 90% for the last 15 minutes, is currently at {{ printf "%.2f" $value }}%.' } },
      { alert: 'NodeDown', expr: 'up{job="node"} == 0', for: '5m', labels: { severity: 'critical' }, annotations: { summary: '{{ $labels.instance }} is down', runbook_url: '{{ externalURL }}/runbooks/node-down' } },
      { alert: 'NodeDiskIOSaturation', expr: 'instance_device:node_disk_io_time_seconds:rate5m > 0.9', for: '30m', labels: { severity: 'warning' } },
      { alert: 'NodeMemoryMajorPagesFaults', expr: 'instance:node_vmstat_pgmajfault:rate5m > 500', for: '15m', labels: { severity: 'warning' } },
    ],
  });
  groups.push({
    name: 'k8s.rules',
    rules: [
      { record: 'node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m', expr: 'sum by (namespace, pod, container, node) (rate(container_cpu_usage_seconds_total{job="kubelet", container!=""}[5m]))' },
      { record: 'node_namespace_pod_container:container_memory_working_set_bytes', expr: 'container_memory_working_set_bytes{job="kubelet", container!=""}' },
      { record: 'namespace:container_cpu_usage_seconds_total:sum_rate', expr: 'sum by (namespace) (node_namespace_pod_container:container_cpu_usage_seconds_total:sum_rate5m)' },
      { record: 'namespace:container_memory_working_set_bytes:sum', expr: 'sum by (namespace) (node_namespace_pod_container:container_memory_working_set_bytes)' },
      { record: 'namespace_cpu:kube_pod_container_resource_requests:sum', expr: 'sum by (namespace) (kube_pod_container_resource_requests{resource="cpu"})' },
      { record: 'namespace_memory:kube_pod_container_resource_requests:sum', expr: 'sum by (namespace) (kube_pod_container_resource_requests{resource="memory"})' },
      { record: 'cluster:namespace:cpu_usage_requests:ratio', expr: 'namespace:container_cpu_usage_seconds_total:sum_rate / on (namespace) namespace_cpu:kube_pod_container_resource_requests:sum' },
    ],
  });
  for (const ns of NAMESPACES) {
    groups.push({
      name: `kubernetes-resources-${ns}`,
      rules: [
        { alert: 'KubeCPUOvercommit', expr: `sum(namespace_cpu:kube_pod_container_resource_requests:sum{namespace="${ns}"}) > 0.9 * sum(kube_pod_container_resource_limits{namespace="${ns}",resource="cpu"})`, for: '10m', labels: { severity: 'warning' } },
        { alert: 'KubePodCrashLooping', expr: `max_over_time(kube_pod_container_status_restarts_total{namespace="${ns}"}[10m]) - min_over_time(kube_pod_container_status_restarts_total{namespace="${ns}"}[10m]) > 0`, for: '15m', labels: { severity: 'warning' }, annotations: { description: 'Pod {{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) is in waiting state.' } },
        { alert: 'CPUThrottlingHigh', expr: `sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{namespace="${ns}", container!=""}[5m])) / on (namespace, pod, container) sum by (namespace, pod, container) (kube_pod_container_resource_limits{namespace="${ns}", resource="cpu"}) > 0.8`, for: '15m', labels: { severity: 'info' }, annotations: { description: '{{ $value | humanizePercentage }} of the CPU limit of container {{ $labels.container }} in pod {{ $labels.pod }}.' } },
        { record: 'namespace_pod:memory_utilisation:ratio', expr: `sum by (namespace, pod) (container_memory_working_set_bytes{namespace="${ns}", container!=""}) / sum by (namespace, pod) (kube_pod_container_resource_requests{namespace="${ns}", resource="memory"})` },
      ],
    });
  }
  let n = groups.reduce((k, g) => k + g.rules.length, 0);
  // Per-service SLO and RED rules (as sloth / the SLO mixins generate them), until `total`.
  const windows = ['5m', '30m', '1h', '2h'];
  for (let round = 0; n < total; round++) {
    for (const job of JOBS) {
      if (n >= total) break;
      const sel = `job="${job}"`;
      // Recorded series of this round only (later rounds add a `round` label).
      const rsel = `${sel},round="${round ? round : ''}"`;
      const rules: Rule[] = [];
      for (const w of windows) {
        rules.push({ record: `job:http_requests:rate${w}`, expr: `sum by (job) (rate(http_requests_total{${sel}}[${w}]))`, labels: round ? { round: String(round) } : {} });
        rules.push({ record: `job:http_request_errors:ratio_rate${w}`, expr: `sum by (job) (rate(http_requests_total{${sel},code=~"5.."}[${w}])) / sum by (job) (rate(http_requests_total{${sel}}[${w}]))`, labels: round ? { round: String(round) } : {} });
      }
      for (const q of ['0.5', '0.9', '0.99']) rules.push({ record: `job:http_request_duration_seconds:p${q.slice(2)}`, expr: `histogram_quantile(${q}, sum by (job, le) (rate(http_request_duration_seconds_bucket{${sel}}[5m])))`, labels: round ? { round: String(round) } : {} });
      rules.push({ record: 'job_method:http_request_duration_seconds:mean5m', expr: `sum by (job, method) (rate(http_request_duration_seconds_sum{${sel}}[5m])) / sum by (job, method) (rate(http_request_duration_seconds_count{${sel}}[5m]))`, labels: round ? { round: String(round) } : {} });
      rules.push({ record: 'instance:http_requests:rate5m', expr: `sum by (job, instance) (rate(http_requests_total{${sel}}[5m]))`, labels: round ? { round: String(round) } : {} });
      rules.push({ record: 'job_code:http_requests:irate1m', expr: `sum by (job, code) (irate(http_requests_total{${sel}}[1m]))`, labels: round ? { round: String(round) } : {} });
      rules.push({
        alert: `${job.replace(/-/g, '')}ErrorBudgetBurn`,
        expr: `job:http_request_errors:ratio_rate5m{${rsel}} > (14.4 * 0.001) and job:http_request_errors:ratio_rate1h{${rsel}} > (14.4 * 0.001)`,
        for: '2m',
        labels: { severity: 'critical', ...(round ? { round: String(round) } : {}) },
        annotations: { summary: '{{ $labels.job }} is burning its error budget', description: 'Error ratio is {{ $value | humanizePercentage }} over the last 5 minutes.' },
      });
      rules.push({
        alert: `${job.replace(/-/g, '')}HighLatency`,
        expr: `job:http_request_duration_seconds:p99{${rsel}} > 0.5`,
        for: '10m',
        labels: { severity: 'warning', ...(round ? { round: String(round) } : {}) },
        annotations: { summary: 'p99 latency of {{ $labels.job }} is {{ humanizeDuration $value }}' },
      });
      rules.push({ alert: `${job.replace(/-/g, '')}TargetDown`, expr: `100 * (count by (job) (up{${sel}} == 0) / count by (job) (up{${sel}})) > 10`, for: '10m', labels: { severity: 'warning', ...(round ? { round: String(round) } : {}) } });
      const room = total - n;
      const take = rules.slice(0, room);
      groups.push({ name: `slo-${job}${round ? `-${round}` : ''}`, rules: take });
      n += take.length;
    }
  }
  return { groups };
}

export function benchRulesYAML(total = 1000): string {
  return stringify(benchRules(total), { lineWidth: 0 });
}

/**
 * Check capacity of the real server: `vigil server` from dist/ with every feature on (checks
 * with results stored, samples in the metrics store, alert state kept, rules evaluated over
 * the probe samples, logs and alerting as configured by default) runs RATE HTTP checks per
 * second (RATE checks, 1 s interval, a new connection per probe) against a loopback target.
 * Side by side, in alternating runs, Debian's blackbox_exporter is driven at the same rate and
 * concurrency the way Prometheus would drive it. Each runs pinned to core 0 (`taskset`); the
 * target and this driver share core 1.
 *
 *   npm run build && node --import tsx bench/scheduler-capacity.ts [--rate 2000] [--seconds 30] [--pairs 2] [--concurrency 256]
 *
 * Vigil's figures come from its own /metrics (scheduling lag histogram, checks run, event loop
 * lag) read before and after the measured window; CPU from /proc for both. Needs
 * `prometheus-blackbox-exporter` (or `blackbox_exporter`) on PATH for the side-by-side half.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from '../test/helpers/services.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '8' },
    pairs: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '256' },
    'vigil-only': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
  },
});
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const PAIRS = Number(values.pairs);
const CONCURRENCY = Number(values.concurrency);
const SUT_CORE = '0';
const DRIVER_CORE = cpus().length > 1 ? '1' : '0';

const bin = fileURLToPath(new URL('../bin/vigil.js', import.meta.url));
if (!existsSync(fileURLToPath(new URL('../dist/app/main.js', import.meta.url)))) {
  console.error('build first: npm run build');
  process.exit(2);
}
const hasTaskset = spawnSync('sh', ['-c', 'command -v taskset']).status === 0;
const pinned = (core: string, cmd: string, args: string[]): [string, string[]] => (hasTaskset ? ['taskset', ['-c', core, cmd, ...args]] : [cmd, args]);
if (hasTaskset) spawnSync('taskset', ['-p', '-c', DRIVER_CORE, String(process.pid)], { stdio: 'ignore' });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Thread-seconds the process's threads spent runnable but waiting for a CPU (schedstat of every
 * task under /proc/<pid>/task). High means the machine, not the server, set the pace; as a share
 * of the window it can pass 100 % when several threads wait at once.
 */
function runQueueWaitSeconds(pid: number, mainThreadOnly = false): number {
  let ns = 0;
  try {
    const tids = mainThreadOnly ? [String(pid)] : readdirSync(`/proc/${pid}/task`);
    for (const tid of tids) ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1] ?? 0);
  } catch {
    return NaN;
  }
  return ns / 1e9;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** One histogram's cumulative buckets (le → count) from Prometheus text. */
function histogram(text: string, name: string): Map<number, number> {
  const out = new Map<number, number>();
  const re = new RegExp(`^${name}_bucket\\{le="([^"]+)"[^}]*\\} (\\S+)$`, 'gm');
  for (const m of text.matchAll(re)) out.set(m[1] === '+Inf' ? Infinity : Number(m[1]), Number(m[2]));
  return out;
}

function counterSum(text: string, name: string, filter: RegExp = /.*/): number {
  let sum = 0;
  const re = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`, 'gm');
  for (const m of text.matchAll(re)) if (filter.test(m[1] ?? '')) sum += Number(m[2]);
  return sum;
}

/** Quantile over the difference of two cumulative histograms, interpolated as histogram_quantile does. */
function quantile(after: Map<number, number>, before: Map<number, number>, q: number): number {
  const les = [...after.keys()].sort((a, b) => a - b);
  const counts = les.map((le) => (after.get(le) ?? 0) - (before.get(le) ?? 0));
  const total = counts[counts.length - 1] ?? 0;
  if (total === 0) return NaN;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (let i = 0; i < les.length; i++) {
    const le = les[i] ?? 0;
    const c = counts[i] ?? 0;
    if (c >= rank) {
      if (le === Infinity) return prevLe;
      return prevLe + ((le - prevLe) * (rank - prevCount)) / Math.max(1, c - prevCount);
    }
    prevLe = le;
    prevCount = c;
  }
  return prevLe;
}

function share(after: Map<number, number>, before: Map<number, number>, le: number): number {
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  return total === 0 ? NaN : ((after.get(le) ?? 0) - (before.get(le) ?? 0)) / total;
}

function startTarget(): Promise<{ child: ChildProcess; port: number }> {
  const [cmd, args] = pinned(DRIVER_CORE, process.execPath, [fileURLToPath(new URL('./target-server.mjs', import.meta.url))]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve({ child, port: Number(buf.trim()) });
    });
    child.on('error', reject);
  });
}

async function waitFor(url: string, ms: number, child: ChildProcess, out: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${out()}`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      /* starting */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer:\n${out()}`);
    await sleep(150);
  }
}

function vigilConfig(targetPort: number): string {
  return `server:
  check_concurrency: ${CONCURRENCY}
services:
  - {name: web}
  - {name: api}
checks:
${Array.from({ length: RATE }, (_, i) => `  - {name: c${i}, service: ${i % 2 ? 'api' : 'web'}, type: http, url: "http://127.0.0.1:${targetPort}/health?c=${i}", interval: 1s, timeout: 1s}`).join('\n')}
rule_files: [rules.yml]
receivers:
  - {name: log, log_configs: [{}]}
route:
  receiver: log
  group_by: [alertname, service]
`;
}

const RULES = `groups:
  - name: probes
    interval: 15s
    rules:
      - record: service:probe_success:avg
        expr: avg by (service) (probe_success)
      - record: service:probe_duration_seconds:max
        expr: max by (service) (probe_duration_seconds)
      - alert: ServiceDegraded
        expr: service:probe_success:avg < 0.9
        for: 1m
        labels: {severity: warning}
`;

interface VigilRun {
  checksPerSecond: number;
  success: number;
  lagP50: number;
  lagP99: number;
  lagWithin100ms: number;
  loopP99: number;
  loopMax: number;
  probeP50: number;
  probeP99: number;
  cpuPercent: number;
  probesPerCpuSecond: number;
  /** Thread time spent runnable but waiting for a CPU, as a share of the window. */
  waitPercent: number;
  /** The same for the main thread alone (the event loop). */
  mainWaitPercent: number;
  rssMiB: number;
}

async function runVigil(targetPort: number, round: number): Promise<VigilRun> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-checks-'));
  writeFileSync(join(dir, 'vigil.yml'), vigilConfig(targetPort));
  writeFileSync(join(dir, 'rules.yml'), RULES);
  const port = await freePort();
  const prof = values['cpu-prof'] && round === 0 ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [];
  const [cmd, args] = pinned(SUT_CORE, process.execPath, [...prof, bin, 'server', '--config', join(dir, 'vigil.yml'), '--data-dir', join(dir, 'data'), '--listen', `127.0.0.1:${port}`]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${url}/readyz`, 120_000, child, () => out);
    await sleep(WARMUP * 1000);
    const pid = child.pid ?? 0;
    const m0 = await (await fetch(`${url}/metrics`)).text();
    const cpu0 = procCpuSeconds(pid);
    const wait0 = runQueueWaitSeconds(pid);
    const main0 = runQueueWaitSeconds(pid, true);
    const t0 = performance.now();
    await sleep(SECONDS * 1000);
    const wait1 = runQueueWaitSeconds(pid);
    const main1 = runQueueWaitSeconds(pid, true);
    const m1 = await (await fetch(`${url}/metrics`)).text();
    const cpu1 = procCpuSeconds(pid);
    const elapsed = (performance.now() - t0) / 1000;
    const rss = Number(/^process_resident_memory_bytes (\S+)$/m.exec(m1)?.[1] ?? NaN) / 2 ** 20;
    const runs = counterSum(m1, 'vigil_checks_run_total') - counterSum(m0, 'vigil_checks_run_total');
    const ok = counterSum(m1, 'vigil_checks_run_total', /result="success"/) - counterSum(m0, 'vigil_checks_run_total', /result="success"/);
    const lag1 = histogram(m1, 'vigil_check_schedule_lag_seconds');
    const lag0 = histogram(m0, 'vigil_check_schedule_lag_seconds');
    const loop1 = histogram(m1, 'vigil_event_loop_lag_seconds');
    const loop0 = histogram(m0, 'vigil_event_loop_lag_seconds');
    const probe1 = histogram(m1, 'vigil_probe_duration_seconds');
    const probe0 = histogram(m0, 'vigil_probe_duration_seconds');
    const cpu = cpu1 - cpu0;
    // The largest bucket that gained an observation bounds the worst stall from above.
    const loopLes = [...loop1.keys()].sort((a, b) => a - b);
    let loopMax = 0;
    for (let i = 0; i < loopLes.length; i++) {
      const le = loopLes[i] ?? 0;
      const prev = i === 0 ? 0 : (loop1.get(loopLes[i - 1] ?? 0) ?? 0) - (loop0.get(loopLes[i - 1] ?? 0) ?? 0);
      if ((loop1.get(le) ?? 0) - (loop0.get(le) ?? 0) > prev) loopMax = le;
    }
    return {
      checksPerSecond: runs / elapsed,
      success: ok / runs,
      lagP50: quantile(lag1, lag0, 0.5) * 1000,
      lagP99: quantile(lag1, lag0, 0.99) * 1000,
      lagWithin100ms: share(lag1, lag0, 0.1),
      loopP99: quantile(loop1, loop0, 0.99) * 1000,
      loopMax: loopMax * 1000,
      probeP50: quantile(probe1, probe0, 0.5) * 1000,
      probeP99: quantile(probe1, probe0, 0.99) * 1000,
      cpuPercent: (100 * cpu) / elapsed,
      probesPerCpuSecond: runs / cpu,
      waitPercent: (100 * (wait1 - wait0)) / elapsed,
      mainWaitPercent: (100 * (main1 - main0)) / elapsed,
      rssMiB: rss,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  }
}

interface BlackboxRun {
  probesPerSecond: number;
  success: number;
  lagP99: number;
  latencyP50: number;
  latencyP99: number;
  cpuPercent: number;
  probesPerCpuSecond: number;
  waitPercent: number;
}

function blackboxBin(): string {
  return spawnSync('sh', ['-c', 'command -v prometheus-blackbox-exporter || command -v blackbox_exporter']).stdout.toString().trim();
}

async function runBlackbox(bbBin: string, targetPort: number): Promise<BlackboxRun> {
  const dir = mkdtempSync(join(tmpdir(), 'bb-'));
  const cfg = join(dir, 'blackbox.yml');
  writeFileSync(cfg, 'modules:\n  http_2xx:\n    prober: http\n    timeout: 1s\n    http:\n      preferred_ip_protocol: ip4\n');
  const bbPort = await freePort();
  const [cmd, args] = pinned(SUT_CORE, bbBin, [`--config.file=${cfg}`, `--web.listen-address=127.0.0.1:${bbPort}`]);
  const child = spawn(cmd, args, { stdio: 'ignore' });
  const base = `http://127.0.0.1:${bbPort}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    await waitFor(`${base}/-/healthy`, 30_000, child, () => '');
    // Driven as Prometheus would: RATE probe requests per second (each target once a second),
    // at most CONCURRENCY in flight, over kept-alive connections (Prometheus reuses its scrape
    // connections; fetch() cost this driver ~3× the CPU per request and, sharing core 1 with
    // the target, held blackbox_exporter back). Lag: how late a probe was sent after it was due.
    let ok = 0;
    let failed = 0;
    let inFlight = 0;
    let measuring = false;
    const latencies: number[] = [];
    const lags: number[] = [];
    const fire = (i: number, due: number) => {
      inFlight++;
      const t = performance.now();
      const m = measuring;
      if (m) lags.push(t - due);
      get(agent, `${base}/probe?module=http_2xx&target=${encodeURIComponent(`http://127.0.0.1:${targetPort}/health?c=${i % RATE}`)}`)
        .then((body) => {
          if (!m) return;
          if (/^probe_success 1$/m.test(body)) ok++;
          else failed++;
          latencies.push(performance.now() - t);
        })
        .catch(() => {
          if (m) failed++;
        })
        .finally(() => inFlight--);
    };
    const start = performance.now();
    let sent = 0;
    let cpu0 = 0;
    let wait0 = 0;
    let t0 = 0;
    for (;;) {
      const now = performance.now();
      if (!measuring && now - start > WARMUP * 1000) {
        measuring = true;
        cpu0 = procCpuSeconds(child.pid ?? 0);
        wait0 = runQueueWaitSeconds(child.pid ?? 0);
        t0 = now;
      }
      if (measuring && now - t0 > SECONDS * 1000) break;
      const due = Math.floor(((now - start) / 1000) * RATE);
      while (sent < due && inFlight < CONCURRENCY) {
        fire(sent, start + (sent * 1000) / RATE);
        sent++;
      }
      // A 1 ms timer, not setImmediate: spinning on setImmediate took the whole of core 1, which
      // the target shares, so the target answered blackbox_exporter slower than it answered Vigil.
      await sleep(1);
    }
    measuring = false;
    const elapsed = (performance.now() - t0) / 1000;
    const cpu = procCpuSeconds(child.pid ?? 0) - cpu0;
    const waited = runQueueWaitSeconds(child.pid ?? 0) - wait0;
    while (inFlight > 0) await sleep(10);
    latencies.sort((a, b) => a - b);
    lags.sort((a, b) => a - b);
    const done = ok + failed;
    return {
      probesPerSecond: done / elapsed,
      success: ok / done,
      lagP99: percentile(lags, 99),
      latencyP50: percentile(latencies, 50),
      latencyP99: percentile(latencies, 99),
      cpuPercent: (100 * cpu) / elapsed,
      probesPerCpuSecond: done / cpu,
      waitPercent: (100 * waited) / elapsed,
    };
  } finally {
    agent.destroy();
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

function get(agent: http.Agent, url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve(body));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : String(n));
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const bbBin = values['vigil-only'] ? '' : blackboxBin();
const bbVersion = bbBin ? (() => { const r = spawnSync(bbBin, ['--version']); return `${r.stdout}${r.stderr}`.split('\n')[0]; })() : '';
const target = await startTarget();
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}; load average ${load()}`);
console.log(`${RATE} HTTP checks/s (new connection each), ${SECONDS}s measured after ${WARMUP}s warm-up, concurrency ${CONCURRENCY}; SUT on core ${SUT_CORE}${hasTaskset ? '' : ' (no taskset: not pinned)'}`);
if (bbBin) console.log(`peer: ${bbVersion}`);
const ratios: string[] = [];
try {
  for (let p = 0; p < PAIRS; p++) {
    const v = await runVigil(target.port, p);
    console.log(`\n[pair ${p + 1}] load ${load()}`);
    console.log(
      `  vigil server      ${fmt(v.checksPerSecond)} checks/s, success ${fmt(100 * v.success, 1)}%, schedule lag p50 ${fmt(v.lagP50, 1)} ms p99 ${fmt(v.lagP99, 1)} ms (${fmt(100 * v.lagWithin100ms, 2)}% ≤ 100 ms), event loop lag p99 ${fmt(v.loopP99, 1)} ms (max ≤ ${fmt(v.loopMax)} ms), probe duration p50 ${fmt(v.probeP50, 1)} ms p99 ${fmt(v.probeP99, 1)} ms, CPU ${fmt(v.cpuPercent)}% (run-queue wait: all threads ${fmt(v.waitPercent)}%, event loop thread ${fmt(v.mainWaitPercent)}% of the window), ${fmt(v.probesPerCpuSecond)} probes/CPU-s, RSS ${fmt(v.rssMiB)} MiB`,
    );
    if (!bbBin) continue;
    const b = await runBlackbox(bbBin, target.port);
    console.log(
      `  blackbox_exporter ${fmt(b.probesPerSecond)} probes/s, success ${fmt(100 * b.success, 1)}%, send lag p99 ${fmt(b.lagP99, 1)} ms, request latency p50 ${fmt(b.latencyP50, 1)} ms p99 ${fmt(b.latencyP99, 1)} ms, CPU ${fmt(b.cpuPercent)}% (run-queue wait ${fmt(b.waitPercent)}% of the window), ${fmt(b.probesPerCpuSecond)} probes/CPU-s`,
    );
    const r = `throughput ${(v.checksPerSecond / b.probesPerSecond).toFixed(2)}×, probes per CPU-second ${(v.probesPerCpuSecond / b.probesPerCpuSecond).toFixed(2)}×`;
    ratios.push(r);
    console.log(`  ratio Vigil / blackbox_exporter: ${r}`);
  }
} finally {
  target.child.kill('SIGTERM');
}
if (!bbBin && !values['vigil-only']) console.log('\nblackbox_exporter not found: install prometheus-blackbox-exporter for the side-by-side run');
console.log(`\nload average at the end: ${load()}`);
process.exit(0);

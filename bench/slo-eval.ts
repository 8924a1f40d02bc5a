// SLOs, Vigil vs Prometheus 2.42, side by side in one run (issue 12's benchmark): 200 SLOs
// (bench/slo-eval-data.ts) over 2,000 series and --history (6h) of data at 15 s,
// remote-written into both servers in time order. Then Vigil loads the SLOs (a reload of
// vigil.yml with `slos:` added), the bench writes the rule groups Vigil generated — read back
// from Vigil's /api/v1/rules — into a Prometheus rule file, checks it with `promtool check
// rules`, and Prometheus loads it (SIGHUP). Both evaluate the same generated rules every
// --interval.
//  - Evaluation time per cycle: each side's own metrics, scraped from /metrics every
//    interval/6: `<vigil|prometheus>_rule_group_last_duration_seconds` summed over the groups
//    for each evaluation seen (`…_last_evaluation_timestamp_seconds` changed). Only cycles in
//    which every group evaluated count. CPU per cycle from /proc/<pid>/stat.
//  - GET /api/v1/slos: Prometheus has no such API, so its side is the instant queries the API
//    evaluates (each SLO's error ratio over its window and over the 7 burn-rate windows — the
//    `promql` of Vigil's answer), asked at the same concurrency (4 SLOs at a time, each SLO's 8
//    queries at once). The two alternate, --api-pairs times, who goes first swapping each pair.
// Vigil runs from dist/ as installed, with services, alert routing to a receiver and incidents.
//
// Usage: node --import tsx bench/slo-eval.ts [--history 6h] [--interval 1m] [--warmup 2]
//        [--cycles 6] [--api-pairs 6] [--no-build] [--cpu-prof DIR]
import { execFileSync, spawnSync } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'node:http';
import { stringify } from 'yaml';
import { encodeWriteRequest, type TimeSeries } from '../src/ingest/remote-write.js';
import { formatDuration, parseDuration } from '../src/model/duration.js';
import { freePort, prometheusVersion, startPrometheus } from '../test/helpers/prometheus.js';
import { startServer } from '../test/helpers/vigil-process.js';
import { sloBenchConfig, sloBenchSeries, sloBenchServices, STEP_MS } from './slo-eval-data.js';

const { values: args } = parseArgs({
  options: {
    history: { type: 'string', default: '6h' },
    interval: { type: 'string', default: '1m' },
    warmup: { type: 'string', default: '2' },
    cycles: { type: 'string', default: '6' },
    'api-pairs': { type: 'string', default: '6' },
    'no-build': { type: 'boolean', default: false },
    /** Write a V8 CPU profile of the Vigil server into this directory (it costs Vigil a little CPU). */
    'cpu-prof': { type: 'string' },
  },
});
const HISTORY = parseDuration(String(args.history));
const INTERVAL = parseDuration(String(args.interval));
const WARMUP = Number(args.warmup);
const CYCLES = Number(args.cycles);
const API_PAIRS = Number(args['api-pairs']);
const TICK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICK;
}
function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) / 1024;
}
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

const agent = new Agent({ keepAlive: true, maxSockets: 4 });
function post(url: string, body: Uint8Array): Promise<void> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0', 'content-length': body.length } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve() : reject(new Error(`${url}: ${res.statusCode} ${text.slice(0, 300)}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface GroupMetric {
  readonly duration: number;
  readonly last: number;
}
/** `<prefix>_rule_group_last_{duration,evaluation_timestamp}_seconds` by group name. */
async function groupMetrics(base: string, prefix: string): Promise<Map<string, GroupMetric>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const dur = new Map<string, number>();
  const last = new Map<string, number>();
  const re = new RegExp(`^${prefix}_rule_group_last_(duration|evaluation_timestamp)_seconds\\{rule_group="[^"]*;([^"]*)"\\} (\\S+)$`, 'gm');
  for (const m of text.matchAll(re)) (m[1] === 'duration' ? dur : last).set(m[2] as string, Number(m[3]));
  const out = new Map<string, GroupMetric>();
  for (const [g, d] of dur) out.set(g, { duration: d, last: last.get(g) ?? 0 });
  return out;
}

interface ApiRule {
  readonly type: 'recording' | 'alerting';
  readonly name: string;
  readonly query: string;
  readonly duration?: number;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly health: string;
  readonly state?: string;
  readonly alerts?: unknown[];
}
interface ApiGroup {
  readonly name: string;
  readonly file: string;
  readonly interval: number;
  readonly rules: ApiRule[];
}
async function ruleGroups(base: string): Promise<ApiGroup[]> {
  const r = (await (await fetch(`${base}/api/v1/rules`)).json()) as { data: { groups: ApiGroup[] } };
  return r.data.groups;
}
function health(groups: ApiGroup[]): { rules: number; unhealthy: number; firing: number } {
  let rules = 0;
  let unhealthy = 0;
  let firing = 0;
  for (const g of groups)
    for (const x of g.rules) {
      rules++;
      if (x.health === 'err') unhealthy++;
      if (x.state === 'firing') firing += x.alerts?.length ?? 0;
    }
  return { rules, unhealthy, firing };
}

/** The groups as a Prometheus rule file. */
function ruleFile(groups: ApiGroup[]): string {
  const nonEmpty = (o: Record<string, string> | undefined) => (o && Object.keys(o).length ? o : undefined);
  return stringify(
    {
      groups: groups.map((g) => ({
        name: g.name,
        interval: formatDuration(g.interval * 1000),
        rules: g.rules.map((r) =>
          r.type === 'recording'
            ? { record: r.name, expr: r.query, labels: nonEmpty(r.labels) }
            : { alert: r.name, expr: r.query, for: r.duration ? formatDuration(r.duration * 1000) : undefined, labels: nonEmpty(r.labels), annotations: nonEmpty(r.annotations) },
        ),
      })),
    },
    { lineWidth: 0 },
  );
}

interface SloAnswer {
  readonly name: string;
  readonly sli: number | null;
  readonly status: string;
  readonly incidents: unknown[];
  readonly promql: { readonly error_ratio: string | null; readonly burn_rates: Record<string, string> };
}

async function pool<T>(items: readonly T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await fn(items[next++] as T);
  }));
}

async function promInstant(base: string, query: string, t: number): Promise<number | undefined> {
  const r = await fetch(`${base}/api/v1/query`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ query, time: String(t / 1000) }) });
  const b = (await r.json()) as { status: string; error?: string; data: { result: Array<{ value: [number, string] }> } };
  if (b.status !== 'success') throw new Error(`prometheus: ${query}: ${b.error}`);
  const v = b.data.result[0]?.value[1];
  return v === undefined ? undefined : Number(v);
}

async function main(): Promise<void> {
  if (!args['no-build']) {
    console.log('building dist/ …');
    execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
  }
  const dir = mkdtempSync(join(tmpdir(), 'vigil-slo-bench-'));
  const start = Date.now();
  const runMs = (WARMUP + CYCLES + 4) * INTERVAL + API_PAIRS * 60_000;
  const first = Math.floor((start - HISTORY) / STEP_MS) * STEP_MS;
  const last = start + runMs + 10 * 60_000;
  const points = Math.floor((last - first) / STEP_MS) + 1;
  const series = sloBenchSeries(points, Math.round((start - first) / STEP_MS));
  console.log(`${series.length} series, data ${formatDuration(last - first)} at ${STEP_MS / 1000}s (${((points * series.length) / 1e6).toFixed(2)}M samples per server; ${formatDuration(start - first)} before the start), interval ${formatDuration(INTERVAL)}; load ${load()}`);

  const vport = await freePort();
  const vcfg = join(dir, 'vigil.yml');
  const base = `server:\n  log_level: warn\nmetrics:\n  creation_grace_period: ${formatDuration(last - start + 10 * 60_000)}\nrules:\n  evaluation_interval: ${formatDuration(INTERVAL)}\n${sloBenchServices()}receivers:\n  - {name: log, log_configs: [{}]}\nroute:\n  receiver: log\n  group_by: [alertname, service]\n`;
  writeFileSync(vcfg, base);
  const nodeArgs = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`] : [];
  const vigil = await startServer(['--config', vcfg, '--data-dir', join(dir, 'vigil-data')], vport, {}, { fromDist: true, readyTimeoutMs: 180_000, nodeArgs });
  const promRules = join(dir, 'prometheus-slo-rules.yml');
  const prom = await startPrometheus({ config: { global: { evaluation_interval: formatDuration(INTERVAL) }, rule_files: [promRules] }, logLevel: 'warn', retention: '2d' });
  const servers = [
    { name: 'Vigil', url: vigil.url, pid: vigil.child.pid ?? -1, prefix: 'vigil' },
    { name: 'Prometheus', url: prom.url, pid: prom.pid, prefix: 'prometheus' },
  ] as const;
  try {
    // 1. The data, in time order (neither server has rules yet, so nothing is written at "now"
    //    before the history), 5 minutes of all 2,000 series per request, to both at once.
    const w0 = Date.now();
    const labels = series.map((s) => Object.keys(s.labels).sort().map((name) => ({ name, value: s.labels[name] as string })));
    for (let i0 = 0; i0 < points; i0 += 20) {
      const batch: TimeSeries[] = series.map((s, k) => {
        const samples = [];
        for (let i = i0; i < Math.min(i0 + 20, points); i++) samples.push({ timestamp: first + i * STEP_MS, value: s.values[i] as number });
        return { labels: labels[k]!, samples };
      });
      const body = encodeWriteRequest({ timeseries: batch });
      await Promise.all(servers.map((sv) => post(`${sv.url}/api/v1/write`, body)));
    }
    console.log(`data written to both in ${((Date.now() - w0) / 1000).toFixed(0)} s; load ${load()}`);

    // 2. Vigil loads the SLOs; Prometheus the groups Vigil generated.
    writeFileSync(vcfg, base + sloBenchConfig());
    const reload = await fetch(`${vigil.url}/-/reload`, { method: 'POST' });
    if (reload.status !== 200) throw new Error(`vigil reload: ${reload.status} ${await reload.text()}`);
    const generated = (await ruleGroups(vigil.url)).filter((g) => g.file.startsWith('slo/'));
    writeFileSync(promRules, ruleFile(generated));
    const check = spawnSync('promtool', ['check', 'rules', promRules], { encoding: 'utf8' });
    const checkLine = `${check.stdout}${check.stderr}`.trim().split('\n').slice(-1)[0];
    if (check.status !== 0) throw new Error(`promtool check rules failed:\n${check.stdout}${check.stderr}`);
    console.log(`${generated.length} generated groups, ${health(generated).rules} rules; promtool check rules: ${checkLine}`);
    process.kill(prom.pid, 'SIGHUP');
    for (let t = Date.now(); (await ruleGroups(prom.url)).length < generated.length; await sleep(500)) if (Date.now() - t > 60_000) throw new Error(`prometheus did not load the rules:\n${prom.output().slice(-2000)}`);

    // 3. Rule evaluation per cycle.
    await sleep(WARMUP * INTERVAL);
    const seen = servers.map(() => new Map<string, number>());
    const perCycle = servers.map(() => new Map<number, number>());
    const evalCount = servers.map(() => new Map<string, number>());
    // Mean duration by kind of generated group (sli-recordings, meta-recordings, alerts) over
    // every evaluation seen, times the groups of that kind: their share of a cycle.
    const byKind = servers.map(() => new Map<string, { sum: number; evals: number; groups: Set<string> }>());
    const kindOf = (group: string) => /^sloth-slo-(sli-recordings|meta-recordings|alerts)-/.exec(group)?.[1] ?? 'other';
    const snap0 = await Promise.all(servers.map((s) => groupMetrics(s.url, s.prefix)));
    snap0.forEach((m, i) => m.forEach((g, name) => seen[i]!.set(name, g.last)));
    const cpu0 = servers.map((s) => cpuSeconds(s.pid));
    const m0 = Date.now();
    const loadEval0 = load();
    let groupsSeen = snap0.map((m) => m.size);
    while (Date.now() - m0 < CYCLES * INTERVAL) {
      await sleep(INTERVAL / 6);
      const snaps = await Promise.all(servers.map((s) => groupMetrics(s.url, s.prefix)));
      groupsSeen = snaps.map((m) => m.size);
      snaps.forEach((m, i) => {
        for (const [name, g] of m) {
          if (seen[i]!.get(name) === g.last) continue;
          seen[i]!.set(name, g.last);
          const n = (evalCount[i]!.get(name) ?? 0) + 1;
          evalCount[i]!.set(name, n);
          perCycle[i]!.set(n, (perCycle[i]!.get(n) ?? 0) + g.duration);
          const k = byKind[i]!.get(kindOf(name)) ?? { sum: 0, evals: 0, groups: new Set<string>() };
          byKind[i]!.set(kindOf(name), { sum: k.sum + g.duration, evals: k.evals + 1, groups: k.groups.add(name) });
        }
      });
    }
    const elapsed = Date.now() - m0;
    const cpuEval = servers.map((s, i) => cpuSeconds(s.pid) - cpu0[i]!);
    const loadEval1 = load();
    const evalRows = servers.map((s, i) => {
      const full = [...perCycle[i]!.entries()].filter(([n]) => [...evalCount[i]!.values()].filter((c) => c >= n).length === groupsSeen[i]).map(([, t]) => t);
      const sorted = [...full].sort((a, b) => a - b);
      return { cycles: full.length, mean: full.reduce((a, b) => a + b, 0) / Math.max(1, full.length), median: sorted[Math.floor(sorted.length / 2)] ?? 0, min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0, cpu: cpuEval[i]! / (elapsed / INTERVAL) };
    });
    const rulesState = await Promise.all(servers.map(async (s) => health(await ruleGroups(s.url))));

    // 4. GET /api/v1/slos against the same instant queries on Prometheus, alternating.
    const loadApi0 = load();
    const api = servers.map(() => ({ ms: [] as number[], cpu: 0 }));
    let answer: SloAnswer[] = [];
    let bytes = 0;
    const vigilApi = async () => {
      const c = cpuSeconds(vigil.child.pid ?? -1);
      const t = performance.now();
      const r = await fetch(`${vigil.url}/api/v1/slos`);
      const text = await r.text();
      if (r.status !== 200) throw new Error(`GET /api/v1/slos: ${r.status} ${text.slice(0, 300)}`);
      api[0]!.ms.push(performance.now() - t);
      api[0]!.cpu += cpuSeconds(vigil.child.pid ?? -1) - c;
      answer = (JSON.parse(text) as { slos: SloAnswer[] }).slos;
      bytes = text.length;
    };
    const promSli = new Map<string, number | undefined>();
    const promApi = async () => {
      const c = cpuSeconds(prom.pid);
      const t = performance.now();
      const now = Date.now();
      await pool(answer, 4, async (s) => {
        const exprs = [...(s.promql.error_ratio ? [s.promql.error_ratio] : []), ...Object.values(s.promql.burn_rates)];
        const vals = await Promise.all(exprs.map((e) => promInstant(prom.url, e, now)));
        if (s.promql.error_ratio) promSli.set(s.name, vals[0] === undefined ? undefined : 1 - vals[0]);
      });
      api[1]!.ms.push(performance.now() - t);
      api[1]!.cpu += cpuSeconds(prom.pid) - c;
    };
    await vigilApi(); // the queries Prometheus is asked are those of Vigil's answer; also warms the JIT
    await promApi();
    for (let p = 0; p < API_PAIRS; p++) {
      if (p % 2 === 0) {
        await vigilApi();
        await promApi();
      } else {
        await promApi();
        await vigilApi();
      }
    }
    // The first (untimed) answer of each is dropped.
    api.forEach((a) => a.ms.shift());
    const loadApi1 = load();
    let maxDiff = 0;
    let compared = 0;
    for (const s of answer) {
      const p = promSli.get(s.name);
      if (s.sli === null || p === undefined) continue;
      compared++;
      maxDiff = Math.max(maxDiff, Math.abs(s.sli - p));
    }
    const queries = answer.reduce((n, s) => n + (s.promql.error_ratio ? 1 : 0) + Object.keys(s.promql.burn_rates).length, 0);
    const statuses = answer.reduce<Record<string, number>>((o, s) => ({ ...o, [s.status]: (o[s.status] ?? 0) + 1 }), {});
    const incidents = answer.reduce((n, s) => n + s.incidents.length, 0);

    const [v, p] = evalRows as [(typeof evalRows)[0], (typeof evalRows)[0]];
    const f = (x: number) => x.toFixed(3);
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    console.log(`\n${prometheusVersion()}; rule evaluation measured ${(elapsed / 1000).toFixed(0)} s (${(elapsed / INTERVAL).toFixed(1)} intervals), load ${loadEval0} → ${loadEval1}; API pairs at load ${loadApi0} → ${loadApi1}`);
    console.log(`\n| | Vigil | Prometheus | ratio |\n|---|---:|---:|---:|`);
    console.log(`| groups / rules loaded / unhealthy | ${groupsSeen[0]} / ${rulesState[0]!.rules} / ${rulesState[0]!.unhealthy} | ${groupsSeen[1]} / ${rulesState[1]!.rules} / ${rulesState[1]!.unhealthy} | |`);
    console.log(`| SLO alerts firing at the end | ${rulesState[0]!.firing} | ${rulesState[1]!.firing} | |`);
    console.log(`| full cycles measured | ${v.cycles} | ${p.cycles} | |`);
    console.log(`| evaluation time per cycle, mean (Σ groups' last_duration, s) | ${f(v.mean)} | ${f(p.mean)} | ${(v.mean / p.mean).toFixed(2)}× |`);
    console.log(`| … median | ${f(v.median)} | ${f(p.median)} | ${(v.median / p.median).toFixed(2)}× |`);
    console.log(`| … min / max | ${f(v.min)} / ${f(v.max)} | ${f(p.min)} / ${f(p.max)} | |`);
    for (const k of ['sli-recordings', 'meta-recordings', 'alerts']) {
      const share = (x: { sum: number; evals: number; groups: Set<string> } | undefined) => (x ? (x.sum / x.evals) * x.groups.size : 0);
      const a = share(byKind[0]!.get(k));
      const b = share(byKind[1]!.get(k));
      console.log(`| … of which ${k} groups, per cycle | ${f(a)} | ${f(b)} | ${(a / b).toFixed(2)}× |`);
    }
    console.log(`| CPU per cycle (s) | ${f(v.cpu)} | ${f(p.cpu)} | ${(v.cpu / p.cpu).toFixed(2)}× |`);
    const [va, pa] = api as [(typeof api)[0], (typeof api)[0]];
    console.log(`| GET /api/v1/slos vs its ${queries} instant queries: median ms (${va.ms.length} pairs) | ${med(va.ms).toFixed(0)} | ${med(pa.ms).toFixed(0)} | ${(med(va.ms) / med(pa.ms)).toFixed(2)}× |`);
    console.log(`| … min / max ms | ${Math.min(...va.ms).toFixed(0)} / ${Math.max(...va.ms).toFixed(0)} | ${Math.min(...pa.ms).toFixed(0)} / ${Math.max(...pa.ms).toFixed(0)} | |`);
    console.log(`| … CPU-s per answer | ${f(va.cpu / (API_PAIRS + 1))} | ${f(pa.cpu / (API_PAIRS + 1))} | ${(va.cpu / pa.cpu).toFixed(2)}× |`);
    console.log(`| RSS at the end (MiB) | ${rssMiB(servers[0].pid).toFixed(0)} | ${rssMiB(servers[1].pid).toFixed(0)} | ${(rssMiB(servers[0].pid) / rssMiB(servers[1].pid)).toFixed(2)}× |`);
    console.log(`\n/api/v1/slos: ${answer.length} SLOs, ${bytes} bytes, status ${JSON.stringify(statuses)}, ${incidents} incidents listed; SLI vs Prometheus's 1 − error ratio (asked seconds apart): ${compared} compared, max |Δ| ${maxDiff.toExponential(2)}`);
  } finally {
    await vigil.stop();
    await prom.stop();
    rmSync(dir, { recursive: true, force: true });
    agent.destroy();
  }
}

await main();

// Rule evaluation, Vigil vs Prometheus 2.42, side by side in one run: the same 1,000 rules
// (bench/rule-eval-data.ts: node/kubernetes/SLO-mixin style, ~80% recording, ~20% alerting)
// over the same ~10,000 series, remote-written to both. Both servers evaluate every group
// once per --interval; the bench reads each group's `evaluationTime` from both
// /api/v1/rules after every evaluation and sums them per cycle, and reads each process's CPU
// time from /proc/<pid>/stat over the measured cycles. Vigil runs from dist/ as installed.
//
// Data covers --history before the start and the whole run after it (written up front, so no
// ingest runs while rules are measured; Vigil's creation_grace_period is raised to accept it).
//
// Usage: node --import tsx bench/rule-eval.ts [--rules 1000] [--history 50m] [--cycles 8]
//        [--warmup 2] [--interval 1m]
import { execFileSync } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'node:http';
import { encodeWriteRequest, type TimeSeries } from '../src/ingest/remote-write.js';
import { parseDuration, formatDuration } from '../src/model/duration.js';
import { freePort, prometheusVersion, startPrometheus } from '../test/helpers/prometheus.js';
import { startServer } from '../test/helpers/vigil-process.js';
import { benchRulesYAML, benchSeries, STEP_MS } from './rule-eval-data.js';

const { values: args } = parseArgs({
  options: {
    rules: { type: 'string', default: '1000' },
    // Under 1h: Prometheus's head refuses samples more than 1h older than its newest one, and
    // its rules write samples at the current time as soon as it starts ("out of bounds").
    history: { type: 'string', default: '50m' },
    cycles: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    interval: { type: 'string', default: '1m' },
    'keep-running': { type: 'boolean', default: false },
  },
});
const RULES = Number(args.rules);
const HISTORY = parseDuration(String(args.history));
const CYCLES = Number(args.cycles);
const WARMUP = Number(args.warmup);
const INTERVAL = parseDuration(String(args.interval));
const TICK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICK;
}
function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) / 1024;
}

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

interface GroupEval {
  readonly lastEvaluation: string;
  readonly evaluationTime: number;
}
interface RulesSnapshot {
  readonly groups: Map<string, GroupEval>;
  readonly unhealthy: number;
  readonly firing: number;
  readonly rules: number;
}

async function rulesSnapshot(base: string): Promise<RulesSnapshot> {
  const r = (await (await fetch(`${base}/api/v1/rules`)).json()) as {
    data: { groups: Array<{ name: string; file: string; lastEvaluation: string; evaluationTime: number; rules: Array<{ health: string; state?: string; alerts?: unknown[] }> }> };
  };
  const groups = new Map<string, GroupEval>();
  let unhealthy = 0;
  let firing = 0;
  let rules = 0;
  for (const g of r.data.groups) {
    groups.set(g.name, { lastEvaluation: g.lastEvaluation, evaluationTime: g.evaluationTime });
    for (const x of g.rules) {
      rules++;
      if (x.health === 'err') unhealthy++;
      if (x.state === 'firing') firing += x.alerts?.length ?? 0;
    }
  }
  return { groups, unhealthy, firing, rules };
}

async function main(): Promise<void> {
  console.log(`building dist/ …`);
  execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rule-bench-'));
  const rulesFile = join(dir, 'rules.yml');
  writeFileSync(rulesFile, benchRulesYAML(RULES));
  const series = benchSeries();
  const start = Date.now();
  const runMs = (WARMUP + CYCLES + 2) * INTERVAL;
  const first = Math.floor((start - HISTORY) / STEP_MS) * STEP_MS;
  const last = start + runMs + 2 * 60_000;
  console.log(`${series.length} series, ${RULES} rules, data ${formatDuration(last - first)} at ${STEP_MS / 1000}s (${Math.round(((last - first) / STEP_MS) * series.length / 1e6)}M samples per server), interval ${formatDuration(INTERVAL)}`);

  const vport = await freePort();
  const vcfg = join(dir, 'vigil.yml');
  writeFileSync(
    vcfg,
    `server:\n  log_level: warn\nmetrics:\n  creation_grace_period: ${formatDuration(last - start + 10 * 60_000)}\nrule_files: [${JSON.stringify(rulesFile)}]\nrules:\n  evaluation_interval: ${formatDuration(INTERVAL)}\n`,
  );
  const vigil = await startServer(['--config', vcfg, '--data-dir', join(dir, 'vigil-data')], vport, {}, { fromDist: true });
  const prom = await startPrometheus({ config: { global: { evaluation_interval: formatDuration(INTERVAL) }, rule_files: [rulesFile] }, logLevel: 'warn' });
  const servers = [
    { name: 'Vigil', url: vigil.url, pid: vigil.child.pid ?? -1 },
    { name: 'Prometheus', url: prom.url, pid: prom.pid },
  ];
  try {
    // Write the data, a time slice at a time, 2,000 series per request.
    const w0 = Date.now();
    for (let t = first; t <= last; t += 20 * STEP_MS) {
      const batch: TimeSeries[] = [];
      for (let k = 0; k < series.length; k++) {
        const s = series[k]!;
        const samples = [];
        for (let u = t; u < Math.min(t + 20 * STEP_MS, last + 1); u += STEP_MS) samples.push({ timestamp: u, value: s.value((u - first) / STEP_MS) });
        batch.push({ labels: Object.keys(s.labels).sort().map((name) => ({ name, value: s.labels[name] as string })), samples });
        if (batch.length === 2000 || k === series.length - 1) {
          const body = encodeWriteRequest({ timeseries: batch.splice(0) });
          await Promise.all(servers.map((sv) => post(`${sv.url}/api/v1/write`, body)));
        }
      }
    }
    console.log(`data written to both in ${((Date.now() - w0) / 1000).toFixed(0)} s`);
    // Warm-up cycles, then measure.
    await new Promise((r) => setTimeout(r, WARMUP * INTERVAL));
    const seen = servers.map(() => new Map<string, string>());
    const perCycle = servers.map(() => new Map<number, number>());
    const snap0 = await Promise.all(servers.map((s) => rulesSnapshot(s.url)));
    snap0.forEach((s, i) => s.groups.forEach((g, name) => seen[i]!.set(name, g.lastEvaluation)));
    const cpu0 = servers.map((s) => cpuSeconds(s.pid));
    const m0 = Date.now();
    const load0 = loadavg()[0] ?? 0;
    let snaps = snap0;
    const evalCount = servers.map(() => new Map<string, number>());
    while (Date.now() - m0 < CYCLES * INTERVAL) {
      await new Promise((r) => setTimeout(r, Math.min(10_000, INTERVAL / 4)));
      snaps = await Promise.all(servers.map((s) => rulesSnapshot(s.url)));
      snaps.forEach((snap, i) => {
        for (const [name, g] of snap.groups) {
          if (seen[i]!.get(name) === g.lastEvaluation) continue;
          seen[i]!.set(name, g.lastEvaluation);
          const n = (evalCount[i]!.get(name) ?? 0) + 1;
          evalCount[i]!.set(name, n);
          perCycle[i]!.set(n, (perCycle[i]!.get(n) ?? 0) + g.evaluationTime);
        }
      });
    }
    const elapsed = Date.now() - m0;
    const cpu = servers.map((s, i) => cpuSeconds(s.pid) - (cpu0[i] as number));
    const load1 = loadavg()[0] ?? 0;
    const cycles = elapsed / INTERVAL;
    console.log(`\nmeasured ${(elapsed / 1000).toFixed(0)} s (${cycles.toFixed(1)} cycles); load average ${load0.toFixed(1)} → ${load1.toFixed(1)}; ${prometheusVersion()}`);
    const rows = servers.map((s, i) => {
      // Only cycles in which every group evaluated once count.
      const groups = snaps[i]!.groups.size;
      const full = [...perCycle[i]!.entries()].filter(([n]) => [...evalCount[i]!.values()].filter((c) => c >= n).length === groups).map(([, t]) => t);
      const mean = full.reduce((a, b) => a + b, 0) / Math.max(1, full.length);
      const sorted = [...full].sort((a, b) => a - b);
      return { name: s.name, cycles: full.length, mean, median: sorted[Math.floor(sorted.length / 2)] ?? 0, min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0, cpuPerCycle: (cpu[i] as number) / cycles, rss: rssMiB(s.pid), unhealthy: snaps[i]!.unhealthy, firing: snaps[i]!.firing, rules: snaps[i]!.rules };
    });
    const [v, p] = rows as [(typeof rows)[0], (typeof rows)[0]];
    const f = (x: number) => x.toFixed(3);
    console.log(`\n| | Vigil | Prometheus | ratio |\n|---|---:|---:|---:|`);
    console.log(`| rules loaded / unhealthy | ${v.rules} / ${v.unhealthy} | ${p.rules} / ${p.unhealthy} | |`);
    console.log(`| alerts firing at the end | ${v.firing} | ${p.firing} | |`);
    console.log(`| full cycles measured | ${v.cycles} | ${p.cycles} | |`);
    console.log(`| evaluation time per cycle, mean (Σ groups' evaluationTime, s) | ${f(v.mean)} | ${f(p.mean)} | ${(v.mean / p.mean).toFixed(2)}× |`);
    console.log(`| … median | ${f(v.median)} | ${f(p.median)} | ${(v.median / p.median).toFixed(2)}× |`);
    console.log(`| … min / max | ${f(v.min)} / ${f(v.max)} | ${f(p.min)} / ${f(p.max)} | |`);
    console.log(`| CPU per cycle (s) | ${f(v.cpuPerCycle)} | ${f(p.cpuPerCycle)} | ${(v.cpuPerCycle / p.cpuPerCycle).toFixed(2)}× |`);
    console.log(`| RSS at the end (MiB) | ${v.rss.toFixed(0)} | ${p.rss.toFixed(0)} | ${(v.rss / p.rss).toFixed(2)}× |`);
  } finally {
    if (!args['keep-running']) {
      await vigil.stop();
      await prom.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    agent.destroy();
  }
}

await main();

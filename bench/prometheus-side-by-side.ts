// Vigil vs Prometheus on the same machine, each as its own child process (CPU and RSS read
// from /proc/<pid>). Not part of the test suite. Phases, each on fresh servers:
//   1. ingest: --series active series × --rounds scrape rounds, remote-written in requests of
//      --batch series × 1 sample, --concurrency requests in flight;
//   2. disk + query: --disk-series series × --hours of 15 s history written in time slices,
//      until each server cuts its first 2h block; bytes per sample of that block (from its
//      meta.json numSamples), whole data dir before/after a clean shutdown; then PromQL
//      latency over HTTP, instant and 1h range queries at step 15s.
// Usage: node --import tsx bench/prometheus-side-by-side.ts [--series 100000] [--rounds 20]
//        [--batch 500] [--concurrency 4] [--disk-series 10000] [--hours 3.25] [--reps 20]
//        [--warmup 3] [--vigil-wal-sync commit|1s] [--vigil-worker-thread true|false] [--ingest-only N]
//        [--memory-series 10000] [--memory-hours 2] [--memory-only N] [--memory-live-rounds 2]
// Memory as an operator sees it (phase 0, also alone with --memory-only N, pairs): a fresh
// server's resident memory (VmRSS) when idle 5 s after start, its peak (VmHWM) while
// --memory-series series × --memory-hours of 15 s samples are remote-written, and the growth
// of VmRSS from idle to 2 s after the last write, per series; then, as a server runs all day,
// --memory-live-rounds (2) further scrapes of the same series 15 s apart, and the growth per
// series from idle 20 s after start (settled) to 15 s after the last of them. Phase 1's figure (100k series ×
// 10 samples each) only weighs series structures, not their samples; it is kept, labelled so.
// Vigil runs from dist/ (bin/vigil.js, as installed): the bench builds it first.
// --ingest-only N: phase 1 only, N times, alternating the servers (Vigil first, then
// Prometheus, each on fresh data dirs), and prints every pair's ratio and the median; on a
// shared machine whose speed drifts, pairs taken back to back compare fairer than one run.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeWriteRequest, type TimeSeries } from '../src/ingest/remote-write.js';
import { Agent, request } from 'node:http';
import { freePort, promApi, prometheusVersion, startPrometheus } from '../test/helpers/prometheus.js';
import { startServer } from '../test/helpers/vigil-process.js';

const { values: args } = parseArgs({
  options: {
    series: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '20' },
    batch: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '4' },
    'disk-series': { type: 'string', default: '10000' },
    hours: { type: 'string', default: '3.25' },
    reps: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    /** Vigil's metrics.wal_sync: `commit` (its default) or a duration (`1s`: Prometheus's durability). */
    'vigil-wal-sync': { type: 'string', default: 'commit' },
    /** Vigil's metrics.worker_thread: decode remote-write in a worker (`true`, its default here) or inline. */
    'vigil-worker-thread': { type: 'string', default: 'true' },
    'ingest-only': { type: 'string' },
    'memory-series': { type: 'string', default: '10000' },
    'memory-hours': { type: 'string', default: '2' },
    'memory-only': { type: 'string' },
    'memory-live-rounds': { type: 'string', default: '2' },
  },
});
const WARMUP = Number(args.warmup);
const WAL_SYNC = String(args['vigil-wal-sync']);
const WORKER_THREAD = String(args['vigil-worker-thread']);
if (WORKER_THREAD !== 'true' && WORKER_THREAD !== 'false') throw new Error(`--vigil-worker-thread: expected true or false, got ${WORKER_THREAD}`);
const SERIES = Number(args.series);
const ROUNDS = Number(args.rounds);
const BATCH = Number(args.batch);
const CONC = Number(args.concurrency);
const DISK_SERIES = Number(args['disk-series']);
const HOURS = Number(args.hours);
const REPS = Number(args.reps);
const STEP = 15_000;
const TICK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

interface Server {
  name: 'vigil' | 'prometheus';
  url: string;
  pid: number;
  dataDir: string;
  stop(): Promise<unknown>;
}

async function startVigil(): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  const cfg = join(dir, 'vigil.yml');
  writeFileSync(cfg, `server:\n  log_level: warn\nmetrics:\n  wal_sync: ${WAL_SYNC}\n  worker_thread: ${WORKER_THREAD}\n`);
  const port = await freePort();
  const p = await startServer(['--config', cfg, '--data-dir', join(dir, 'data')], port, {}, { fromDist: true });
  return {
    name: 'vigil',
    url: p.url,
    pid: p.child.pid ?? -1,
    dataDir: join(dir, 'data', 'metrics'),
    stop: async () => p.stop(),
    // cleanup after measuring: see cleanup()
  };
}
async function startProm(): Promise<Server> {
  const p = await startPrometheus({ keepDir: true, logLevel: 'warn' });
  return { name: 'prometheus', url: p.url, pid: p.pid, dataDir: p.dataDir, stop: async () => p.stop(60_000) };
}
function cleanup(s: Server): void {
  rmSync(s.name === 'vigil' ? join(s.dataDir, '..', '..') : join(s.dataDir, '..'), { recursive: true, force: true });
}

/** utime+stime of a process in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / TICK;
}
function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}
function peakRssBytes(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}
function dirBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return n;
}
// The sender: node:http with keep-alive connections. fetch() cost this process ~3x the CPU
// per request, so on this 2-core machine the sender, not the server, set the pace.
const agent = new Agent({ keepAlive: true, maxSockets: 16 });
function remoteWrite(base: string, body: Uint8Array): Promise<void> {
  const u = new URL(`${base}/api/v1/write`);
  const headers = { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0', 'content-length': body.length };
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        const code = res.statusCode ?? 0;
        if (code >= 200 && code < 300) resolve();
        else reject(new Error(`${base}/api/v1/write: ${code} ${text}`));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function sendAll(url: string, bodies: Uint8Array[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONC }, async () => {
      while (next < bodies.length) await remoteWrite(url, bodies[next++] as Uint8Array);
    }),
  );
}

function labels(l: Record<string, string>): TimeSeries['labels'] {
  return Object.keys(l)
    .sort()
    .map((name) => ({ name, value: l[name] as string }));
}

// ---- phase 1: ingest at SERIES active series
const ingestLabels = Array.from({ length: SERIES }, (_, i) =>
  labels({ __name__: `ingest_metric_${i % 50}`, job: `job-${i % 10}`, instance: `host-${Math.floor(i / 50) % 2000}:9100`, shard: String(Math.floor(i / 100_000)) }),
);
async function ingest(s: Server) {
  const rss0 = rssBytes(s.pid);
  const cpu0 = cpuSeconds(s.pid);
  const t0 = Math.floor(Date.now() / STEP) * STEP - ROUNDS * STEP;
  let sendMs = 0;
  let firstMs = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const bodies: Uint8Array[] = [];
    for (let i = 0; i < SERIES; i += BATCH) {
      const ts = ingestLabels.slice(i, i + BATCH).map((l, j) => ({ labels: l, samples: [{ value: r * ((i + j) % 7) + ((i + j) % 13) * 0.5, timestamp: t0 + r * STEP }] }));
      bodies.push(encodeWriteRequest({ timeseries: ts }));
    }
    const w = performance.now();
    await sendAll(s.url, bodies);
    const ms = performance.now() - w;
    sendMs += ms;
    if (r === 0) firstMs = ms;
  }
  await sleep(2000);
  const cpu = cpuSeconds(s.pid) - cpu0;
  const samples = SERIES * ROUNDS;
  return {
    samplesPerSec: samples / (sendMs / 1000),
    /** The first round creates every series; the others append to known ones. */
    firstRoundPerSec: SERIES / (firstMs / 1000),
    laterRoundsPerSec: (samples - SERIES) / ((sendMs - firstMs) / 1000),
    cpuPerMillion: cpu / (samples / 1e6), rssPerSeries: (rssBytes(s.pid) - rss0) / SERIES, rss: rssBytes(s.pid) };
}

// ---- phase 2: history for DISK_SERIES series, then blocks, disk and queries
const diskLabels: Array<{ l: TimeSeries['labels']; kind: 'c' | 'b' | 'g'; k: number }> = [];
{
  const les = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '+Inf'];
  let k = 0;
  for (let job = 0; diskLabels.length < DISK_SERIES; job = (job + 1) % 10) {
    const inst = `host-${Math.floor(k / 10)}:9100`;
    for (const status of ['200', '500']) for (const path of ['/a', '/b']) diskLabels.push({ l: labels({ __name__: 'bench_requests_total', job: `job-${job}`, instance: inst, status, path }), kind: 'c', k: k++ });
    for (const le of les) diskLabels.push({ l: labels({ __name__: 'bench_latency_seconds_bucket', job: `job-${job}`, instance: inst, le }), kind: 'b', k: les.indexOf(le) });
    for (let g = 0; g < 6; g++) diskLabels.push({ l: labels({ __name__: 'bench_temperature', job: `job-${job}`, instance: inst, sensor: String(g) }), kind: 'g', k: k++ });
  }
  diskLabels.length = DISK_SERIES;
}
/** Realistic shapes: counters growing by varying steps, cumulative buckets, noisy gauges. */
function diskValue(s: (typeof diskLabels)[number], i: number, idx: number): number {
  if (s.kind === 'c') return Math.floor(i * (3 + (idx % 5)) + ((i * idx) % 7));
  if (s.kind === 'b') return i * (s.k + 1) * 2 + Math.floor((i * (idx % 3)) / 4);
  return Math.round((20 + 5 * Math.sin((i + idx) / 30) + ((i * 31 + idx) % 17) / 10) * 100) / 100;
}
const diskPoints = Math.round((HOURS * 3600_000) / STEP);
const diskEnd = Math.floor(Date.now() / STEP) * STEP - STEP;
const diskStart = diskEnd - (diskPoints - 1) * STEP;
async function writeHistory(s: Server, series = DISK_SERIES, points = diskPoints, start = diskStart, first = 0): Promise<number> {
  const slice = 60;
  const w = performance.now();
  for (let from = first; from < first + points; from += slice) {
    const bodies: Uint8Array[] = [];
    for (let i = 0; i < series; i += BATCH) {
      const ts = diskLabels.slice(i, Math.min(i + BATCH, series)).map((d, j) => ({
        labels: d.l,
        samples: Array.from({ length: Math.min(slice, first + points - from) }, (_, n) => ({ value: diskValue(d, from + n, i + j), timestamp: start + (from + n) * STEP })),
      }));
      bodies.push(encodeWriteRequest({ timeseries: ts }));
    }
    await sendAll(s.url, bodies);
  }
  return performance.now() - w;
}
/** The first persisted block: its bytes and numSamples from meta.json. */
function firstBlock(dataDir: string): { bytes: number; samples: number } | undefined {
  for (const e of readdirSync(dataDir, { withFileTypes: true })) {
    const meta = join(dataDir, e.name, 'meta.json');
    if (e.isDirectory() && /^[0-9A-Z]{26}$/.test(e.name) && existsSync(meta)) {
      const m = JSON.parse(readFileSync(meta, 'utf8')) as { stats: { numSamples: number } };
      return { bytes: dirBytes(join(dataDir, e.name)), samples: m.stats.numSamples };
    }
  }
  return undefined;
}
const QUERIES = {
  'sum by (job) (rate)': 'sum by (job) (rate(bench_requests_total[5m]))',
  'error ratio': 'sum by (job) (rate(bench_requests_total{status="500"}[5m])) / sum by (job) (rate(bench_requests_total[5m]))',
  'histogram_quantile': 'histogram_quantile(0.95, sum by (le) (rate(bench_latency_seconds_bucket[5m])))',
  'topk(5, x)': 'topk(5, bench_temperature)',
};
function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
}
async function queryLatency(s: Server) {
  const out: Record<string, { p50: number; p99: number }> = {};
  const at = String((diskEnd + 7_000) / 1000);
  const range = { start: String((diskEnd - 3600_000 + 7_000) / 1000), end: at, step: '15' };
  const ask = (kind: 'instant' | 'range', q: string) =>
    kind === 'instant' ? promApi(s.url, '/api/v1/query', { query: q, time: at }) : promApi(s.url, '/api/v1/query_range', { query: q, ...range });
  // A server answers the same rule queries over and over; measure that steady state. Every
  // query is asked WARMUP times untimed first (caches, and the JIT of a Node process; Go
  // needs none, so this costs Prometheus nothing).
  for (const q of Object.values(QUERIES)) for (const kind of ['instant', 'range'] as const) for (let r = 0; r < WARMUP; r++) await ask(kind, q);
  for (const [name, q] of Object.entries(QUERIES)) {
    for (const kind of ['instant', 'range'] as const) {
      const ms: number[] = [];
      for (let r = 0; r < REPS; r++) {
        const w = performance.now();
        await ask(kind, q);
        ms.push(performance.now() - w);
      }
      out[`${name} ${kind}`] = { p50: pct(ms, 50), p99: pct(ms, 99) };
    }
  }
  return out;
}
async function diskAndQueries(s: Server) {
  const rss0 = rssBytes(s.pid);
  const cpu0 = cpuSeconds(s.pid);
  const writeMs = await writeHistory(s);
  const cpu = cpuSeconds(s.pid) - cpu0;
  const deadline = Date.now() + 180_000;
  let block = firstBlock(s.dataDir);
  while (!block && Date.now() < deadline) {
    await sleep(1000);
    block = firstBlock(s.dataDir);
  }
  if (!block) throw new Error(`${s.name}: no block within 180 s in ${s.dataDir}`);
  const rssAfter = rssBytes(s.pid);
  const bytesRunning = dirBytes(s.dataDir);
  const latency = await queryLatency(s);
  await s.stop();
  const bytesStopped = dirBytes(s.dataDir);
  const samples = DISK_SERIES * diskPoints;
  return { writeMs, cpuPerMillion: cpu / (samples / 1e6), samples, block, bytesRunning, bytesStopped, rssPerSeries: (rssAfter - rss0) / DISK_SERIES, latency };
}

// ---- phase 0: memory as an operator sees it
const MEM_SERIES = Number(args['memory-series']);
const memPoints = Math.round((Number(args['memory-hours']) * 3600_000) / STEP);
const LIVE_ROUNDS = Number(args['memory-live-rounds']);
/** RssAnon / RssFile of a process, and for Vigil its main thread's V8 heap and external memory from /metrics. */
async function memoryParts(s: Server): Promise<Record<string, number>> {
  const st = readFileSync(`/proc/${s.pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(st)?.[1] ?? 0) * 1024;
  const parts: Record<string, number> = { anon: kb('RssAnon'), file: kb('RssFile') };
  if (s.name !== 'vigil') return parts;
  const text = await (await fetch(`${s.url}/metrics`)).text();
  const g = (re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);
  parts['heapTotal'] = g(/^nodejs_heap_size_total_bytes (\S+)/m);
  parts['heapUsed'] = g(/^nodejs_heap_size_used_bytes (\S+)/m);
  parts['newSpace'] = g(/^nodejs_heap_space_size_total_bytes\{space="new"\} (\S+)/m);
  parts['external'] = g(/^nodejs_external_memory_bytes (\S+)/m);
  return parts;
}
function partsText(p: Record<string, number>): string {
  return Object.entries(p).map(([k, v]) => `${k} ${(v / 1048576).toFixed(1)}`).join(', ') + ' MiB';
}
async function memory(s: Server) {
  await sleep(5000);
  const idle = rssBytes(s.pid);
  console.log(`${s.name} idle: ${partsText(await memoryParts(s))}`);
  await sleep(15_000);
  const idleSettled = rssBytes(s.pid);
  console.log(`${s.name} idle 20 s after start: ${partsText(await memoryParts(s))}`);
  const cpu0 = cpuSeconds(s.pid);
  const end = Math.floor(Date.now() / STEP) * STEP - STEP;
  const start = end - (memPoints - 1) * STEP;
  const ms = await writeHistory(s, MEM_SERIES, memPoints, start);
  const cpu = cpuSeconds(s.pid) - cpu0;
  await sleep(2000);
  const after = rssBytes(s.pid);
  const peak = peakRssBytes(s.pid);
  console.log(`${s.name} after: ${partsText(await memoryParts(s))}`);
  // Then what an operator's server does all day: the same series' next scrapes, one sample
  // each every 15 s, for LIVE_ROUNDS rounds; RSS 15 s after the last one.
  for (let r = 0; r < LIVE_ROUNDS; r++) {
    await writeHistory(s, MEM_SERIES, 1, start, memPoints + r);
    await sleep(STEP);
  }
  const live = rssBytes(s.pid);
  console.log(`${s.name} with live traffic: ${partsText(await memoryParts(s))}`);
  const samples = MEM_SERIES * memPoints;
  return {
    idleRss: idle, idleSettledRss: idleSettled, peakRss: peak, rss: after, perSeries: (after - idle) / MEM_SERIES,
    liveRss: live, livePerSeries: (live - idleSettled) / MEM_SERIES,
    samplesPerSec: samples / (ms / 1000), cpuPerMillion: cpu / (samples / 1e6),
  };
}
function memoryRows(v: Awaited<ReturnType<typeof memory>>, p: Awaited<ReturnType<typeof memory>>): Array<[string, number, number]> {
  const MiB = 1024 * 1024;
  return [
    ['idle RSS MiB, 5 s after start', v.idleRss / MiB, p.idleRss / MiB],
    [`peak RSS MiB while writing ${MEM_SERIES} series × ${memPoints} samples`, v.peakRss / MiB, p.peakRss / MiB],
    ['RSS MiB after', v.rss / MiB, p.rss / MiB],
    ['RSS growth bytes per series (after − idle) / series', v.perSeries, p.perSeries],
    ['idle RSS MiB, 20 s after start', v.idleSettledRss / MiB, p.idleSettledRss / MiB],
    [`RSS MiB with live traffic (${LIVE_ROUNDS} rounds at 15 s, 15 s after the last)`, v.liveRss / MiB, p.liveRss / MiB],
    ['RSS growth bytes per series with live traffic (live − idle at 20 s) / series', v.livePerSeries, p.livePerSeries],
    ['write samples/s (higher is better)', v.samplesPerSec, p.samplesPerSec],
    ['write CPU-s per 1M samples', v.cpuPerMillion, p.cpuPerMillion],
  ];
}

// ---- run
const machine = {
  nproc: cpus().length,
  cpu: /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '?',
  node: process.version,
  prometheus: prometheusVersion(),
};
console.log(JSON.stringify(machine));
// Vigil runs as installed: compiled, from bin/vigil.js.
execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
const MEMORY_ONLY = args['memory-only'] === undefined ? 0 : Number(args['memory-only']);
if (MEMORY_ONLY > 0) {
  console.log(`memory: ${MEM_SERIES} series × ${memPoints} samples at 15 s, ${BATCH} series/request, ${CONC} in flight; ${MEMORY_ONLY} pairs, Vigil first`);
  const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
  for (let i = 0; i < MEMORY_ONLY; i++) {
    const load0 = loadavg().map((x) => x.toFixed(2)).join(' ');
    const pair: Record<string, Awaited<ReturnType<typeof memory>>> = {};
    for (const start of [startVigil, startProm]) {
      const a = await start();
      pair[a.name] = await memory(a);
      await a.stop();
      cleanup(a);
    }
    console.log(`\npair ${i + 1}, load average ${load0} → ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n| measure | Vigil | Prometheus | Vigil/Prometheus |\n|---|---:|---:|---:|`);
    for (const [name, a, b] of memoryRows(pair['vigil']!, pair['prometheus']!)) console.log(`| ${name} | ${fmt(a)} | ${fmt(b)} | ${(a / b).toFixed(2)} |`);
  }
  process.exit(0);
}
const INGEST_ONLY = args['ingest-only'] === undefined ? 0 : Number(args['ingest-only']);
if (INGEST_ONLY > 0) {
  console.log(`vigil metrics.wal_sync: ${WAL_SYNC}, worker_thread: ${WORKER_THREAD}; ingest only, ${INGEST_ONLY} pairs`);
  console.log(`ingest: ${SERIES} series × ${ROUNDS} rounds, ${BATCH} series/request, ${CONC} in flight`);
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  for (let i = 0; i < INGEST_ONLY; i++) {
    const pair: Record<string, Awaited<ReturnType<typeof ingest>>> = {};
    for (const start of [startVigil, startProm]) {
      const a = await start();
      pair[a.name] = await ingest(a);
      await a.stop();
      cleanup(a);
    }
    const v = pair['vigil'] as Awaited<ReturnType<typeof ingest>>;
    const p = pair['prometheus'] as Awaited<ReturnType<typeof ingest>>;
    ratios.push(v.samplesPerSec / p.samplesPerSec);
    cpuRatios.push(v.cpuPerMillion / p.cpuPerMillion);
    const f = (x: number) => x.toFixed(0);
    console.log(
      `pair ${i + 1} (loadavg ${loadavg()[0]?.toFixed(2)}): samples/s vigil ${f(v.samplesPerSec)} prometheus ${f(p.samplesPerSec)} ratio ${(ratios.at(-1) as number).toFixed(2)} ` +
        `(first round ${f(v.firstRoundPerSec)} / ${f(p.firstRoundPerSec)}, later rounds ${f(v.laterRoundsPerSec)} / ${f(p.laterRoundsPerSec)}); ` +
        `CPU-s per 1M vigil ${v.cpuPerMillion.toFixed(2)} prometheus ${p.cpuPerMillion.toFixed(2)} ratio ${(cpuRatios.at(-1) as number).toFixed(2)}`,
    );
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  console.log(`median ratio vigil/prometheus: samples/s ${median(ratios).toFixed(2)} (higher is better), CPU-s per 1M ${median(cpuRatios).toFixed(2)} (lower is better)`);
  process.exit(0);
}
console.log(`vigil metrics.wal_sync: ${WAL_SYNC}, worker_thread: ${WORKER_THREAD}; query warm-up runs: ${WARMUP}, timed runs: ${REPS}`);
console.log(`loadavg at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`ingest: ${SERIES} series × ${ROUNDS} rounds, ${BATCH} series/request, ${CONC} in flight; disk/query: ${DISK_SERIES} series × ${diskPoints} samples (${HOURS} h at 15 s)`);

const res: Record<string, { mem: Awaited<ReturnType<typeof memory>>; ingest: Awaited<ReturnType<typeof ingest>>; disk: Awaited<ReturnType<typeof diskAndQueries>> }> = {};
for (const start of [startVigil, startProm]) {
  const m = await start();
  const mem = await memory(m);
  await m.stop();
  cleanup(m);
  console.log(`${m.name} memory`, JSON.stringify(mem));
  const a = await start();
  const ing = await ingest(a);
  await a.stop();
  cleanup(a);
  console.log(`${a.name} ingest`, JSON.stringify(ing));
  const b = await start();
  const disk = await diskAndQueries(b);
  cleanup(b);
  console.log(`${b.name} disk+query`, JSON.stringify(disk));
  res[a.name] = { mem, ingest: ing, disk };
}
console.log(`loadavg at end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);

const v = res['vigil'];
const p = res['prometheus'];
if (v && p) {
  const rows: Array<[string, number, number, string]> = [
    ...memoryRows(v.mem, p.mem).map(([n, a, b]): [string, number, number, string] => [n, a, b, 'lower']),
    ['ingest samples/s (higher is better)', v.ingest.samplesPerSec, p.ingest.samplesPerSec, 'higher'],
    ['ingest CPU-s per 1M samples', v.ingest.cpuPerMillion, p.ingest.cpuPerMillion, 'lower'],
    [`RSS growth bytes per series with 10 samples each (${SERIES} series; series structures only)`, v.ingest.rssPerSeries, p.ingest.rssPerSeries, 'lower'],
    ['history write CPU-s per 1M samples', v.disk.cpuPerMillion, p.disk.cpuPerMillion, 'lower'],
    ['first 2h block: bytes per sample', v.disk.block.bytes / v.disk.block.samples, p.disk.block.bytes / p.disk.block.samples, 'lower'],
    ['data dir bytes per sample, running', v.disk.bytesRunning / v.disk.samples, p.disk.bytesRunning / p.disk.samples, 'lower'],
    ['data dir bytes per sample, after shutdown', v.disk.bytesStopped / v.disk.samples, p.disk.bytesStopped / p.disk.samples, 'lower'],
    [`RSS bytes per series with history (${DISK_SERIES})`, v.disk.rssPerSeries, p.disk.rssPerSeries, 'lower'],
  ];
  for (const k of Object.keys(v.disk.latency)) {
    rows.push([`${k} p50 ms`, v.disk.latency[k]?.p50 ?? NaN, p.disk.latency[k]?.p50 ?? NaN, 'lower']);
    rows.push([`${k} p99 ms`, v.disk.latency[k]?.p99 ?? NaN, p.disk.latency[k]?.p99 ?? NaN, 'lower']);
  }
  const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
  console.log('\n| measure | Vigil | Prometheus | Vigil/Prometheus |\n|---|---:|---:|---:|');
  for (const [name, a, b] of rows) console.log(`| ${name} | ${fmt(a)} | ${fmt(b)} | ${(a / b).toFixed(2)} |`);
  console.log(`\nblocks: vigil ${v.disk.block.samples} samples in ${v.disk.block.bytes} B; prometheus ${p.disk.block.samples} samples in ${p.disk.block.bytes} B`);
}

// In-process PromQL latency benchmark: a Tsdb in a temp dir holding ~10k series × 2h at 15 s
// (counters, a 10-bucket classic histogram, gauges), then instant and 1h/15s range queries.
// Usage: node --import tsx bench/promql-latency.ts [--runs 10] [--hours 2] [--compact] [--only NAME] [--kind instant|range]
//        [--data vigil|side-by-side] [--alloc-profile out.heapprofile (sampled allocations of the queries, garbage included)]
// Reports wall p50/p99 and the process CPU time p50 of each query (CPU is steadier than wall on a
// shared machine). --data side-by-side --hours 3.25 --compact is bench/prometheus-side-by-side.ts's
// disk/query phase in process (same series, values, write pattern and query times; a 2h block + head).
// Profile: node --cpu-prof --cpu-prof-dir /tmp/prof --import tsx bench/promql-latency.ts --only topk --kind range
// Not part of the test suite.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Labels } from '../src/model/labels.js';
import { Engine } from '../src/promql/engine.js';
import { Tsdb } from '../src/tsdb/index.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    hours: { type: 'string', default: '2' },
    compact: { type: 'boolean', default: false },
    only: { type: 'string' },
    kind: { type: 'string' },
    data: { type: 'string', default: 'vigil' },
    'alloc-profile': { type: 'string' },
  },
});
const RUNS = Number(values.runs);
const STEP = 15_000;
const N = Math.round((Number(values.hours) * 3_600_000) / STEP);

type BenchSeries = { l: Labels; kind: 'c' | 'b' | 'g'; k: number };
const les = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '+Inf'];

/** The default data set: 8k counters, 1k gauges, 1k histogram buckets, block-aligned start. */
function vigilData(): { series: BenchSeries[]; value: (s: BenchSeries, n: number, idx: number) => number; queries: Record<string, string> } {
  const series: BenchSeries[] = [];
  let k = 0;
  const statuses = ['200', '201', '204', '301', '304', '400', '404', '429', '500', '503'];
  for (let j = 0; j < 50; j++) {
    for (let i = 0; i < 20; i++) {
      for (const status of statuses.slice(2)) series.push({ l: { __name__: 'http_requests_total', job: `job-${j}`, instance: `host-${i}:9100`, status }, kind: 'c', k: k++ });
      series.push({ l: { __name__: 'temperature', job: `job-${j}`, instance: `host-${i}:9100` }, kind: 'g', k: k++ });
    }
  }
  for (let i = 0; i < 100; i++) {
    for (let b = 0; b < les.length; b++) series.push({ l: { __name__: 'request_duration_seconds_bucket', job: `job-${i % 50}`, instance: `host-${i}:9100`, le: les[b] as string }, kind: 'b', k: b });
  }
  return {
    series,
    value: (s, n) => (s.kind === 'c' ? n * ((s.k % 7) + 1) : s.kind === 'b' ? n * (s.k + 1) * 3 : 20 + Math.round(Math.sin(n + s.k) * 40) / 4),
    queries: {
      'sum by (job) (rate)': 'sum by (job) (rate(http_requests_total[5m]))',
      'error ratio': 'sum by (job) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m]))',
      histogram_quantile: 'histogram_quantile(0.95, sum by (le) (rate(request_duration_seconds_bucket[5m])))',
      'topk(5, x)': 'topk(5, temperature)',
    },
  };
}

/** bench/prometheus-side-by-side.ts's disk/query data set (same labels, values and queries). */
function sideBySideData(): ReturnType<typeof vigilData> {
  const series: BenchSeries[] = [];
  let k = 0;
  for (let job = 0; series.length < 10_000; job = (job + 1) % 10) {
    const inst = `host-${Math.floor(k / 10)}:9100`;
    for (const status of ['200', '500']) for (const path of ['/a', '/b']) series.push({ l: { __name__: 'bench_requests_total', instance: inst, job: `job-${job}`, path, status }, kind: 'c', k: k++ });
    for (const le of les) series.push({ l: { __name__: 'bench_latency_seconds_bucket', instance: inst, job: `job-${job}`, le }, kind: 'b', k: les.indexOf(le) });
    for (let g = 0; g < 6; g++) series.push({ l: { __name__: 'bench_temperature', instance: inst, job: `job-${job}`, sensor: String(g) }, kind: 'g', k: k++ });
  }
  series.length = 10_000;
  return {
    series,
    value: (s, i, idx) => {
      if (s.kind === 'c') return Math.floor(i * (3 + (idx % 5)) + ((i * idx) % 7));
      if (s.kind === 'b') return i * (s.k + 1) * 2 + Math.floor((i * (idx % 3)) / 4);
      return Math.round((20 + 5 * Math.sin((i + idx) / 30) + ((i * 31 + idx) % 17) / 10) * 100) / 100;
    },
    queries: {
      'sum by (job) (rate)': 'sum by (job) (rate(bench_requests_total[5m]))',
      'error ratio': 'sum by (job) (rate(bench_requests_total{status="500"}[5m])) / sum by (job) (rate(bench_requests_total[5m]))',
      histogram_quantile: 'histogram_quantile(0.95, sum by (le) (rate(bench_latency_seconds_bucket[5m])))',
      'topk(5, x)': 'topk(5, bench_temperature)',
    },
  };
}

const sideBySide = values.data === 'side-by-side';
const data = sideBySide ? sideBySideData() : vigilData();
const dir = await mkdtemp(join(tmpdir(), 'vigil-promql-bench-'));
const db = await Tsdb.open(dir, { compactIntervalMs: 0 });
// side-by-side: not block aligned (its data ends "now"), written in slices of 60 samples per series.
const t0 = 1_767_225_600_000 + (sideBySide ? 37 * 60_000 : 0);
const SLICE = sideBySide ? 60 : 1;
const w0 = performance.now();
for (let from = 0; from < N; from += SLICE) {
  const app = db.appender();
  for (const [idx, s] of data.series.entries()) {
    for (let n = from; n < Math.min(N, from + SLICE); n++) app.append(s.l, t0 + n * STEP, data.value(s, n, idx));
  }
  await app.commit();
}
if (values.compact) await db.compact();
// side-by-side asks at the end of the data + 7 s, as that bench does.
const end = t0 + (N - 1) * STEP + (sideBySide ? 7_000 : 0);
console.log(`${data.series.length} series × ${N} samples loaded in ${((performance.now() - w0) / 1000).toFixed(1)} s; blocks=${db.stats().blocks}`);

const queries = data.queries;
const engine = new Engine();
const session = values['alloc-profile'] ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
}
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
};
console.log('| query | instant p50 ms | instant p99 ms | instant CPU p50 ms | range p50 ms | range p99 ms | range CPU p50 ms | range series |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
const cpuMs = (c: NodeJS.CpuUsage): number => (c.user + c.system) / 1000;
const doInst = values.kind !== 'range';
const doRange = values.kind !== 'instant';
for (const [name, q] of Object.entries(queries)) {
  if (values.only && !name.includes(values.only)) continue;
  const inst: number[] = [];
  const instCpu: number[] = [];
  const rng: number[] = [];
  const rngCpu: number[] = [];
  let nSeries = 0;
  if (doInst) await engine.instantQuery(db, q, end);
  if (doRange) await engine.rangeQuery(db, q, end - 3_600_000, end, STEP);
  for (let r = 0; r < RUNS; r++) {
    if (doInst) {
      const c = process.cpuUsage();
      const a = performance.now();
      await engine.instantQuery(db, q, end);
      inst.push(performance.now() - a);
      instCpu.push(cpuMs(process.cpuUsage(c)));
    }
    if (doRange) {
      const c = process.cpuUsage();
      const a = performance.now();
      const res = await engine.rangeQuery(db, q, end - 3_600_000, end, STEP);
      rng.push(performance.now() - a);
      rngCpu.push(cpuMs(process.cpuUsage(c)));
      nSeries = res.result instanceof Array ? res.result.length : 1;
    }
  }
  const f = (xs: number[], p: number): string => (xs.length === 0 ? '-' : pct(xs, p).toFixed(1));
  console.log(`| ${name} | ${f(inst, 50)} | ${f(inst, 99)} | ${f(instCpu, 50)} | ${f(rng, 50)} | ${f(rng, 99)} | ${f(rngCpu, 50)} | ${nSeries} |`);
}
if (session && values['alloc-profile']) {
  const { profile } = await session.post('HeapProfiler.stopSampling');
  await writeFile(values['alloc-profile'], JSON.stringify(profile));
}
await db.close();
await rm(dir, { recursive: true, force: true });

// In-process PromQL latency benchmark: a Tsdb in a temp dir holding ~10k series × 2h at 15 s
// (counters, a 10-bucket classic histogram, gauges), then instant and 1h/15s range queries.
// Usage: node --import tsx bench/promql-latency.ts [--runs 10] [--hours 2] [--compact] [--only NAME]
// Not part of the test suite.
import { mkdtemp, rm } from 'node:fs/promises';
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
  },
});
const RUNS = Number(values.runs);
const STEP = 15_000;
const N = Math.round((Number(values.hours) * 3_600_000) / STEP);

const labels: Array<{ l: Labels; kind: 'c' | 'b' | 'g'; k: number }> = [];
let k = 0;
const statuses = ['200', '201', '204', '301', '304', '400', '404', '429', '500', '503'];
for (let j = 0; j < 50; j++) {
  for (let i = 0; i < 20; i++) {
    for (const status of statuses.slice(2)) labels.push({ l: { __name__: 'http_requests_total', job: `job-${j}`, instance: `host-${i}:9100`, status }, kind: 'c', k: k++ });
    labels.push({ l: { __name__: 'temperature', job: `job-${j}`, instance: `host-${i}:9100` }, kind: 'g', k: k++ });
  }
}
const les = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '+Inf'];
for (let i = 0; i < 100; i++) {
  for (let b = 0; b < les.length; b++) labels.push({ l: { __name__: 'request_duration_seconds_bucket', job: `job-${i % 50}`, instance: `host-${i}:9100`, le: les[b] as string }, kind: 'b', k: b });
}

const dir = await mkdtemp(join(tmpdir(), 'vigil-promql-bench-'));
const db = await Tsdb.open(dir, { compactIntervalMs: 0 });
const t0 = 1_767_225_600_000;
const w0 = performance.now();
for (let n = 0; n < N; n++) {
  const app = db.appender();
  const t = t0 + n * STEP;
  for (const s of labels) {
    const v = s.kind === 'c' ? n * ((s.k % 7) + 1) : s.kind === 'b' ? n * (s.k + 1) * 3 : 20 + Math.round(Math.sin(n + s.k) * 40) / 4;
    app.append(s.l, t, v);
  }
  await app.commit();
}
if (values.compact) await db.compact();
const end = t0 + (N - 1) * STEP;
console.log(`${labels.length} series × ${N} samples loaded in ${((performance.now() - w0) / 1000).toFixed(1)} s; blocks=${db.stats().blocks}`);

const queries: Record<string, string> = {
  'sum by (job) (rate)': 'sum by (job) (rate(http_requests_total[5m]))',
  'error ratio': 'sum by (job) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m]))',
  histogram_quantile: 'histogram_quantile(0.95, sum by (le) (rate(request_duration_seconds_bucket[5m])))',
  'topk(5, x)': 'topk(5, temperature)',
};
const engine = new Engine();
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
};
console.log('| query | instant p50 ms | instant p99 ms | range p50 ms | range p99 ms | range series |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [name, q] of Object.entries(queries)) {
  if (values.only && !name.includes(values.only)) continue;
  const inst: number[] = [];
  const rng: number[] = [];
  let nSeries = 0;
  await engine.instantQuery(db, q, end);
  await engine.rangeQuery(db, q, end - 3_600_000, end, STEP);
  for (let r = 0; r < RUNS; r++) {
    let a = performance.now();
    await engine.instantQuery(db, q, end);
    inst.push(performance.now() - a);
    a = performance.now();
    const res = await engine.rangeQuery(db, q, end - 3_600_000, end, STEP);
    rng.push(performance.now() - a);
    nSeries = res.result instanceof Array ? res.result.length : 1;
  }
  console.log(`| ${name} | ${pct(inst, 50).toFixed(1)} | ${pct(inst, 99).toFixed(1)} | ${pct(rng, 50).toFixed(1)} | ${pct(rng, 99).toFixed(1)} | ${nSeries} |`);
}
await db.close();
await rm(dir, { recursive: true, force: true });

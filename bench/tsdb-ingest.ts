// Ingest benchmark for src/tsdb: appends S series × N samples (15 s scrape interval) through the
// Appender, one commit per scrape, then compacts the 2h of data into a block.
// Usage: node --expose-gc --import tsx bench/tsdb-ingest.ts [--series 100000] [--samples 480] [--dir /tmp/x]
// Not part of the test suite.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Labels } from '../src/model/labels.js';
import { Tsdb } from '../src/tsdb/index.js';

const { values } = parseArgs({
  options: { series: { type: 'string', default: '100000' }, samples: { type: 'string', default: '480' }, dir: { type: 'string' } },
});
const S = Number(values.series);
const N = Number(values.samples);
const STEP = 15_000;
const dir = values.dir ?? (await mkdtemp(join(tmpdir(), 'vigil-tsdb-bench-')));

try {
  execFileSync('which', ['prometheus'], { stdio: 'ignore' });
  console.log('prometheus is installed: side-by-side comparison left to the lead (skipped here)');
} catch {
  console.log('prometheus not installed: no side-by-side comparison');
}

const series: Labels[] = [];
for (let i = 0; i < S; i++) {
  series.push({ __name__: `metric_${i % 100}`, job: `job-${i % 10}`, instance: `host-${Math.floor(i / 100)}:9100`, path: `/p/${i % 37}` });
}
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
gc();
const rssBefore = process.memoryUsage().rss;
const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
const db = await Tsdb.open(dir, { compactIntervalMs: 0, blockRangeMs: 2 * 3_600_000 });
const t0 = 1_767_225_600_000; // 2026-01-01, aligned to 2h
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
// Counters and gauges: a counter grows by a small integer step, a gauge jitters.
for (let k = 0; k < N; k++) {
  const app = db.appender();
  const t = t0 + k * STEP;
  for (let i = 0; i < S; i++) app.append(series[i] as Labels, t, i % 2 === 0 ? k * ((i % 7) + 1) : 100 + Math.round(Math.sin(k + i) * 20) / 4);
  await app.commit();
}
const wall = (performance.now() - wall0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSec = (cpu.user + cpu.system) / 1e6;
const total = S * N;
gc();
const rssAfter = process.memoryUsage().rss;
const heapAfter = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
const walBytes = db.stats().walBytes;

// One later sample pushes the head past 1.5 block ranges, so the 2h range is compactable.
const tick = db.appender();
tick.append({ __name__: 'bench_tick' }, t0 + 3 * 3_600_000, 1);
await tick.commit();
const c0 = performance.now();
await db.compact();
const compactSec = (performance.now() - c0) / 1000;
const st = db.stats();
const q0 = performance.now();
const q = await db.querier(t0, t0 + N * STEP);
const { newMatcher } = await import('../src/model/matcher.js');
const res = await q.select([newMatcher('=', '__name__', 'metric_7'), newMatcher('=', 'job', 'job-7')], { start: t0, end: t0 + N * STEP });
q.close();
const qSec = (performance.now() - q0) / 1000;

const fmt = (n: number, d = 2): string => n.toLocaleString('en-US', { maximumFractionDigits: d });
console.log(`series ${fmt(S)} × samples ${fmt(N)} = ${fmt(total)} samples, one commit per scrape (${fmt(S)} samples/commit)`);
console.log(`ingest: ${fmt(wall)} s wall, ${fmt(total / wall, 0)} samples/s, ${fmt(cpuSec / (total / 1e6), 3)} CPU-s per million samples`);
console.log(`memory: heap+buffers +${fmt((heapAfter - heapBefore) / 1048576, 1)} MiB = ${fmt((heapAfter - heapBefore) / S, 0)} bytes per active series${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for a stable figure)'}`);
console.log(`memory: RSS +${fmt((rssAfter - rssBefore) / 1048576, 1)} MiB, ${fmt((rssAfter - rssBefore) / S, 0)} bytes per active series (head with ${N} samples each)`);
console.log(`wal before compaction: ${fmt(walBytes / 1048576, 1)} MiB (${fmt(walBytes / total)} bytes/sample)`);
console.log(`compaction: ${fmt(compactSec)} s; block ${fmt(st.blockSamples)} samples, ${fmt(st.blockChunks)} chunks, ${fmt(st.blockBytes / 1048576, 1)} MiB`);
console.log(`on disk after compaction: blocks ${fmt(st.blockBytes / st.blockSamples, 3)} bytes/sample; blocks+wal ${fmt(st.bytesOnDisk / 1048576, 1)} MiB`);
console.log(`query: ${res.length} series × ${res[0]?.timestamps.length ?? 0} samples in ${fmt(qSec * 1000, 1)} ms`);
await db.close();
if (!values.dir) await rm(dir, { recursive: true, force: true });

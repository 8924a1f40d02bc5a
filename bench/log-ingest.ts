/**
 * The whole log path on one process: Loki-push-shaped batches → LogIngestor (parse, enrich,
 * redact) → LogStore (WAL fsync, chunks) → per-service template mining, log metrics and
 * detectors (Vigil's LogsRuntime). Input: the Loghub-2k samples of 8 systems repeated to N
 * lines, and a JSON application log of N lines. Reports lines/s (wall and CPU), resident
 * memory, bytes on disk per line after a checkpoint, and the latency of a filtered LogQL
 * query over everything stored.
 *
 *   node --expose-gc --import tsx bench/log-ingest.ts [lines=1000000] [batch=2000] [inflight=4] [loghub|json]
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogStore, defaultRedactor, queryRange } from '../src/logs/index.js';
import { LogsRuntime } from '../src/logs/index.js';
import { LogIngestor } from '../src/ingest/index.js';
import { createLogger } from '../src/app/logger.js';
import { detectorsSchema } from '../src/logs/detect/config.js';
import { systemClock } from '../src/model/clock.js';
import type { Appendable } from '../src/storage/index.js';
import { DATASETS, loadDataset } from './loghub-score.js';

const N = Number(process.argv[2] ?? 1_000_000);
const BATCH = Number(process.argv[3] ?? 2000);
/** Batches in flight at once, as several shippers (or one with parallel sends) would have. */
const INFLIGHT = Number(process.argv[4] ?? 4);

/** CPU seconds of each OS thread of this process (utime + stime from /proc), by thread id. */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, (Number(f[11]) + Number(f[12])) / 100);
    }
  } catch {
    // not Linux: no per-thread figures
  }
  return out;
}

function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((n, f) => {
    const p = join(dir, f);
    const s = statSync(p);
    return n + (s.isDirectory() ? dirBytes(p) : s.size);
  }, 0);
}

const nullSink: Appendable = { appender: () => ({ append: () => undefined, commit: async () => undefined, rollback: () => undefined }) };

const loghub: Array<{ service: string; line: string }> = [];
for (const spec of DATASETS) for (const line of loadDataset(spec).lines) loghub.push({ service: spec.name.toLowerCase(), line });
const paths = ['/api/cart', '/api/checkout', '/api/products', '/health', '/api/login'];
const jsonLine = (i: number) => ({
  service: 'shop-api',
  line: JSON.stringify({
    ts: new Date(Date.now() + i).toISOString(),
    level: i % 97 === 0 ? 'error' : 'info',
    msg: i % 97 === 0 ? 'upstream timeout exceeded' : 'request handled',
    method: 'GET',
    path: paths[i % paths.length],
    status: i % 97 === 0 ? 504 : 200,
    duration_ms: (i * 7) % 900,
    request_id: `req-${i.toString(36)}`,
    user_id: `u${i % 5000}`,
  }),
});
// Built before the clock starts, like the Loghub input: 100,000 distinct lines (distinct
// request ids and timestamps), cycled. Generating each line during the run cost the main
// thread ~1.3 µs per line, which is the benchmark's work, not Vigil's.
const JSON_POOL = 100_000;
const jsonLines = Array.from({ length: JSON_POOL }, (_, i) => jsonLine(i));
const json = (i: number) => jsonLines[i % JSON_POOL] as { service: string; line: string };

async function runOne(name: string, gen: (i: number) => { service: string; line: string }) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-logbench-'));
  const store = await LogStore.open(join(dir, 'logs'));
  const logs: LogsRuntime = new LogsRuntime({
    dir: join(dir, 'logs'),
    redactor: defaultRedactor,
    clock: systemClock,
    sink: nullSink,
    logger: createLogger('silent'),
    maxPendingLines: 1_000_000,
    detectors: detectorsSchema.parse({}),
    sources: [],
    intake: async () => ({ accepted: 0, errors: [] }),
    ingest: (inputs): Promise<unknown> => ingestor.ingest(inputs),
  });
  const ingestor: LogIngestor = new LogIngestor({
    store,
    redactor: defaultRedactor,
    processor: logs.processor,
    maxPendingLines: 1_000_000,
    onAccepted: (inputs, meta) => logs.accepted(inputs, meta),
  });
  await logs.start();
  const t0 = Date.now();
  const elu0 = performance.eventLoopUtilization();
  const threads0 = threadCpu();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const inflight = new Set<Promise<unknown>>();
  // One labels object per stream, as the push decoders hand over a stream's lines.
  const streams = new Map<string, { service: string }>();
  for (let i = 0; i < N; i += BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(N, i + BATCH); j++) {
      const g = gen(j);
      let labels = streams.get(g.service);
      if (!labels) streams.set(g.service, (labels = { service: g.service }));
      batch.push({ labels, t: t0 + j, line: g.line });
    }
    const p = ingestor.ingest(batch).finally(() => inflight.delete(p));
    inflight.add(p);
    if (inflight.size >= INFLIGHT) await Promise.race(inflight);
  }
  await Promise.all(inflight);
  const seconds = (performance.now() - start) / 1000;
  const elu = performance.eventLoopUtilization(elu0).utilization;
  const threads1 = threadCpu();
  const mainCpu = (threads1.get(String(process.pid)) ?? 0) - (threads0.get(String(process.pid)) ?? 0);
  let otherCpu = 0;
  for (const [tid, c] of threads1) if (tid !== String(process.pid)) otherCpu += c - (threads0.get(tid) ?? 0);
  const workerElu = (logs as unknown as { processor: { utilization?: () => number } }).processor.utilization?.();
  const cpu = process.cpuUsage(cpu0);
  (globalThis as { gc?: () => void }).gc?.();
  const rss = process.memoryUsage().rss;
  await store.checkpoint();
  const bytes = dirBytes(join(dir, 'logs'));
  const q0 = performance.now();
  const r = await queryRange(store, '{service=~".+"} |= "timeout" != "health"', { start: t0 - 1, end: t0 + N + 1, limit: 100 });
  const qms = performance.now() - q0;
  const q1 = performance.now();
  const m = await queryRange(store, 'sum by (service) (count_over_time({service=~".+"} |= "error" [1m]))', { start: t0, end: t0 + N, step: 60_000 });
  const qms2 = performance.now() - q1;
  const patterns = (await logs.patterns()).length;
  await logs.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  const cpuS = (cpu.user + cpu.system) / 1e6;
  console.log(
    `${name}: ${Math.round(N / seconds).toLocaleString('en-US')} lines/s wall, ${Math.round(N / cpuS).toLocaleString('en-US')} lines per CPU-second; ` +
      `RSS ${(rss / 2 ** 20).toFixed(0)} MiB; ${(bytes / N).toFixed(1)} bytes/line on disk; ` +
      `CPU µs per line: main thread ${((mainCpu * 1e6) / N).toFixed(1)}, other threads ${((otherCpu * 1e6) / N).toFixed(1)}; ` +
      `busy: main thread ${(100 * elu).toFixed(0)} %${workerElu !== undefined ? `, worker ${(100 * workerElu).toFixed(0)} %` : ''}; ` +
      `filtered query over ${N.toLocaleString('en-US')} lines ${qms.toFixed(0)} ms (${r.resultType}), metric query ${qms2.toFixed(0)} ms (${m.resultType}); patterns ${patterns}`,
  );
}

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}; load average ${loadavg()[0]?.toFixed(1)} at start`);
console.log(`${N.toLocaleString('en-US')} lines, batches of ${BATCH}, ${INFLIGHT} in flight, whole path: parse + redact + WAL fsync + store + mining + metrics + detectors`);
/** Optional 4th argument: run only `loghub` or `json`. */
const ONLY = process.argv[5];
if (ONLY !== 'json') await runOne('Loghub-2k ×8 systems, repeated', (i) => loghub[i % loghub.length] as { service: string; line: string });
if (ONLY !== 'loghub') await runOne('JSON application log', json);
console.log(`load average ${loadavg()[0]?.toFixed(1)} at end`);

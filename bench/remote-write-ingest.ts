// In-process remote-write ingest benchmark: pre-encoded WriteRequests (snappy + protobuf) of
// 500 series × 1 sample over 100k active series, fed to handleRemoteWrite() against a real Tsdb
// (WAL + fsync), `--concurrency` requests in flight. Reports samples/s and samples per CPU-second.
// Usage: node --import tsx bench/remote-write-ingest.ts [--series 100000] [--rounds 10] [--batch 500] [--concurrency 4] [--profile out.cpuprofile]
//        [--no-cached] (hide Appender.appendCached, to compare with the plain append() path)
//        [--worker] (decode in a worker thread through RemoteWriteReceiver, as the server does;
//        CPU is then the whole process's, both threads)
// Not part of the test suite.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeWriteRequest, handleRemoteWrite, type TimeSeries } from '../src/ingest/remote-write.js';
import { RemoteWriteReceiver } from '../src/ingest/remote-write-receiver.js';
import type { Appendable } from '../src/storage/appender.js';
import { Tsdb } from '../src/tsdb/index.js';

const { values } = parseArgs({
  options: {
    series: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '10' },
    batch: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '4' },
    profile: { type: 'string' },
    'no-cached': { type: 'boolean', default: false },
    worker: { type: 'boolean', default: false },
  },
});
const S = Number(values.series);
const R = Number(values.rounds);
const B = Number(values.batch);
const C = Number(values.concurrency);
const STEP = 15_000;
const t0 = 1_767_225_600_000;

function labelsOf(i: number): TimeSeries['labels'] {
  return [
    { name: '__name__', value: `bench_metric_${i % 100}` },
    { name: 'instance', value: `host-${Math.floor(i / 100)}:9100` },
    { name: 'job', value: `job-${i % 10}` },
    { name: 'path', value: `/api/v1/p${i % 37}` },
    { name: 'series', value: String(i) },
  ];
}
const allLabels = Array.from({ length: S }, (_, i) => labelsOf(i));

function encodeRound(k: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const t = t0 + k * STEP;
  for (let start = 0; start < S; start += B) {
    const timeseries: TimeSeries[] = [];
    for (let i = start; i < Math.min(S, start + B); i++) {
      const v = i % 2 === 0 ? k * ((i % 7) + 1) : 100 + Math.round(Math.sin(k + i) * 20) / 4;
      timeseries.push({ labels: allLabels[i] as TimeSeries['labels'], samples: [{ value: v, timestamp: t }] });
    }
    out.push(encodeWriteRequest({ timeseries }));
  }
  return out;
}

// Encoding happens before timing (and before profiling), as the HTTP bench encodes outside its timing.
const rounds = Array.from({ length: R }, (_, k) => encodeRound(k));
const session = values.profile ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
const dir = await mkdtemp(join(tmpdir(), 'vigil-rw-bench-'));
const db = await Tsdb.open(dir, { compactIntervalMs: 0 });
const target: Appendable = values['no-cached']
  ? {
      appender: () => {
        const a = db.appender();
        return { append: (l, t, v) => a.append(l, t, v), commit: () => a.commit(), rollback: () => a.rollback() };
      },
    }
  : db;
const receiver = values.worker ? new RemoteWriteReceiver(target, { thread: true }) : undefined;
const handle = receiver
  ? (body: Uint8Array) => receiver.handle(body, 'snappy', 'application/x-protobuf')
  : (body: Uint8Array) => handleRemoteWrite(target, body, 'snappy', 'application/x-protobuf');
let cpuTotal = 0;
let allCpu = 0;
let allWall = 0;
let wallTotal = 0;
let samplesTotal = 0;
const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d });
for (let k = 0; k < R; k++) {
  const bodies = rounds[k] as Uint8Array[];
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < bodies.length) {
      const body = bodies[next++] as Uint8Array;
      const r = await handle(body);
      if (r.status !== 204) throw new Error(`status ${r.status}: ${'message' in r ? r.message : ''}`);
    }
  };
  await Promise.all(Array.from({ length: C }, worker));
  const wall = (performance.now() - w0) / 1000;
  const c = process.cpuUsage(cpu0);
  const cpu = (c.user + c.system) / 1e6;
  console.log(`round ${k}${k === 0 ? ' (creates series)' : ''}: ${fmt(S / wall)} samples/s, ${fmt(S / cpu)} samples/CPU-s`);
  allCpu += cpu;
  allWall += wall;
  if (k > 0) {
    cpuTotal += cpu;
    wallTotal += wall;
    samplesTotal += S;
  }
}
if (samplesTotal > 0) {
  console.log(
    `steady state (rounds 1..${R - 1}): ${fmt(samplesTotal / wallTotal)} samples/s, ${fmt(samplesTotal / cpuTotal)} samples/CPU-s, ${fmt(cpuTotal / (samplesTotal / 1e6), 2)} CPU-s per 1M samples`,
  );
}
// The side-by-side bench's ingest figure includes the first round (series creation).
console.log(`all rounds: ${fmt((S * R) / allWall)} samples/s, ${fmt((S * R) / allCpu)} samples/CPU-s, ${fmt(allCpu / ((S * R) / 1e6), 2)} CPU-s per 1M samples`);
if (session && values.profile) {
  const { profile } = await session.post('Profiler.stop');
  await writeFile(values.profile, JSON.stringify(profile));
}
await receiver?.close();
await db.close();
await rm(dir, { recursive: true, force: true });

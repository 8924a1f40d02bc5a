import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogStore } from '../store/log-store.js';
import type { LogInput } from '../types.js';
import { queryInstant, queryRange } from './evaluate.js';
import { exactSum } from './exact-sum.js';

/** A small deterministic PRNG (mulberry32), so a failure names a seed that reproduces it. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3600_000;
const LEVELS = ['info', 'warn', 'error', 'debug', ''];

let dir: string;
let legacyDir: string;
let store: LogStore;
let legacy: LogStore;

/** Lines over 6 h in shuffled batches: streams by service and pod; level and region few-valued, zone × shard too many tuples, request_id unique. */
function data(seed: number): LogInput[][] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const streams: Array<Record<string, string>> = [
    { service: 'api', pod: 'a' }, { service: 'api', pod: 'b' }, { service: 'web', pod: 'a' }, { service: 'api', pod: 'c', level: 'error' },
  ];
  const batches: LogInput[][] = [];
  for (let b = 0; b < 60; b++) {
    const batch: LogInput[] = [];
    for (let i = 0; i < 200; i++) {
      // Some lines share a millisecond; batches overlap in time, so heads arrive out of order.
      const t = T0 + Math.floor(((b + r() * 3) / 62) * 6 * HOUR / 50) * 50;
      const fields: Record<string, string> = {};
      const level = pick(LEVELS);
      if (level !== '' || r() < 0.5) fields.level = level;
      if (r() < 0.7) fields.region = pick(['eu', 'us']);
      if (b >= 30) {
        fields.zone = `z${Math.floor(r() * 40)}`;
        fields.shard = `s${Math.floor(r() * 40)}`;
      }
      if (r() < 0.5) fields.request_id = `r${b}-${i}`;
      batch.push({ labels: pick(streams), t, ns: Math.floor(r() * 1000), line: 'x'.repeat(Math.floor(r() * 60)) + (r() < 0.3 ? ' ünïcödé' : ''), ...(r() < 0.9 ? { fields } : {}) });
    }
    batches.push(batch);
  }
  return batches;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-counting-'));
  store = await LogStore.open(join(dir, 'new'), { chunkBytes: 4096 });
  const batches = data(7);
  // The last few batches stay in heads (chunkBytes is never reached by them alone).
  for (const b of batches.slice(0, -2)) await store.append(b);
  await store.flush();
  // The same data as chunks written before line statistics existed: bodies only, no statsBytes.
  await store.close();
  legacyDir = join(dir, 'legacy');
  await cp(join(dir, 'new'), legacyDir, { recursive: true });
  const idx = JSON.parse(await readFile(join(legacyDir, 'index.json'), 'utf8')) as { streams: Array<{ chunks: Array<{ file: string; statsBytes?: number }> }> };
  let stripped = 0;
  for (const s of idx.streams) {
    for (const c of s.chunks) {
      if (!c.statsBytes) continue;
      const raw = await readFile(join(legacyDir, 'chunks', c.file));
      await writeFile(join(legacyDir, 'chunks', c.file), raw.subarray(c.statsBytes));
      delete c.statsBytes;
      stripped++;
    }
  }
  assert.ok(stripped > 20, `only ${stripped} chunks had line statistics`);
  await writeFile(join(legacyDir, 'index.json'), JSON.stringify(idx));
  store = await LogStore.open(join(dir, 'new'), { chunkBytes: 4096 });
  legacy = await LogStore.open(legacyDir, { chunkBytes: 4096 });
  for (const b of batches.slice(-2)) {
    await store.append(b);
    await legacy.append(b);
  }
  assert.ok((await readdir(join(dir, 'new', 'chunks'))).length > 20);
});

after(async () => {
  await store.close();
  await legacy.close();
  await rm(dir, { recursive: true, force: true });
});

const QUERIES = [
  'sum by (level) (count_over_time({service="api"}[5m]))',
  'sum by (level, region) (count_over_time({service=~".+"}[17m]))',
  'sum by (pod) (bytes_over_time({service="api"}[3m]))',
  'sum(count_over_time({pod="a"}[1h]))',
  'sum without (request_id) (count_over_time({service="web"}[10m]))',
  'sum by (level) (sum by (level, pod) (count_over_time({service="api"}[5m])))',
  'sum by (zone) (count_over_time({service="api"}[30m]))',
  'sum by (request_id) (count_over_time({service="web"}[2m]))',
  'count_over_time({service="api", pod="c"}[5m])',
  'sum by (level) (rate({service="api"}[5m]))',
  'sum by (level) (bytes_rate({service="api"}[7m]))',
  'rate({service="web"}[5m])',
  'sum(count_over_time({service="api"} |= "ü" [10m])) by (level)',
  'sum by (level) (count_over_time({service="api"} | level="error" [10m]))',
  'topk(2, sum by (zone) (count_over_time({service="api"}[1h])))',
  'sum by (level) (count_over_time({service="api"}[5m])) / sum(count_over_time({service="api"}[5m]))',
  'avg by (level) (count_over_time({service="api"}[5m]))',
  'max by (region) (bytes_over_time({service="api"}[20m]))',
];

describe('counting from line statistics equals reading every line', () => {
  test('randomized windows, steps and groupings: range queries', async () => {
    const r = rng(42);
    for (let i = 0; i < 40; i++) {
      const q = QUERIES[i % QUERIES.length]!;
      const start = T0 - HOUR + Math.floor(r() * 8 * HOUR);
      const step = [1000, 60_000, 300_000, 3_600_000, 7 * 60_000 + 3][Math.floor(r() * 5)]!;
      const end = start + Math.floor(r() * Math.min(4 * HOUR, step * 600));
      const p = { start, end, step, limits: { maxSeries: 100_000 } };
      const what = `${q} start=${start} end=${end} step=${step}`;
      const slow = await queryRange(store, q, { ...p, scan: true });
      assert.deepEqual(await queryRange(store, q, p), slow, what);
      assert.deepEqual(await queryRange(legacy, q, p), slow, `${what} (chunks without statistics)`);
    }
  });

  test('instant queries', async () => {
    for (const q of QUERIES) {
      for (const time of [T0 + 5 * 60_000, T0 + 3 * HOUR + 1, T0 + 6 * HOUR]) {
        const p = { time, limits: { maxSeries: 100_000 } };
        assert.deepEqual(await queryInstant(store, q, p), await queryInstant(store, q, { ...p, scan: true }), `${q} @${time}`);
      }
    }
  });

  test('the whole range in one window counts every line', async () => {
    const r = await queryInstant(store, 'sum(count_over_time({service=~".+"}[12h]))', { time: T0 + 7 * HOUR });
    assert.equal(r.resultType === 'vector' ? r.result[0]?.value[1] : '', String(60 * 200));
  });
});

test('exactSum is correctly rounded and independent of order', () => {
  assert.equal(exactSum([0.1, 0.2, 0.3]), 0.6);
  assert.equal(exactSum([1e100, 1, -1e100]), 1);
  assert.equal(exactSum([1, 1e100, 1, -1e100]), 2);
  assert.equal(exactSum([]), 0);
  assert.ok(Object.is(exactSum([-0]), 0));
  assert.equal(exactSum([Infinity, 1]), Infinity);
  assert.ok(Number.isNaN(exactSum([Infinity, -Infinity])));
  const r = rng(3);
  const xs = Array.from({ length: 200 }, () => (r() - 0.5) * 10 ** Math.floor(r() * 20 - 10));
  const want = exactSum(xs);
  for (let i = 0; i < 5; i++) assert.equal(exactSum([...xs].sort(() => r() - 0.5)), want);
});

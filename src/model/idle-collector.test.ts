import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { getHeapSpaceStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { FakeClock } from './clock.js';
import { IdleCollector, nodeMemory } from './idle-collector.js';

const MiB = 1024 * 1024;

/** A process whose load, footprint and collections are set by hand. */
function fakeProcess() {
  const clock = new FakeClock();
  const p = {
    clock,
    load: 0,
    footprint: 100 * MiB,
    /** What a collection brings the footprint down to. */
    live: 60 * MiB,
    collectedAt: [] as number[],
  };
  const collector = new IdleCollector({
    clock,
    footprint: () => p.footprint,
    busy: () => p.load,
    collect: () => {
      p.collectedAt.push(clock.now() - clock.now() % 1000);
      p.footprint = p.live;
    },
  });
  return { p, collector, start: clock.now() };
}

test('IdleCollector: collects at the first quiet interval after start, and once more after 6 s of quiet in a row', async () => {
  const { p, collector, start } = fakeProcess();
  p.load = 0.9; // start-up still busy
  collector.start();
  await p.clock.advance(3000);
  assert.equal(collector.collections, 0, 'nothing while busy');
  p.load = 0.01;
  await p.clock.advance(1000);
  assert.equal(collector.collections, 1, 'the first quiet interval after start');
  await p.clock.advance(5000);
  assert.equal(collector.collections, 1, 'the second waits for 6 s of quiet');
  await p.clock.advance(1000);
  assert.equal(collector.collections, 2);
  await p.clock.advance(60_000);
  assert.equal(collector.collections, 2, 'then nothing without growth');
  assert.deepEqual(p.collectedAt.map((t) => t - start), [4000, 10_000]);
  collector.stop();
  assert.equal(p.clock.pendingTimers(), 0);
});

test('IdleCollector: after a burst, collects when it ends, again after 6 s of quiet, and after smaller growth once quiet for 6 s', async () => {
  const { p, collector } = fakeProcess();
  collector.start();
  await p.clock.advance(20_000);
  assert.equal(collector.collections, 2);
  // A burst: busy, the footprint grows; nothing runs during it.
  p.load = 1;
  p.footprint = p.live + 100 * MiB;
  await p.clock.advance(10_000);
  assert.equal(collector.collections, 2, 'a busy loop is never interrupted');
  // Load that stays at the threshold is not quiet.
  p.load = 0.05;
  await p.clock.advance(5000);
  assert.equal(collector.collections, 2);
  p.load = 0.04;
  await p.clock.advance(1000);
  assert.equal(collector.collections, 3, 'the burst is over');
  // Live traffic every 5 s: a busy second each time; the quiet never lasts 6 s.
  for (let i = 0; i < 4; i++) {
    p.load = 0.5;
    await p.clock.advance(1000);
    p.load = 0;
    await p.clock.advance(4000);
  }
  assert.equal(collector.collections, 3, 'no growth, and never 6 s of quiet');
  await p.clock.advance(2000);
  assert.equal(collector.collections, 4, 'the second collection, after 6 s of quiet in a row');
  await p.clock.advance(30_000);
  assert.equal(collector.collections, 4);
  // Growth below 16 MiB is not worth a collection at once; 4 MiB or more is, after 6 s of quiet.
  p.load = 0.5;
  p.footprint = p.live + 3 * MiB;
  await p.clock.advance(1000);
  p.load = 0;
  await p.clock.advance(10_000);
  assert.equal(collector.collections, 4, 'under 4 MiB of growth: nothing');
  p.load = 0.5;
  p.footprint = p.live + 15 * MiB;
  await p.clock.advance(1000);
  p.load = 0;
  await p.clock.advance(5000);
  assert.equal(collector.collections, 4, '15 MiB: not at once');
  await p.clock.advance(1000);
  assert.equal(collector.collections, 5, '... but after 6 s of quiet');
  await p.clock.advance(20_000);
  assert.equal(collector.collections, 5);
  p.footprint = p.live + 16 * MiB;
  await p.clock.advance(1000);
  assert.equal(collector.collections, 6, '16 MiB: at the first quiet second');
  collector.stop();
});

test('IdleCollector: reduces memory at start and once settled, not after a burst; a collection that runs as a task is waited for', async () => {
  const clock = new FakeClock();
  const p = { load: 0.01, footprint: 100 * MiB, calls: [] as [number, boolean][], finish: undefined as (() => void) | undefined };
  const collector = new IdleCollector({
    clock,
    footprint: () => p.footprint,
    busy: () => p.load,
    collect: (reduce) => {
      p.calls.push([clock.now(), reduce]);
      return new Promise<void>((resolve) => {
        p.finish = () => {
          p.footprint = 60 * MiB;
          resolve();
        };
      });
    },
  });
  collector.start();
  const start = clock.now();
  await clock.advance(1000);
  assert.equal(p.calls.length, 1, 'the first quiet interval after start');
  // Not finished yet: later ticks neither start another nor measure the footprint.
  p.footprint = 200 * MiB;
  await clock.advance(8000);
  assert.equal(p.calls.length, 1, 'nothing while one is under way');
  p.finish?.();
  await clock.advance(5000);
  assert.equal(p.calls.length, 1, 'the footprint after it is the base; quiet counts from its end');
  await clock.advance(1000);
  assert.equal(p.calls.length, 2, 'then once more after 6 s of quiet');
  p.finish?.();
  await clock.advance(30_000);
  assert.equal(p.calls.length, 2);
  // A burst, then quiet: a plain collection at once (the young generation stays for the next
  // busy second), a reducing one after 6 s of quiet.
  p.load = 1;
  p.footprint = 100 * MiB;
  await clock.advance(5000);
  p.load = 0;
  await clock.advance(1000);
  assert.equal(p.calls.length, 3);
  p.finish?.();
  await clock.advance(6000);
  assert.equal(p.calls.length, 4);
  p.finish?.();
  await clock.advance(20_000);
  assert.equal(p.calls.length, 4);
  const t = (i: number) => (p.calls[i]?.[0] ?? NaN) - start;
  assert.deepEqual(
    p.calls.map(([, reduce], i) => [t(i), reduce]),
    [
      [1000, true],
      [15_000, true],
      [51_000, false],
      [57_000, true],
    ],
  );
  collector.stop();
  assert.equal(clock.pendingTimers(), 0);
});

const newSpace = () => getHeapSpaceStatistics().find((x) => x.space_name === 'new_space')?.space_size ?? NaN;

/** Grows the young generation (scavenges with high survival) and leaves 64 MiB of garbage in the old one. */
async function burst(): Promise<void> {
  let keep: number[][] | undefined = Array.from({ length: 64 }, () => Array.from({ length: 128 * 1024 }, (_, i) => i + 0.5));
  await new Promise((r) => setImmediate(r));
  keep = undefined;
  assert.equal(keep, undefined);
}

test('nodeMemory: the memory-reducing collection frees garbage and gives the young generation back at once, without --expose-gc', async () => {
  const deps = nodeMemory(new FakeClock());
  assert.ok(deps, 'a collection can be had');
  const used = () => process.memoryUsage().heapUsed;
  await burst();
  const before = used();
  const youngBefore = newSpace();
  assert.ok(youngBefore >= 8 * MiB, `the young generation grew (${(youngBefore / MiB).toFixed(0)} MiB)`);
  await deps.collect(true);
  assert.ok(before - used() > 48 * MiB, `heap used ${(before / MiB).toFixed(0)} -> ${(used() / MiB).toFixed(0)} MiB`);
  assert.ok(newSpace() <= 2 * MiB, `young generation ${(youngBefore / MiB).toFixed(0)} -> ${(newSpace() / MiB).toFixed(1)} MiB`);
  // Again, on the same session; and a plain one.
  for (const reduce of [true, false]) {
    await burst();
    const again = used();
    await deps.collect(reduce);
    assert.ok(again - used() > 48 * MiB, `reduce ${reduce}: ${(again / MiB).toFixed(0)} -> ${(used() / MiB).toFixed(0)} MiB`);
  }
  const b = deps.busy();
  assert.ok(b >= 0 && b <= 1);
  assert.ok(deps.footprint() > 0);
});

test('nodeMemory without the inspector: a plain gc() obtained at run time frees garbage, on the main thread and in a worker', async () => {
  const deps = nodeMemory(new FakeClock(), { inspector: false });
  assert.ok(deps, 'gc is obtained at run time');
  assert.equal(runInNewContext('typeof gc'), 'undefined', 'and no later context gets it');
  const used = () => process.memoryUsage().heapUsed;
  await burst();
  const before = used();
  await deps.collect(true);
  assert.ok(before - used() > 48 * MiB, `heap used ${(before / MiB).toFixed(0)} -> ${(used() / MiB).toFixed(0)} MiB`);
  // Each isolate collects its own heap: the worker entries call collectWhenIdle. Both kinds
  // of collection, and the worker still exits on its own afterwards.
  const w = new Worker(
    `(await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})).register();
     const { nodeMemory } = await import(${JSON.stringify(new URL('./idle-collector.ts', import.meta.url).href)});
     const { parentPort } = await import('node:worker_threads');
     const { getHeapSpaceStatistics } = await import('node:v8');
     const young = () => getHeapSpaceStatistics().find((x) => x.space_name === 'new_space').space_size;
     const clock = { now: () => 0, setTimeout: () => ({ id: 0 }), clearTimeout: () => {} };
     const freed = [];
     for (const inspector of [false, true]) {
       const d = nodeMemory(clock, { inspector });
       let g = Array.from({ length: 32 }, () => Array.from({ length: 128 * 1024 }, (_, i) => i + 0.5));
       await new Promise((r) => setImmediate(r));
       const before = process.memoryUsage().heapUsed;
       const youngBefore = young();
       g = undefined;
       await d.collect(true);
       freed.push([before - process.memoryUsage().heapUsed, youngBefore, young(), inspector]);
     }
     parentPort.postMessage(freed);`,
    { eval: true },
  );
  const freed = await new Promise<[number, number, number, boolean][]>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  const code = await new Promise<number>((resolve) => w.once('exit', resolve));
  assert.equal(code, 0, 'the worker exits on its own with the inspector session open');
  const [plain, reducing] = freed;
  assert.ok(plain && reducing);
  assert.ok(plain[0] > 24 * MiB, `gc() in the worker freed ${(plain[0] / MiB).toFixed(0)} MiB`);
  assert.equal(plain[3], false);
  assert.ok(reducing[0] > 24 * MiB, `the memory-reducing collection in the worker freed ${(reducing[0] / MiB).toFixed(0)} MiB`);
  assert.equal(reducing[3], true);
  assert.ok(reducing[1] >= 8 * MiB && reducing[2] <= 2 * MiB, `young generation in the worker ${(reducing[1] / MiB).toFixed(0)} -> ${(reducing[2] / MiB).toFixed(1)} MiB`);
});

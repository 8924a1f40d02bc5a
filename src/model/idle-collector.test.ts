import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
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

test('nodeMemory: a real full collection frees garbage without --expose-gc, on the main thread and in a worker', async () => {
  const deps = nodeMemory(new FakeClock());
  assert.ok(deps, 'gc is obtained at run time');
  assert.equal(runInNewContext('typeof gc'), 'undefined', 'and no later context gets it');
  const used = () => process.memoryUsage().heapUsed;
  // 64 MiB of garbage in the old generation (survives two scavenges, then dropped).
  let keep: number[][] | undefined = Array.from({ length: 64 }, () => Array.from({ length: 128 * 1024 }, (_, i) => i + 0.5));
  await new Promise((r) => setImmediate(r));
  const before = used();
  keep = undefined;
  assert.equal(keep, undefined);
  deps.collect();
  assert.ok(before - used() > 48 * MiB, `heap used ${(before / MiB).toFixed(0)} -> ${(used() / MiB).toFixed(0)} MiB`);
  const b = deps.busy();
  assert.ok(b >= 0 && b <= 1);
  assert.ok(deps.footprint() > 0);
  // Each isolate collects its own heap: the worker entries call collectWhenIdle.
  const w = new Worker(
    `(await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})).register();
     const { nodeMemory } = await import(${JSON.stringify(new URL('./idle-collector.ts', import.meta.url).href)});
     const { parentPort } = await import('node:worker_threads');
     const d = nodeMemory({ now: () => 0, setTimeout: () => ({ id: 0 }), clearTimeout: () => {} });
     let g = Array.from({ length: 32 }, () => Array.from({ length: 128 * 1024 }, (_, i) => i + 0.5));
     await new Promise((r) => setImmediate(r));
     const before = process.memoryUsage().heapUsed;
     g = undefined;
     d.collect();
     parentPort.postMessage(before - process.memoryUsage().heapUsed);`,
    { eval: true },
  );
  const freed = await new Promise<number>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  await w.terminate();
  assert.ok(freed > 24 * MiB, `the worker freed ${(freed / MiB).toFixed(0)} MiB`);
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../model/clock.js';
import type { ProbeResult } from './probe.js';
import { abortMessage } from './probe.js';
import { Scheduler } from './scheduler.js';

interface Check {
  name: string;
  interval: number;
  timeout: number;
}
type Behaviour = (signal: AbortSignal, clock: FakeClock, check: Check) => Promise<ProbeResult>;

const ok = (message = 'ok'): ProbeResult => ({ success: true, durationMs: 0, message, metrics: {} });

/** Succeeds after `ms` of fake time; an abort ends it at once, as a real probe must. */
const takes =
  (ms: number): Behaviour =>
  (signal, clock, check) =>
    new Promise((resolve) => {
      const h = clock.setTimeout(() => resolve(ok()), ms);
      signal.addEventListener('abort', () => {
        clock.clearTimeout(h);
        resolve({ success: false, durationMs: 0, message: abortMessage(signal, check.timeout), metrics: {} });
      });
    });
const hangs: Behaviour = takes(Number.MAX_SAFE_INTEGER / 4);

function harness(checks: Check[], opts: { concurrency?: number; jitter?: number; behaviours?: Record<string, Behaviour> } = {}) {
  const clock = new FakeClock(0);
  const starts: Array<[string, number]> = [];
  const results: Array<{ name: string; scheduledAt: number; startedAt: number; at: number; r: ProbeResult }> = [];
  const skips: Array<[string, number]> = [];
  let running = 0;
  let maxRunning = 0;
  const scheduler = new Scheduler<Check>({
    clock,
    concurrency: opts.concurrency ?? 10,
    jitter: opts.jitter ?? 0,
    run: async (check, signal) => {
      starts.push([check.name, clock.now()]);
      running++;
      maxRunning = Math.max(maxRunning, running);
      try {
        return await (opts.behaviours?.[check.name] ?? takes(0))(signal, clock, check);
      } finally {
        running--;
      }
    },
    onResult: (check, r, scheduledAt, startedAt) => results.push({ name: check.name, scheduledAt, startedAt, at: clock.now(), r }),
    onSkip: (check, scheduledAt) => skips.push([check.name, scheduledAt]),
  });
  scheduler.update(checks);
  return { clock, scheduler, starts, results, skips, maxRunning: () => maxRunning };
}

const startsOf = (starts: Array<[string, number]>, name: string) => starts.filter(([n]) => n === name).map(([, t]) => t);

describe('scheduler', () => {
  test('runs each check on its own interval', async () => {
    const h = harness([
      { name: 'a', interval: 1000, timeout: 500 },
      { name: 'b', interval: 2500, timeout: 500 },
    ]);
    h.scheduler.start();
    await h.clock.advance(5200);
    assert.deepEqual(startsOf(h.starts, 'a'), [0, 1000, 2000, 3000, 4000, 5000]);
    assert.deepEqual(startsOf(h.starts, 'b'), [0, 2500, 5000]);
    assert.equal(h.results.length, 9);
    assert.ok(h.results.every((r) => r.startedAt === r.scheduledAt));
    await h.scheduler.stop();
  });

  test('spreads checks sharing an interval by a stable offset within the jitter fraction', async () => {
    const checks = Array.from({ length: 10 }, (_, i) => ({ name: `check-${i}`, interval: 10_000, timeout: 1000 }));
    const h = harness(checks, { jitter: 1 });
    h.scheduler.start();
    await h.clock.advance(9_999);
    const firsts = checks.map((c) => startsOf(h.starts, c.name)[0]);
    assert.ok(firsts.every((t) => t !== undefined && t >= 0 && t < 10_000), String(firsts));
    assert.ok(new Set(firsts).size >= 9, `offsets should differ: ${firsts}`);
    await h.clock.advance(10_000);
    for (const c of checks) {
      const [first, second] = startsOf(h.starts, c.name);
      assert.equal((second as number) - (first as number), 10_000);
    }
    await h.scheduler.stop();
    const again = harness(checks, { jitter: 1 });
    assert.deepEqual(checks.map((c) => again.scheduler.offsetOf(c)), firsts);
    const narrow = harness(checks, { jitter: 0.1 });
    assert.ok(checks.every((c) => narrow.scheduler.offsetOf(c) < 1000));
  });

  test('never runs more than `concurrency` at once and reports the wait as lag', async () => {
    const names = ['c1', 'c2', 'c3', 'c4', 'c5'];
    const h = harness(
      names.map((name) => ({ name, interval: 10_000, timeout: 5000 })),
      { concurrency: 2, behaviours: Object.fromEntries(names.map((n) => [n, takes(500)])) },
    );
    h.scheduler.start();
    await h.clock.advance(3000);
    assert.equal(h.maxRunning(), 2);
    const lags = h.results.map((r) => r.startedAt - r.scheduledAt).sort((a, b) => a - b);
    assert.deepEqual(lags, [0, 0, 500, 500, 1000]);
    await h.scheduler.stop();
  });

  test('a slow target times out on its own and never delays the others', async () => {
    const h = harness(
      [
        { name: 'slow', interval: 10_000, timeout: 3000 },
        { name: 'fast', interval: 1000, timeout: 500 },
      ],
      { concurrency: 2, behaviours: { slow: hangs } },
    );
    h.scheduler.start();
    await h.clock.advance(4500);
    assert.deepEqual(startsOf(h.starts, 'fast'), [0, 1000, 2000, 3000, 4000]);
    assert.ok(h.results.filter((r) => r.name === 'fast').every((r) => r.startedAt === r.scheduledAt && r.r.success));
    const slow = h.results.filter((r) => r.name === 'slow');
    assert.equal(slow.length, 1);
    assert.equal(slow[0]?.r.success, false);
    assert.equal(slow[0]?.r.message, 'timeout after 3000ms');
    assert.equal(slow[0]?.at, 3000);
    await h.scheduler.stop();
  });

  test('a probe that ignores its abort still yields a timeout result and frees its slot', async () => {
    const deaf: Behaviour = () => new Promise(() => {});
    const h = harness(
      [
        { name: 'deaf', interval: 10_000, timeout: 1000 },
        { name: 'other', interval: 10_000, timeout: 1000 },
      ],
      { concurrency: 1, behaviours: { deaf } },
    );
    h.scheduler.start();
    await h.clock.advance(1500);
    assert.deepEqual(h.results.map((r) => [r.name, r.r.message, r.startedAt]), [
      ['deaf', 'timeout after 1000ms', 0],
      ['other', 'ok', 1000],
    ]);
  });

  test('skips a tick while the previous run is still going, never queueing it twice', async () => {
    const h = harness([{ name: 'a', interval: 1000, timeout: 3500 }], { behaviours: { a: hangs } });
    h.scheduler.start();
    await h.clock.advance(3200);
    assert.deepEqual(startsOf(h.starts, 'a'), [0]);
    assert.deepEqual(h.skips, [['a', 1000], ['a', 2000], ['a', 3000]]);
    await h.clock.advance(800); // timeout at 3500, next tick at 4000
    assert.deepEqual(startsOf(h.starts, 'a'), [0, 4000]);
    await h.scheduler.stop();
  });

  test('with timeout equal to the interval, each tick still runs', async () => {
    const h = harness([{ name: 'a', interval: 1000, timeout: 1000 }], { behaviours: { a: hangs } });
    h.scheduler.start();
    await h.clock.advance(3500);
    assert.deepEqual(startsOf(h.starts, 'a'), [0, 1000, 2000, 3000]);
    assert.deepEqual(h.skips, []);
    assert.deepEqual(h.results.map((r) => r.r.message), ['timeout after 1000ms', 'timeout after 1000ms', 'timeout after 1000ms']);
    await h.scheduler.stop();
  });

  test('stop aborts runs in flight, reports nothing for them and leaves no timers', async () => {
    let settled = false;
    const h = harness([{ name: 'a', interval: 1000, timeout: 900 }], {
      behaviours: {
        a: (signal, clock, check) => takes(800)(signal, clock, check).finally(() => (settled = true)),
      },
    });
    h.scheduler.start();
    await h.clock.advance(100);
    assert.equal(h.scheduler.stats().running, 1);
    await h.scheduler.stop();
    assert.equal(settled, true);
    assert.equal(h.results.length, 0);
    assert.equal(h.clock.pendingTimers(), 0);
    await h.clock.advance(5000);
    assert.equal(h.starts.length, 1);
  });

  test('update adds, removes and reschedules checks; unchanged ones keep their phase', async () => {
    const h = harness([
      { name: 'keep', interval: 1000, timeout: 500 },
      { name: 'drop', interval: 1000, timeout: 500 },
      { name: 'change', interval: 1000, timeout: 500 },
    ]);
    h.scheduler.start();
    await h.clock.advance(1500);
    h.scheduler.update([
      { name: 'keep', interval: 1000, timeout: 500 },
      { name: 'change', interval: 2000, timeout: 500 },
      { name: 'new', interval: 1000, timeout: 500 },
    ]);
    await h.clock.advance(3000);
    assert.deepEqual(startsOf(h.starts, 'keep'), [0, 1000, 2000, 3000, 4000]);
    assert.deepEqual(startsOf(h.starts, 'drop'), [0, 1000]);
    assert.deepEqual(startsOf(h.starts, 'change'), [0, 1000, 1500, 3500]);
    assert.deepEqual(startsOf(h.starts, 'new'), [1500, 2500, 3500, 4500]);
    const dup = { name: 'x', interval: 1000, timeout: 1 };
    assert.throws(() => h.scheduler.update([dup, dup]), /duplicate check name "x"/);
    assert.equal(h.scheduler.stats().checks, 3, 'a rejected update changes nothing');
    await h.scheduler.stop();
  });

  test('thousands of checks share one clock timer, their deadlines too', async () => {
    const checks = Array.from({ length: 2000 }, (_, i) => ({ name: `c${i}`, interval: 1000, timeout: 900 }));
    const h = harness(checks, { jitter: 1, concurrency: 4000, behaviours: Object.fromEntries(checks.map((c) => [c.name, takes(1)])) });
    h.scheduler.start();
    assert.equal(h.clock.pendingTimers(), 1);
    await h.clock.advance(2000);
    // One timer for the queue plus the fake probes' own (each takes 1 ms of fake time).
    assert.ok(h.clock.pendingTimers() <= 1 + h.scheduler.stats().running, String(h.clock.pendingTimers()));
    assert.equal(h.results.length, 4000);
    assert.ok(h.results.every((r) => r.startedAt === r.scheduledAt && r.r.success));
    await h.scheduler.stop();
    assert.equal(h.clock.pendingTimers(), 0);
  });

  test('a run that throws becomes a failed result', async () => {
    const h = harness([{ name: 'a', interval: 1000, timeout: 500 }], {
      behaviours: {
        a: () => {
          throw new Error('boom');
        },
      },
    });
    h.scheduler.start();
    await h.clock.advance(10);
    assert.equal(h.results[0]?.r.success, false);
    assert.equal(h.results[0]?.r.message, 'probe error: boom');
    await h.scheduler.stop();
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Clock, TimerHandle } from '../model/clock.js';
import { EventLoopLagSampler } from './event-loop-lag.js';
import { LatestSamples } from './latest-samples.js';
import { VigilMetrics } from './metrics.js';

/** A clock whose time and timers move only by hand, so a "stall" is time passing without the timer firing. */
class HandClock implements Clock {
  t = 1_000;
  pending: { fn: () => void; ms: number } | undefined;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    this.pending = { fn, ms };
    return { id: 1 };
  }
  clearTimeout(): void {
    this.pending = undefined;
  }
  /** Lets `ms` pass, then runs the pending timer (late when ms exceeds its delay). */
  run(ms: number): void {
    const p = this.pending;
    assert.ok(p, 'a tick is scheduled');
    this.pending = undefined;
    this.t += ms;
    p.fn();
  }
}

test('event loop lag: a timer on time observes 0, a stalled loop observes how late the timer ran', () => {
  const clock = new HandClock();
  const seen: number[] = [];
  const s = new EventLoopLagSampler(clock, (v) => seen.push(v), 10);
  s.start();
  clock.run(10);
  clock.run(310);
  clock.run(12);
  assert.deepEqual(seen, [0, 0.3, 0.002]);
  s.stop();
  assert.equal(clock.pending, undefined, 'stop cancels the next tick');
});

test('/metrics exposes vigil_event_loop_lag_seconds, fed by a real stall of the event loop', async () => {
  const m = new VigilMetrics(new LatestSamples(), async () => 0, () => 0);
  const counted = async () => Number(/^vigil_event_loop_lag_seconds_count (\S+)$/m.exec(await m.text())?.[1]);
  const slowOnes = async () => {
    const text = await m.text();
    const le = (b: string) => Number(text.split('\n').find((l) => l.startsWith(`vigil_event_loop_lag_seconds_bucket{le="${b}"} `))?.split(' ')[1]);
    return le('+Inf') - le('0.1');
  };
  assert.equal(await counted(), 0);
  m.loopLag.start();
  try {
    // The sampler's tick is due within 10 ms; holding the loop for 150 ms makes it at least 140 ms late.
    const until = performance.now() + 150;
    while (performance.now() < until) {
      /* a synchronous stall */
    }
    // setImmediate keeps the loop alive while we wait: the sampler's own timer is unref'd,
    // so with nothing else pending the runner would see an empty event loop and cancel the test.
    while ((await counted()) === 0) await new Promise((r) => setImmediate(r));
    assert.ok((await slowOnes()) >= 1, 'the stall is in a bucket above 100 ms');
  } finally {
    m.loopLag.stop();
  }
});

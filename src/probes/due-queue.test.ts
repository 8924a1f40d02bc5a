import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../model/clock.js';
import { DueQueue } from './due-queue.js';

test('calls run at their due time in due order, ties in the order added, on one clock timer', async () => {
  const clock = new FakeClock(0);
  const q = new DueQueue(clock);
  const seen: Array<[string, number]> = [];
  const at = (name: string) => () => seen.push([name, clock.now()]);
  q.add(300, at('c'));
  q.add(100, at('a1'));
  q.add(200, at('b'));
  q.add(100, at('a2'));
  assert.equal(clock.pendingTimers(), 1);
  assert.equal(q.size, 4);
  await clock.advance(250);
  assert.deepEqual(seen, [['a1', 100], ['a2', 100], ['b', 200]]);
  assert.equal(clock.pendingTimers(), 1);
  await clock.advance(100);
  assert.deepEqual(seen.at(-1), ['c', 300]);
  assert.equal(q.size, 0);
  assert.equal(clock.pendingTimers(), 0, 'nothing due: no timer left');
});

test('an earlier call re-arms the timer; a call added while firing that is already due runs in the same pass', async () => {
  const clock = new FakeClock(0);
  const q = new DueQueue(clock);
  const seen: string[] = [];
  q.add(1000, () => seen.push('late'));
  q.add(10, () => {
    seen.push('early');
    q.add(10, () => seen.push('chained'));
    q.add(20, () => seen.push('next'));
  });
  assert.equal(clock.pendingTimers(), 1);
  await clock.advance(10);
  assert.deepEqual(seen, ['early', 'chained']);
  await clock.advance(10);
  assert.deepEqual(seen, ['early', 'chained', 'next']);
  await clock.advance(980);
  assert.deepEqual(seen, ['early', 'chained', 'next', 'late']);
});

test('cancelled calls never run, and emptied slots are dropped', async () => {
  const clock = new FakeClock(0);
  const q = new DueQueue(clock);
  const ran: number[] = [];
  const slots = Array.from({ length: 500 }, (_, i) => q.add(1 + i, () => ran.push(i)));
  for (const [i, s] of slots.entries()) if (i % 5 !== 0) q.cancel(s);
  q.cancel(slots[1] as (typeof slots)[number]); // twice is harmless
  assert.equal(q.size, 100);
  await clock.advance(600);
  assert.deepEqual(ran, Array.from({ length: 100 }, (_, i) => i * 5));
  assert.equal(clock.pendingTimers(), 0);
});

test('cancelling the earliest call moves the timer on; clear drops everything', async () => {
  const clock = new FakeClock(0);
  const q = new DueQueue(clock);
  const seen: number[] = [];
  const first = q.add(10, () => seen.push(10));
  q.add(50, () => seen.push(50));
  q.cancel(first);
  await clock.advance(20);
  assert.equal(seen.length, 0);
  await clock.advance(30);
  assert.deepEqual(seen, [50]);
  q.add(100, () => seen.push(100));
  q.clear();
  assert.equal(clock.pendingTimers(), 0);
  await clock.advance(100);
  assert.deepEqual(seen, [50]);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuerySlots } from './query-slots.js';

test('slots: at most max hold one; waiters go in order; an aborted waiter leaves the queue', async () => {
  const slots = new QuerySlots(1);
  const never = new AbortController().signal;
  const release = await slots.acquire(never);
  const got: string[] = [];
  const ctl = new AbortController();
  const b = slots.acquire(ctl.signal).then(() => got.push('b'), (e: unknown) => got.push(`b: ${(e as Error).message}`));
  const c = slots.acquire(never).then((r) => (got.push('c'), r));
  assert.equal(slots.queued, 2);
  ctl.abort(new Error('timed out in the queue'));
  await b;
  assert.equal(slots.queued, 1);
  release();
  release(); // twice: no effect
  const rc = await c;
  assert.deepEqual(got, ['b: timed out in the queue', 'c']);
  rc();
  const again = await slots.acquire(never);
  again();
  assert.throws(() => new QuerySlots(0), /at least 1/);
});

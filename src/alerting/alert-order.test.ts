import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Alert } from '../model/alert.js';
import { mergeAlert } from './alert-order.js';

const T0 = Date.UTC(2026, 0, 1);
const a = (startsAt: number, endsAt: number, updatedAt: number): Alert => ({ labels: { alertname: 'A' }, annotations: {}, startsAt, endsAt, generatorURL: '', updatedAt });

test('a merge that changes nothing of the younger alert returns it, not a copy; one that does returns a merged copy', () => {
  // Overlapping, and the younger's start and end stand (held until resolved, resent with an end): the incoming object itself.
  const open = a(T0, 0, T0);
  const resent = a(T0, T0 + 200_000, T0 + 60_000);
  assert.equal(mergeAlert(open, resent, T0 + 60_000), resent);
  const held = a(T0, T0 + 300_000, T0);
  // A resend with a later start: the earliest start wins, in a copy; the incoming is left as it was.
  const later = a(T0 + 10_000, T0 + 360_000, T0 + 60_000);
  const merged = mergeAlert(held, later, T0 + 60_000);
  assert.notEqual(merged, later);
  assert.deepEqual(merged, { ...later, startsAt: T0 });
  assert.equal(later.startsAt, T0 + 10_000);
  // No overlap: the incoming replaces the held one.
  const next = a(T0 + 400_000, 0, T0 + 400_000);
  assert.equal(mergeAlert(held, next, T0 + 400_000), next);
});

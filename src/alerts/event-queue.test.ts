import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PipelineEvent } from '../model/notification.js';
import { EventQueue } from './event-queue.js';
import type { StoredAlert } from './intake.js';

const alert = (i: number): StoredAlert => ({ labels: { i: String(i) }, annotations: {}, startsAt: 1, endsAt: 0, generatorURL: '', updatedAt: 1, fingerprint: `fp${i}`, timeout: false, source: 'api' });

test('events reach the subscribers there were when they happened, in order, as the events they stand for, never synchronously', async () => {
  const errors: unknown[] = [];
  const q = new EventQueue((err) => errors.push(err));
  const seen: Array<[string, PipelineEvent]> = [];
  q.emitAlert('firing', alert(0), []); // nobody listening: dropped
  const offA = q.subscribe(async (ev) => {
    await new Promise((r) => setImmediate(r));
    seen.push(['a', ev]);
  });
  q.emitAlert('firing', alert(1), []);
  q.emitAlert('firing', alert(2), [{ stage: 'silenced', by: ['s1'] }]);
  q.subscribe((ev) => {
    seen.push(['b', ev]);
    if (ev.type === 'delivery') throw new Error('boom');
  });
  q.emitAlert('resolved', alert(1), undefined);
  const delivery = { outcome: 'sent', receiver: 'r', integration: 'webhook[0]', groupKey: 'g', fingerprints: ['fp1'], status: 'firing', attempts: 1, at: 5 } as const;
  q.emit({ type: 'delivery', delivery });
  offA();
  q.emitAlert('firing', alert(3), undefined);
  assert.equal(seen.length, 0, 'not synchronously');
  // 5,000 more (past the queue's compaction point), to one subscriber.
  for (let i = 10; i < 5010; i++) q.emitAlert('firing', alert(i), []);
  await q.idle();
  const head = seen.slice(0, 8).map(([who, ev]) => (ev.type === 'alert' ? [who, ev.kind, ev.alert.fingerprint, ev.mutedBy] : [who, ev.type, ev.delivery]));
  assert.deepEqual(head, [
    ['a', 'firing', 'fp1', []],
    ['a', 'firing', 'fp2', [{ stage: 'silenced', by: ['s1'] }]],
    ['a', 'resolved', 'fp1', undefined],
    ['b', 'resolved', 'fp1', undefined],
    ['a', 'delivery', delivery],
    ['b', 'delivery', delivery],
    ['b', 'firing', 'fp3', []],
    ['b', 'firing', 'fp10', []],
  ]);
  assert.equal(seen.length, 7 + 5000);
  assert.deepEqual(seen.slice(7).map(([, ev]) => (ev.type === 'alert' ? ev.alert.fingerprint : '')), Array.from({ length: 5000 }, (_, i) => `fp${i + 10}`));
  assert.equal(errors.length, 1);
  const resolvedEvent = seen[2]?.[1];
  assert.ok(resolvedEvent?.type === 'alert' && !('mutedBy' in resolvedEvent), 'a resolved event carries no mutedBy, as before');
});

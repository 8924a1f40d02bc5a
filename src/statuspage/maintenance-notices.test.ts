import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MaintenanceNotices } from './maintenance-notices.js';
import { MemoryNoticeLog } from './notice-log.js';
import { MemorySubscriberStore } from './subscriber-store.js';
import type { Notice } from './subscriptions.js';
import type { PlannedWindow } from './types.js';
import type { StatusSnapshot } from './page.js';

const T0 = Date.UTC(2026, 11, 7, 9);
const MIN = 60_000;
const snapshot: StatusSnapshot = { title: 'Shop', description: null, generatedAt: T0, status: { indicator: 'none', description: 'All Systems Operational' }, components: [], active: [], past: [], maintenance: [] };

function harness(windows: PlannedWindow[]) {
  let now = T0;
  const subs = new MemorySubscriberStore();
  void subs.put({ id: 's1', channel: 'webhook', address: 'https://example.com/hook', tokenHash: 'h', createdAt: T0, confirmedAt: T0 });
  const log = new MemoryNoticeLog(subs);
  const sent: string[] = [];
  const errors: unknown[] = [];
  let fail = false;
  const notices = new MaintenanceNotices({
    windows: { overlapping: (from, to) => windows.filter((w) => w.start < to && w.end > from) },
    components: [{ service: 'api', name: 'Checkout' }],
    subscribers: {
      sendOnce: (key, subject, n: Notice) => {
        if (fail) return Promise.reject(new Error('database is locked'));
        return log.once(key, subject, now, () => {
          sent.push(n.subject);
          return [];
        });
      },
      sentAbout: (s) => log.sentAbout(s),
    },
    snapshot: async () => snapshot,
    pageURL: 'https://status.example.com/status',
    now: () => now,
    onError: (err) => errors.push(err),
  });
  return { notices, sent, errors, log, at: (t: number) => (now = t), failing: (f: boolean) => (fail = f) };
}

const win = (id: string, services: string[], start: number, end: number, reason = id): PlannedWindow => ({ id, services, start, end, reason });

test('a window first seen in progress is announced as started; one first seen completed not at all', async () => {
  const h = harness([win('now', ['api'], T0 - MIN, T0 + MIN), win('old', ['api'], T0 - 10 * MIN, T0 - 5 * MIN), win('other', ['batch'], T0 + MIN, T0 + 2 * MIN)]);
  assert.equal(await h.notices.reconcile(), 1);
  assert.deepEqual(h.sent, ['[Shop] Maintenance in progress: now']);
  assert.equal(await h.notices.reconcile(), 0, 'nothing twice');
});

test('cancelling a window nobody heard of says nothing; an announced one is cancelled once', async () => {
  const w = win('w', ['api'], T0 + 10 * MIN, T0 + 20 * MIN, 'upgrade');
  const h = harness([w]);
  assert.equal(await h.notices.onEvent({ kind: 'cancelled', window: win('quiet', ['api'], T0 + MIN, T0 + 2 * MIN) }), 0);
  await h.notices.reconcile();
  assert.equal(await h.notices.onEvent({ kind: 'cancelled', window: w }), 1);
  assert.equal(await h.notices.onEvent({ kind: 'cancelled', window: w }), 0);
  assert.deepEqual(h.sent, ['[Shop] Maintenance scheduled: upgrade', '[Shop] Maintenance cancelled: upgrade']);
});

test('a window that ends while no longer listed (taken out of the config in progress) is told completed, once', async () => {
  const w = win('w', ['api'], T0 - 10 * MIN, T0 + 20 * MIN, 'upgrade');
  const windows = [w];
  const h = harness(windows);
  assert.equal(await h.notices.reconcile(), 1);
  windows.length = 0;
  h.at(T0 + MIN);
  const ended = { ...w, end: T0 + MIN };
  assert.equal(await h.notices.onEvent({ kind: 'ended', window: ended }), 1);
  assert.equal(await h.notices.onEvent({ kind: 'ended', window: ended }), 0);
  assert.equal(await h.notices.onEvent({ kind: 'ended', window: win('quiet', ['api'], T0 - MIN, T0 + MIN) }), 0, 'nobody heard of it');
  assert.deepEqual(h.sent, ['[Shop] Maintenance in progress: upgrade', '[Shop] Maintenance completed: upgrade']);
});

test('a failure is reported and the next look sends what is still owed', async () => {
  const h = harness([win('w', ['api'], T0 + 10 * MIN, T0 + 20 * MIN, 'upgrade')]);
  h.failing(true);
  assert.equal(await h.notices.reconcile(), 0);
  assert.match(String(h.errors[0]), /database is locked/);
  h.failing(false);
  assert.equal(await h.notices.reconcile(), 1);
  // Nobody looked while it ran (a server down through it): completed, without a late "started".
  h.at(T0 + 30 * MIN);
  assert.equal(await h.notices.reconcile(), 1);
  assert.deepEqual(h.sent, ['[Shop] Maintenance scheduled: upgrade', '[Shop] Maintenance completed: upgrade']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../model/clock.js';
import type { Alert } from '../model/alert.js';
import { rootRouteSchema } from './config.js';
import type { RouteConfigInput } from './config.js';
import { Dispatcher } from './dispatcher.js';
import type { Notification } from './dispatcher.js';
import { InMemoryNotificationLog } from './nflog.js';
import { buildRoute } from './route.js';

const T0 = Date.UTC(2026, 0, 1);

function setup(cfg: RouteConfigInput = {}, sendResolved = true) {
  const clock = new FakeClock(T0);
  const sent: Notification[] = [];
  const nflog = new InMemoryNotificationLog();
  const route = buildRoute(
    rootRouteSchema.parse({ receiver: 'ops', group_by: ['alertname'], group_wait: '1s', group_interval: '5s', repeat_interval: '1m', ...cfg }),
  );
  const d = new Dispatcher({ route, clock, nflog, notify: async (n) => void sent.push(n), sendResolved: () => sendResolved });
  const alert = (name: string, instance: string, extra: Partial<Alert> = {}): Alert => ({
    labels: { alertname: name, instance },
    annotations: { summary: `${name} on ${instance}` },
    startsAt: clock.now(),
    endsAt: 0,
    generatorURL: 'http://prom/graph',
    updatedAt: clock.now(),
    ...extra,
  });
  const summary = () => sent.map((n) => `${((n.at ?? 0) - T0) / 1000}s ${n.alerts.map((a) => `${a.labels.instance}:${a.status}`).join(',')}`);
  return { clock, sent, d, alert, summary, nflog };
}

test('first flush after group_wait, then every group_interval only when something changed', async () => {
  const { clock, d, alert, summary, sent } = setup();
  d.put([alert('A', 'h1')]);
  await clock.advance(999);
  assert.equal(sent.length, 0);
  await clock.advance(1);
  assert.deepEqual(summary(), ['1s h1:firing']);
  assert.equal(sent[0]?.groupKey, '{}:{alertname="A"}');
  assert.deepEqual(sent[0]?.groupLabels, { alertname: 'A' });
  assert.equal(sent[0]?.alerts[0]?.endsAt, 0);
  // Re-sending the same alert changes nothing: no notification at the next intervals.
  d.put([alert('A', 'h1', { startsAt: T0 })]);
  await clock.advance(10_000);
  assert.equal(sent.length, 1);
  // A new alert joining the group waits for the next group_interval tick (16s), not a new group_wait.
  await clock.advance(2_000); // t = 13s
  d.put([alert('A', 'h2')]);
  await clock.advance(2_000); // t = 15s: group_wait would have fired at 14s
  assert.equal(sent.length, 1);
  await clock.advance(1_000); // t = 16s
  assert.deepEqual(summary(), ['1s h1:firing', '16s h1:firing,h2:firing']);
  await d.stop();
});

test('repeat_interval re-sends an unchanged group at the first flush after it has passed', async () => {
  const { clock, d, alert, summary } = setup();
  d.put([alert('A', 'h1')]);
  await clock.advance(1_000);
  await clock.advance(60_000); // t = 61s: exactly repeat_interval after the last send, not yet before it
  assert.deepEqual(summary(), ['1s h1:firing']);
  await clock.advance(5_000); // t = 66s
  assert.deepEqual(summary(), ['1s h1:firing', '66s h1:firing']);
  await d.stop();
});

test('resolved alerts are notified with send_resolved, then leave the group; an empty group is deleted', async () => {
  const { clock, d, alert, summary, sent } = setup();
  d.put([alert('A', 'h1'), alert('A', 'h2')]);
  await clock.advance(1_000);
  d.put([alert('A', 'h1', { startsAt: T0, endsAt: clock.now(), updatedAt: clock.now() })]);
  assert.equal(d.alerts().find((a) => a.labels.instance === 'h1')?.status, 'resolved');
  await clock.advance(5_000);
  assert.deepEqual(summary(), ['1s h1:firing,h2:firing', '6s h1:resolved,h2:firing']);
  assert.equal(sent[1]?.onlyResolvedChanged, true);
  assert.equal(sent[1]?.alerts[0]?.endsAt, T0 + 1_000);
  assert.deepEqual(d.groups()[0]?.alerts.map((a) => a.labels.instance), ['h2']);
  // Expiry by time alone resolves an alert too.
  d.put([alert('A', 'h2', { startsAt: T0, endsAt: clock.now() + 2_000, updatedAt: clock.now() })]);
  await clock.advance(5_000);
  assert.deepEqual(summary().at(-1), '11s h2:resolved');
  assert.deepEqual(d.groups(), []);
  assert.equal(clock.pendingTimers(), 0);
  await d.stop();
});

test('without send_resolved a partial resolution is not news; full resolution is still notified', async () => {
  const { clock, d, alert, summary } = setup({}, false);
  d.put([alert('A', 'h1'), alert('A', 'h2')]);
  await clock.advance(1_000);
  d.put([alert('A', 'h1', { startsAt: T0, endsAt: clock.now(), updatedAt: clock.now() })]);
  await clock.advance(5_000);
  assert.deepEqual(summary(), ['1s h1:firing,h2:firing']);
  d.put([alert('A', 'h2', { startsAt: T0, endsAt: clock.now(), updatedAt: clock.now() })]);
  await clock.advance(5_000);
  // Sent so the nflog forgets the firing set; integrations without send_resolved drop it.
  assert.deepEqual(summary(), ['1s h1:firing,h2:firing', '11s h2:resolved']);
  await d.stop();
});

test('an alert that fires and resolves within group_wait is never notified', async () => {
  const { clock, d, alert, sent } = setup();
  d.put([alert('A', 'h1')]);
  await clock.advance(500);
  d.put([alert('A', 'h1', { startsAt: T0, endsAt: clock.now(), updatedAt: clock.now() })]);
  await clock.advance(10_000);
  assert.equal(sent.length, 0);
  assert.deepEqual(d.groups(), []);
});

test('grouping by labels, one group per route for continue, and an old alert flushes at once', async () => {
  const { clock, d, alert, sent } = setup({ routes: [{ matchers: ['alertname="A"'], receiver: 'pager', continue: true }, { matchers: ['alertname=~"A|B"'], receiver: 'mail', group_by: ['...'] }] });
  d.put([alert('A', 'h1', { startsAt: T0 - 60_000 }), alert('B', 'h1')]);
  await clock.advance(0);
  assert.deepEqual(sent.map((n) => `${n.receiver} ${n.groupKey}`), ['pager {}/{alertname="A"}:{alertname="A"}', 'mail {}/{alertname=~"A|B"}:{alertname="A", instance="h1"}']);
  await clock.advance(1_000);
  assert.equal(sent.at(-1)?.groupKey, '{}/{alertname=~"A|B"}:{alertname="B", instance="h1"}');
  const snap = d.alerts().find((a) => a.labels.alertname === 'A');
  assert.deepEqual(snap?.receivers, ['mail', 'pager']);
  assert.equal(snap?.status, 'firing');
  assert.equal(snap?.fingerprint.length, 16);
  await d.stop();
});

test('a failed notify is retried at the next flush and the notification log is only written on success', async () => {
  const clock = new FakeClock(T0);
  let fail = true;
  const sent: Notification[] = [];
  const nflog = new InMemoryNotificationLog();
  const route = buildRoute(rootRouteSchema.parse({ receiver: 'ops', group_wait: '1s', group_interval: '5s' }));
  const errors: unknown[] = [];
  const d = new Dispatcher({
    route,
    clock,
    nflog,
    notify: async (n) => {
      if (fail) throw new Error('db down');
      sent.push(n);
    },
    onError: (e) => errors.push(e),
  });
  d.put([{ labels: { alertname: 'A' }, annotations: {}, startsAt: T0, endsAt: 0, generatorURL: '', updatedAt: T0 }]);
  await clock.advance(1_000);
  assert.equal(errors.length, 1);
  assert.equal(nflog.get('ops', '{}:{}'), undefined);
  fail = false;
  await clock.advance(5_000);
  assert.equal(sent.length, 1);
  assert.deepEqual(nflog.get('ops', '{}:{}')?.firing, [sent[0]?.alerts[0]?.fingerprint]);
  // A dispatcher restarted over the same notification log does not notify the same state again.
  await d.stop();
  const d2 = new Dispatcher({ route, clock, nflog, notify: async (n) => void sent.push(n) });
  d2.put([{ labels: { alertname: 'A' }, annotations: {}, startsAt: T0, endsAt: 0, generatorURL: '', updatedAt: clock.now() }]);
  await clock.advance(20_000);
  assert.equal(sent.length, 1);
  await d2.stop();
});

test('notifyAndLog replaces notify + nflog.set: one call with the entry, and a rejection is retried at the next flush', async () => {
  const clock = new FakeClock(T0);
  const route = buildRoute(rootRouteSchema.parse({ receiver: 'ops', group_by: ['alertname'], group_wait: '1s', group_interval: '5s', repeat_interval: '1m' }));
  const calls: Array<{ n: Notification; entry: { firing: readonly string[]; sentAt: number } }> = [];
  let failNext = true;
  const d = new Dispatcher({
    route,
    clock,
    notify: async () => assert.fail('notify is not called when notifyAndLog is given'),
    notifyAndLog: async (n, entry) => {
      if (failNext) {
        failNext = false;
        throw new Error('database busy');
      }
      calls.push({ n, entry });
    },
  });
  d.put([{ labels: { alertname: 'A' }, annotations: {}, startsAt: T0, endsAt: 0, generatorURL: '', updatedAt: T0 }]);
  await clock.advance(1_000);
  assert.equal(calls.length, 0, 'the first attempt failed');
  await clock.advance(5_000);
  assert.equal(calls.length, 1, 'the next flush tries again');
  assert.equal(calls[0]?.n.groupKey, '{}:{alertname="A"}');
  assert.equal(calls[0]?.entry.firing.length, 1);
  assert.equal(calls[0]?.entry.sentAt, T0 + 6_000);
  await d.stop();
});

test('a group that keeps changing reuses the views it sent; a flush that sends nothing drops them; a resolved alert gets a new view', async () => {
  const { clock, d, alert, sent } = setup();
  const h1 = { ...alert('A', 'h1'), fingerprint: 'fp-h1' };
  d.put([h1]);
  await clock.advance(1000);
  d.put([{ ...alert('A', 'h2'), fingerprint: 'fp-h2' }]);
  await clock.advance(5000);
  assert.equal(sent.length, 2);
  assert.equal(sent[1]?.alerts[0], sent[0]?.alerts[0], 'h1 unchanged during the burst: the same view');
  assert.equal(sent[1]?.alerts[0]?.status, 'firing');
  // Nothing new at the next interval: nothing sent, views let go.
  await clock.advance(5000);
  assert.equal(sent.length, 2);
  d.put([{ ...alert('A', 'h3'), fingerprint: 'fp-h3' }]);
  await clock.advance(5000);
  assert.equal(sent.length, 3);
  assert.notEqual(sent[2]?.alerts[0], sent[1]?.alerts[0], 'made anew after a quiet flush');
  assert.deepEqual(sent[2]?.alerts[0], sent[1]?.alerts[0]);
  // h1 resolves (same object, its endsAt passes): its view changes with its status.
  d.put([{ ...h1, endsAt: clock.now() + 1000, updatedAt: clock.now() }]);
  await clock.advance(5000);
  const last = sent.at(-1);
  assert.equal(last?.alerts.find((a) => a.fingerprint === 'fp-h1')?.status, 'resolved');
  assert.notEqual(last?.alerts.find((a) => a.fingerprint === 'fp-h1')?.endsAt, 0);
  await d.stop();
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../model/clock.js';
import type { Muter } from '../model/mute.js';
import type { Notification, PipelineEvent } from '../model/notification.js';
import { buildRoute, rootRouteSchema } from '../alerting/index.js';
import { AlertPipeline } from './pipeline.js';
import { InMemoryAlertStateStore } from './alert-state-store.js';
import { InMemoryAlertHistory } from './history.js';

const T0 = Date.UTC(2026, 0, 1);

function setup(opts: { muters?: Muter[]; store?: InMemoryAlertStateStore; clock?: FakeClock } = {}) {
  const clock = opts.clock ?? new FakeClock(T0);
  const sent: Notification[] = [];
  const events: string[] = [];
  const history = new InMemoryAlertHistory();
  const route = buildRoute(rootRouteSchema.parse({ receiver: 'ops', group_by: ['alertname'], group_wait: '1s', group_interval: '5s', repeat_interval: '1h' }));
  const p = new AlertPipeline({
    clock,
    route,
    notify: async (n) => void sent.push(n),
    store: opts.store ?? new InMemoryAlertStateStore(),
    history,
    resolveTimeout: 60_000,
    ...(opts.muters ? { muters: opts.muters } : {}),
  });
  p.subscribe((ev: PipelineEvent) => {
    if (ev.type === 'alert') events.push(`${ev.kind} ${ev.alert.labels.alertname}`);
  });
  const summary = () => sent.map((n) => n.alerts.map((a) => `${a.labels.alertname}/${a.labels.i ?? ''}:${a.status}`).join(','));
  return { clock, p, sent, events, history, summary };
}

test('intake: a label with an empty value is no label, as in Alertmanager (the same alert; alone, no labels at all)', async () => {
  const { p } = setup();
  await p.start();
  const r = await p.intake(
    [{ labels: { alertname: 'E', team: '' } }, { labels: { alertname: 'E' } }, { labels: { x: '' } }, { labels: JSON.parse('{"alertname":"P","__proto__":"v","y":""}') as Record<string, string> }],
    { name: 'api' },
  );
  assert.deepEqual(r, { accepted: 3, errors: ['alerts[2]: at least one label pair required'] });
  assert.deepEqual(
    p.alerts().map((a) => a.alert.labels).sort((a, b) => String(a.alertname).localeCompare(String(b.alertname))),
    [{ alertname: 'E' }, JSON.parse('{"alertname":"P","__proto__":"v"}')],
  );
  await p.stop();
});

test('intake: dedup by fingerprint, defaults as Alertmanager, invalid alerts reported and the rest accepted', async () => {
  const { p, clock, events } = setup();
  await p.start();
  const r = await p.intake(
    [{ labels: { alertname: 'A' } }, { labels: {} }, { labels: { alertname: 'B' }, startsAt: T0 + 10, endsAt: T0 + 5 }, { labels: { alertname: 'A' }, annotations: { s: 'x' } }],
    { name: 'api' },
  );
  assert.deepEqual(r, { accepted: 2, errors: ['alerts[1]: at least one label pair required', 'alerts[2]: start time must be before end time'] });
  const [a] = p.alerts();
  assert.equal(p.alerts().length, 1);
  assert.equal(a?.alert.startsAt, T0);
  assert.equal(a?.alert.endsAt, T0 + 60_000, 'resolve_timeout from receipt');
  assert.equal(a?.alert.timeout, true);
  assert.deepEqual(a?.alert.annotations, { s: 'x' });
  assert.deepEqual(a?.receivers, ['ops']);
  await p.idle();
  assert.deepEqual(events, ['firing A'], 'one firing event for two sends');
  await clock.advance(59_000);
  await p.intake([{ labels: { alertname: 'A' } }], { name: 'api' });
  await clock.advance(59_000);
  assert.equal(p.firingCount(), 1, 'a resend before resolve_timeout keeps it firing');
  await clock.advance(2_000);
  await p.idle();
  assert.deepEqual(events, ['firing A', 'resolved A'], 'resolved by resolve_timeout');
  await p.stop();
});

test('a source that holds until resolved is not timed out; an explicit endsAt resolves it', async () => {
  const { p, clock, events, sent, summary } = setup();
  await p.start();
  await p.intake([{ labels: { alertname: 'C', i: '1' } }], { name: 'checks', holdsUntilResolved: true });
  await clock.advance(3600_000);
  assert.equal(p.firingCount(), 1);
  assert.deepEqual(summary()[0], 'C/1:firing');
  await p.intake([{ labels: { alertname: 'C', i: '1' }, endsAt: clock.now() }], { name: 'checks', holdsUntilResolved: true });
  await clock.advance(5_000);
  await p.idle();
  assert.deepEqual(events, ['firing C', 'resolved C']);
  assert.equal(sent.at(-1)?.alerts[0]?.status, 'resolved');
  await p.stop();
});

test('muting stages: a muted alert is left out; a resolved alert the receiver was told fired is always told (AM #226); history records it', async () => {
  let silenced = false;
  const silence: Muter = { stage: 'silenced', scope: 'alert', mutedBy: (a) => (silenced && a.labels.i === '2' ? ['s-1'] : []) };
  const { p, clock, summary, history } = setup({ muters: [silence] });
  await p.start();
  await p.intake([{ labels: { alertname: 'A', i: '1' } }, { labels: { alertname: 'A', i: '2' } }], { name: 'api' });
  await clock.advance(1000);
  assert.deepEqual(summary(), ['A/1:firing,A/2:firing']);
  silenced = true;
  assert.equal(p.alerts().find((v) => v.alert.labels.i === '2')?.state, 'suppressed');
  // i=2 resolves while silenced: the receiver, told it fired, hears it resolve.
  await p.intake([{ labels: { alertname: 'A', i: '2' }, endsAt: clock.now() }], { name: 'api' });
  await clock.advance(5000);
  assert.deepEqual(summary(), ['A/1:firing,A/2:firing', 'A/1:firing,A/2:resolved']);
  // A new alert fires while silenced: left out, nothing sent.
  await p.intake([{ labels: { alertname: 'A', i: '2' } }], { name: 'api' });
  await clock.advance(5000);
  assert.equal(summary().length, 2);
  const h = await history.query({ limit: 100 });
  assert.ok(h.some((e) => e.kind === 'muted' && e.stage === 'silenced' && e.by?.[0] === 's-1'), JSON.stringify(h));
  await p.stop();
});

test('a restart resumes persisted alerts and announces them again (subscribers are idempotent)', async () => {
  const store = new InMemoryAlertStateStore();
  const clock = new FakeClock(T0);
  const first = setup({ store, clock });
  await first.p.start();
  await first.p.intake([{ labels: { alertname: 'A' }, endsAt: T0 + 600_000 }], { name: 'rules' });
  await first.p.stop();
  const second = setup({ store, clock });
  await second.p.start();
  await second.p.idle();
  assert.deepEqual(second.events, ['firing A']);
  assert.equal(second.p.alerts()[0]?.alert.source, 'rules');
  await clock.advance(600_000);
  await second.p.idle();
  assert.deepEqual(second.events, ['firing A', 'resolved A']);
  await second.p.stop();
});

test('time intervals on a route: nothing is sent while muted; the group is notified once the interval ends (fake clock, named zone)', async () => {
  const { TimeMuteStage, timeIntervalsSchema } = await import('../alerting/index.js');
  const intervals = new Map(timeIntervalsSchema.parse([{ name: 'night', time_intervals: [{ times: [{ start_time: '00:00', end_time: '07:00' }], location: 'Europe/Berlin' }] }]).map((t) => [t.name, t.time_intervals] as const));
  // 2026-03-29: DST starts in Berlin at 02:00 → 03:00. 04:00 UTC is 06:00 CEST (muted); 05:00 UTC is 07:00 (not).
  const clock = new FakeClock(Date.parse('2026-03-29T04:00:00Z'));
  const sent: Notification[] = [];
  const route = buildRoute(
    rootRouteSchema.parse({ receiver: 'ops', group_by: ['alertname'], group_wait: '10s', group_interval: '10m', routes: [{ matchers: ['team="db"'], mute_time_intervals: ['night'] }] }),
  );
  const p = new AlertPipeline({ clock, route, notify: async (n) => void sent.push(n), muters: [new TimeMuteStage(intervals)] });
  await p.start();
  await p.intake([{ labels: { alertname: 'A', team: 'db' } }, { labels: { alertname: 'B' } }], { name: 'checks', holdsUntilResolved: true });
  await clock.advance(10_000);
  assert.deepEqual(sent.map((n) => n.alerts[0]?.labels.alertname), ['B'], 'the db route is muted at 06:00 CEST');
  await clock.advance(50 * 60_000);
  assert.equal(sent.length, 1, "still muted at 06:50 CEST");
  await clock.advance(10 * 60_000);
  assert.deepEqual(sent.map((n) => n.alerts[0]?.labels.alertname), ['B', 'A'], 'notified at the first flush after 07:00 CEST');
  await p.stop();
});

test('history: notified once per receiver and status while an alert keeps firing, again once it resolved and once it fires again', async () => {
  const { p, clock, history } = setup();
  await p.start();
  await p.intake([{ labels: { alertname: 'A' }, endsAt: T0 + 3600_000 }], { name: 'api' });
  const fp = p.alerts()[0]?.alert.fingerprint ?? '';
  const delivered = (status: 'firing' | 'resolved', receiver = 'ops') =>
    p.recordDelivery({ outcome: 'sent', receiver, integration: 'webhook[0]', groupKey: 'g', fingerprints: [fp], status, attempts: 1, at: clock.now() });
  const notified = async () => (await history.query({ fingerprint: fp, limit: 100 })).filter((e) => e.kind === 'notified').map((e) => `${e.receiver}:${e.detail}`).reverse();
  delivered('firing');
  delivered('firing');
  delivered('firing', 'pager');
  assert.deepEqual(await notified(), ['ops:firing', 'pager:firing']);
  await p.intake([{ labels: { alertname: 'A' }, endsAt: clock.now() }], { name: 'api' });
  delivered('resolved');
  delivered('resolved');
  await p.intake([{ labels: { alertname: 'A' }, startsAt: clock.now() + 1000, endsAt: clock.now() + 3600_000 }], { name: 'api' });
  await clock.advance(1000);
  delivered('firing');
  assert.deepEqual(await notified(), ['ops:firing', 'pager:firing', 'ops:resolved', 'ops:firing']);
  await p.stop();
});

test('subscribers: every event in order, after the intake that caused it returned; a failing subscriber does not stop the others; idle() waits for all', async () => {
  const { p } = setup();
  await p.start();
  const seen: string[] = [];
  let failures = 0;
  let inIntake = false;
  p.subscribe(async (ev) => {
    assert.equal(inIntake, false, 'not called while intake runs');
    if (ev.type !== 'alert') return;
    await new Promise((r) => setImmediate(r));
    if (ev.alert.labels.i === '3') {
      failures++;
      throw new Error('subscriber down');
    }
  });
  const late: string[] = [];
  p.subscribe((ev) => {
    if (ev.type === 'alert') seen.push(`${ev.kind} ${ev.alert.labels.i}`);
  });
  const n = 5000;
  inIntake = true;
  const pending = p.intake(Array.from({ length: n }, (_, i) => ({ labels: { alertname: 'Q', i: String(i) } })), { name: 'api' });
  inIntake = false;
  await pending;
  // A subscriber added now hears only what happens from now on.
  p.subscribe((ev) => {
    if (ev.type === 'alert') late.push(`${ev.kind} ${ev.alert.labels.i}`);
  });
  await p.intake([{ labels: { alertname: 'Q', i: String(n) } }], { name: 'api' });
  await p.idle();
  assert.equal(seen.length, n + 1);
  assert.deepEqual(seen.slice(0, 3), ['firing 0', 'firing 1', 'firing 2']);
  assert.equal(seen[n], `firing ${n}`);
  assert.ok(seen.every((s, i) => s === `firing ${i}`), 'in order');
  assert.equal(failures, 1);
  assert.deepEqual(late, [`firing ${n}`]);
  await p.stop();
});

test('a resent alert keeps the label and annotation objects it had when they did not change', async () => {
  const { p } = setup();
  await p.start();
  await p.intake([{ labels: { alertname: 'R', i: '1' }, annotations: { summary: 's' }, generatorURL: 'http://g' }], { name: 'api' });
  const first = p.alerts()[0]?.alert;
  assert.ok(first);
  await p.intake([{ labels: { i: '1', alertname: 'R' }, annotations: { summary: 's' }, generatorURL: 'http://g' }], { name: 'api' });
  const second = p.alerts()[0]?.alert;
  assert.ok(second);
  assert.equal(second.labels, first.labels, 'the same labels object');
  assert.equal(second.annotations, first.annotations, 'the same annotations object');
  await p.intake([{ labels: { alertname: 'R', i: '1' }, annotations: { summary: 's2' } }], { name: 'api' });
  const third = p.alerts()[0]?.alert;
  assert.equal(third?.labels, first.labels);
  assert.deepEqual(third?.annotations, { summary: 's2' }, 'a changed annotation is taken');
  assert.equal(third?.generatorURL, '');
  await p.intake([{ labels: { alertname: 'R', i: '1' }, annotations: { summary: 's2', extra: 'x' } }], { name: 'api' });
  assert.deepEqual(p.alerts()[0]?.alert.annotations, { summary: 's2', extra: 'x' }, 'an added annotation is taken');
  await p.intake([{ labels: { alertname: 'R', i: '1' }, annotations: {} }], { name: 'api' });
  assert.deepEqual(p.alerts()[0]?.alert.annotations, {}, 'removed annotations are gone');
  assert.equal(p.alerts().length, 1);
  await p.stop();
});

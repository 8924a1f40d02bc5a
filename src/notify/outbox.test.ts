import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../model/clock.js';
import type { NotificationMessage } from './message.js';
import type { Notifier, NotifyResult } from './notifier.js';
import { backoffDelay, Outbox } from './outbox.js';
import { InMemoryOutboxStore } from './outbox-store.js';
import type { OutboxJob } from './outbox-store.js';
import { Integrations, plannedMessage } from './integrations.js';

const T0 = Date.UTC(2026, 0, 1);
const msg = (alerts: Array<'firing' | 'resolved'>, onlyResolvedChanged = false): NotificationMessage => ({
  receiver: 'ops',
  groupKey: '{}:{}',
  groupLabels: {},
  onlyResolvedChanged,
  alerts: alerts.map((status, i) => ({ status, labels: { i: String(i) }, annotations: {}, startsAt: T0, endsAt: 0, generatorURL: '', fingerprint: `fp${i}` })),
});

class ScriptedNotifier implements Notifier {
  calls: number[] = [];
  constructor(
    private readonly clock: FakeClock,
    public result: () => NotifyResult | Promise<NotifyResult>,
  ) {}
  async notify(): Promise<NotifyResult> {
    this.calls.push(this.clock.now() - T0);
    return this.result();
  }
}

function setup(result: () => NotifyResult | Promise<NotifyResult>, store = new InMemoryOutboxStore()) {
  const clock = new FakeClock(T0);
  const notifier = new ScriptedNotifier(clock, result);
  const integrations = new Integrations([{ receiver: 'ops', type: 'webhook', index: 0, sendResolved: true, notifier }]);
  const sent: OutboxJob[] = [];
  const gaveUp: Array<[OutboxJob, string]> = [];
  const outbox = new Outbox({
    store,
    clock,
    integrations,
    random: () => 1,
    onSent: (j) => void sent.push(j),
    onGiveUp: (j, e) => void gaveUp.push([j, e]),
  });
  return { clock, notifier, store, outbox, sent, gaveUp };
}

test('backoff grows exponentially to the cap with full jitter', () => {
  assert.deepEqual([1, 2, 3, 4, 10, 20].map((a) => backoffDelay(a, {}, () => 0.999999)), [999, 1999, 3999, 7999, 299_999, 299_999]);
  for (let i = 0; i < 200; i++) {
    const d = backoffDelay(3);
    assert.ok(d >= 0 && d < 4000, String(d));
  }
  assert.equal(backoffDelay(5, { initialBackoff: 100, maxBackoff: 1000 }, () => 0.5), 500);
});

test('delivers at once on enqueue and marks sent only after success', async () => {
  const { clock, notifier, store, outbox, sent } = setup(() => ({ ok: true }));
  outbox.start();
  const [job] = await outbox.enqueueNotification(msg(['firing']));
  await clock.advance(0);
  assert.deepEqual(notifier.calls, [0]);
  assert.equal(store.all()[0]?.status, 'sent');
  assert.equal(sent[0]?.id, job?.id);
  assert.equal(await outbox.depth(), 0);
  await outbox.stop();
});

test('retries with growing delays, then gives up after max age and calls onGiveUp', async () => {
  const { clock, notifier, store, outbox, gaveUp } = setup(() => ({ ok: false, retryable: true, error: 'answered 503' }));
  outbox.start();
  await outbox.enqueueNotification(msg(['firing']));
  await clock.advance(3600_000 + 1000);
  const c = notifier.calls;
  // random() = 1 makes each delay its cap: 1s, 2s, 4s, … capped at 5m.
  assert.deepEqual(c.slice(0, 6), [0, 1000, 3000, 7000, 15_000, 31_000]);
  const gaps = c.slice(1).map((t, i) => t - (c[i] as number));
  assert.ok(gaps.every((g) => g <= 300_000));
  assert.equal(c.at(-1), 3600_000, 'the last attempt is at the max age');
  assert.equal(gaveUp.length, 1);
  assert.match(gaveUp[0]?.[1] ?? '', /^gave up after \d+ attempts: answered 503$/);
  assert.equal(store.all()[0]?.status, 'failed');
  assert.equal(gaveUp[0]?.[0].attempts, c.length);
  await outbox.stop();
});

test('a permanent failure gives up at once', async () => {
  const { clock, notifier, outbox, gaveUp } = setup(() => ({ ok: false, retryable: false, error: 'answered 400' }));
  outbox.start();
  await outbox.enqueueNotification(msg(['firing']));
  await clock.advance(10_000);
  assert.equal(notifier.calls.length, 1);
  assert.deepEqual(gaveUp.map(([, e]) => e), ['answered 400']);
  await outbox.stop();
});

test('at-least-once across a crash: a new Outbox over the same store delivers what was not marked sent', async () => {
  let release: (r: NotifyResult) => void = () => undefined;
  const first = setup(() => new Promise<NotifyResult>((r) => (release = r)));
  first.outbox.start();
  await first.outbox.enqueueNotification(msg(['firing']));
  await first.clock.advance(0);
  assert.equal(first.notifier.calls.length, 1); // in flight; the process "dies" here
  const second = setup(() => ({ ok: true }), first.store);
  second.outbox.start();
  await second.clock.advance(0);
  assert.equal(second.notifier.calls.length, 1);
  assert.equal(first.store.all()[0]?.status, 'sent');
  // Had the first delivery reached the peer, the peer saw it twice: the documented duplicate.
  release({ ok: true });
  await second.outbox.stop();
});

test('send_resolved is applied per integration when planning jobs', () => {
  const clock = new FakeClock(T0);
  const n = new ScriptedNotifier(clock, () => ({ ok: true }));
  const integ = new Integrations([
    { receiver: 'ops', type: 'webhook', index: 0, sendResolved: true, notifier: n },
    { receiver: 'ops', type: 'log', index: 0, sendResolved: false, notifier: n },
  ]);
  const plan = (m: NotificationMessage) => integ.plan(m, T0).map((j) => `${j.integrationType}:${j.fingerprints.join(',')}`);
  assert.deepEqual(plan(msg(['firing', 'resolved'])), ['webhook:fp0,fp1', 'log:fp0']);
  assert.deepEqual(plan(msg(['firing', 'resolved'], true)), ['webhook:fp0,fp1']);
  assert.deepEqual(plan(msg(['resolved'])), ['webhook:fp0']);
  assert.deepEqual(integ.plan({ ...msg(['firing']), receiver: 'blackhole' }, T0), []);
  assert.equal(integ.sendResolved('ops'), true);
});

test('bounded concurrency and stop() waits for deliveries in flight', async () => {
  const pending: Array<(r: NotifyResult) => void> = [];
  const { clock, notifier, outbox, store } = setup(() => new Promise<NotifyResult>((r) => pending.push(r)));
  outbox.start();
  for (let i = 0; i < 6; i++) await outbox.enqueueNotification(msg(['firing']));
  await clock.advance(0);
  assert.equal(notifier.calls.length, 4);
  let stopped = false;
  const stopping = outbox.stop().then(() => (stopped = true));
  await clock.advance(0);
  assert.equal(stopped, false);
  for (const r of pending) r({ ok: true });
  await stopping;
  assert.equal(store.all().filter((j) => j.status === 'sent').length, 4);
  assert.equal(await outbox.depth(), 2);
});

test('every attempt reports its outcome: retries (the first marked), then sent with the true attempt count', async () => {
  let n = 0;
  const clock = new FakeClock(T0);
  const notifier = new ScriptedNotifier(clock, () => (++n < 3 ? { ok: false, retryable: true, error: `503 from peer (${n})` } : { ok: true }));
  const outcomes: string[] = [];
  const outbox = new Outbox({
    store: new InMemoryOutboxStore(),
    clock,
    integrations: new Integrations([{ receiver: 'ops', type: 'webhook', index: 0, sendResolved: true, notifier }]),
    random: () => 1,
    onOutcome: (d) => void outcomes.push(`${d.outcome} ${d.integration} attempts=${d.attempts}${d.firstFailure ? ' first' : ''}${d.error ? ` ${d.error}` : ''} ${d.status} ${d.fingerprints.join(',')}`),
  });
  outbox.start();
  await outbox.enqueueNotification(msg(['firing']));
  await clock.advance(10_000);
  assert.deepEqual(outcomes, [
    'retry webhook[0] attempts=1 first 503 from peer (1) firing fp0',
    'retry webhook[0] attempts=2 503 from peer (2) firing fp0',
    'sent webhook[0] attempts=3 firing fp0',
  ]);
  await outbox.stop();
});

/** A store that counts due() reads and holds markSent until released. */
class ObservedStore extends InMemoryOutboxStore {
  dueCalls = 0;
  holdSent: Array<() => void> | undefined;
  override async due(now: number, limit: number, skip?: ReadonlySet<number>): Promise<OutboxJob[]> {
    this.dueCalls++;
    return super.due(now, limit, skip);
  }
  override async markSent(id: number, now: number): Promise<void> {
    if (this.holdSent) await new Promise<void>((r) => this.holdSent?.push(r));
    await super.markSent(id, now);
  }
}

test('jobs handed off by their writer are delivered without reading the store, once each; recording an outcome holds no delivery slot', async () => {
  const store = new ObservedStore();
  const clock = new FakeClock(T0);
  const notifier = new ScriptedNotifier(clock, () => ({ ok: true }));
  const integrations = new Integrations([{ receiver: 'ops', type: 'webhook', index: 0, sendResolved: true, notifier }]);
  const outbox = new Outbox({ store, clock, integrations, concurrency: 1, pollInterval: 60_000 });
  outbox.start();
  await clock.advance(0);
  const reads = store.dueCalls;
  store.holdSent = [];
  // Stored by someone else (the flush's transaction), then handed over: one twice.
  const jobs = [];
  for (const p of outbox.plan(msg(['firing'])).concat(outbox.plan(msg(['firing'])))) jobs.push(await store.enqueue(p));
  outbox.handOff(jobs);
  outbox.handOff(jobs.slice(0, 1));
  await clock.advance(0);
  // Both delivered through one slot while the first's "sent" is not yet recorded; no store read.
  assert.equal(notifier.calls.length, 2);
  assert.equal(store.dueCalls, reads);
  // A poll while their outcomes are being recorded does not start them again.
  await clock.advance(60_000);
  assert.equal(notifier.calls.length, 2);
  for (const release of store.holdSent.splice(0)) release();
  store.holdSent = undefined;
  await clock.advance(0);
  // Handed over again after they finished (a late writer): not delivered again.
  outbox.handOff(jobs);
  await clock.advance(60_000);
  assert.equal(notifier.calls.length, 2);
  assert.deepEqual(store.all().map((j) => j.status), ['sent', 'sent']);
  await outbox.stop();
});

test('a job handed off with its planned message is delivered with that message, not its payload parsed back', async () => {
  const store = new InMemoryOutboxStore();
  const clock = new FakeClock(T0);
  const seen: NotificationMessage[] = [];
  const notifier: Notifier = { notify: async (m) => (seen.push(m), { ok: true }) };
  const integrations = new Integrations([{ receiver: 'ops', type: 'webhook', index: 0, sendResolved: true, notifier }]);
  const outbox = new Outbox({ store, clock, integrations, pollInterval: 60_000 });
  outbox.start();
  await clock.advance(0);
  const [planned] = outbox.plan(msg(['firing']));
  assert.ok(planned);
  const message = plannedMessage(planned);
  assert.ok(message);
  assert.equal(JSON.stringify(message), planned.payload);
  const stored = await store.enqueue(planned);
  outbox.handOff([stored], [message]);
  await clock.advance(0);
  assert.equal(seen.length, 1);
  assert.equal(seen[0], message, 'the same object');
  await outbox.stop();
});

test('a planned job makes its payload when read (so a flush holds none); one handed off without payload or message is delivered from the store', async () => {
  const store = new InMemoryOutboxStore();
  const clock = new FakeClock(T0);
  const seen: NotificationMessage[] = [];
  const notifier: Notifier = { notify: async (m) => (seen.push(m), { ok: true }) };
  const integrations = new Integrations([{ receiver: 'ops', type: 'webhook', index: 0, sendResolved: true, notifier }]);
  const outbox = new Outbox({ store, clock, integrations, pollInterval: 60_000 });
  const m = msg(['firing', 'firing']);
  const [planned] = outbox.plan(m);
  assert.ok(planned);
  assert.deepEqual(JSON.parse(planned.payload), m);
  assert.deepEqual(JSON.parse({ ...planned }.payload), m, 'copies see it');
  outbox.start();
  await clock.advance(0);
  const stored = await store.enqueue(planned);
  assert.deepEqual(JSON.parse(stored.payload), m, 'the store has it');
  outbox.handOff([{ ...stored, payload: '' }]);
  await clock.advance(0);
  await clock.advance(0);
  assert.equal(seen.length, 1);
  assert.deepEqual(seen[0], m, 'delivered from the payload the store holds');
  assert.equal(await store.depth(), 0);
  await outbox.stop();
});

/** A promise settled from outside: the commit of a writer's transaction. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

test('jobs handed off before their commit are delivered at once; their outcome is recorded only once committed, and a poll or a late handOff does not start them again', async () => {
  const store = new ObservedStore();
  const clock = new FakeClock(T0);
  const results: Array<NotifyResult> = [{ ok: true }, { ok: false, retryable: true, error: '503' }];
  const notifier = new ScriptedNotifier(clock, () => results.shift() ?? { ok: true });
  const integrations = new Integrations([{ receiver: 'ops', type: 'webhook', index: 0, sendResolved: true, notifier }]);
  const outcomes: string[] = [];
  const outbox = new Outbox({ store, clock, integrations, pollInterval: 1000, random: () => 0, onOutcome: (d) => void outcomes.push(`${d.outcome} ${d.attempts}`) });
  outbox.start();
  await clock.advance(0);
  const planned = outbox.plan(msg(['firing'])).concat(outbox.plan(msg(['firing', 'firing'])));
  const commit = deferred<readonly OutboxJob[] | undefined>();
  outbox.handOffUncommitted(planned, planned.map(plannedMessage), commit.promise);
  await clock.advance(0);
  assert.equal(notifier.calls.length, 2, 'both delivered before the commit');
  assert.deepEqual(outcomes, [], 'nothing recorded before the commit');
  assert.equal(store.all().length, 0);
  // The writer's transaction commits (the rows exist from now on); polls follow.
  const stored: OutboxJob[] = [];
  for (const p of planned) stored.push(await store.enqueue(p));
  commit.resolve(stored);
  await clock.advance(0);
  assert.deepEqual([...outcomes].sort(), ['retry 1', 'sent 1']);
  assert.deepEqual(store.all().map((j) => [j.status, j.attempts]), [['sent', 0], ['pending', 1]]);
  outbox.handOff(stored, planned.map(plannedMessage));
  await clock.advance(0);
  assert.equal(notifier.calls.length, 2, 'a late handOff does not deliver them again');
  // The failed one is retried from the store, as any job.
  await clock.advance(1000);
  assert.equal(notifier.calls.length, 3);
  assert.deepEqual(store.all().map((j) => j.status), ['sent', 'sent']);
  assert.deepEqual(outcomes.slice(2), ['sent 2']);
  await outbox.stop();
});

test('a job delivered before a commit that failed is not recorded (the writer sends it again); one not started by its commit is delivered as committed', async () => {
  const store = new ObservedStore();
  const clock = new FakeClock(T0);
  const gate = deferred<NotifyResult>();
  let calls = 0;
  const notifier: Notifier = { notify: async () => (++calls === 1 ? gate.promise : { ok: true }) };
  const integrations = new Integrations([{ receiver: 'ops', type: 'webhook', index: 0, sendResolved: true, notifier }]);
  const outcomes: string[] = [];
  const errors: unknown[] = [];
  const outbox = new Outbox({ store, clock, integrations, concurrency: 1, pollInterval: 60_000, onOutcome: (d) => void outcomes.push(d.outcome), onError: (e) => errors.push(e) });
  outbox.start();
  await clock.advance(0);
  // A failed commit: delivered, nothing recorded, nothing in the store.
  const [lost] = outbox.plan(msg(['firing']));
  assert.ok(lost);
  const failed = deferred<readonly OutboxJob[] | undefined>();
  outbox.handOffUncommitted([lost], [plannedMessage(lost)], failed.promise);
  await clock.advance(0);
  assert.equal(calls, 1);
  // The one slot is busy: the next flush's job waits, and its commit comes first.
  const [next] = outbox.plan(msg(['resolved']));
  assert.ok(next);
  const ok = deferred<readonly OutboxJob[] | undefined>();
  outbox.handOffUncommitted([next], [plannedMessage(next)], ok.promise);
  await clock.advance(0);
  assert.equal(calls, 1);
  const stored = await store.enqueue(next);
  ok.resolve([stored]);
  failed.resolve(undefined);
  gate.resolve({ ok: true });
  await clock.advance(0);
  await clock.advance(0);
  assert.equal(calls, 2);
  assert.deepEqual(outcomes, ['sent'], 'only the committed job has an outcome');
  assert.deepEqual(store.all().map((j) => [j.id, j.status]), [[stored.id, 'sent']]);
  assert.deepEqual(errors, []);
  await outbox.stop();
});

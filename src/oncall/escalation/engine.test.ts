import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../model/clock.js';
import { escalationPoliciesSchema, peopleSchema, schedulesSchema, teamsSchema } from '../config.js';
import { OncallDirectory } from '../directory.js';
import { EscalationEngine, type GroupNotification } from './engine.js';
import { MemoryEscalationStore } from './memory-store.js';
import type { Escalation, EscalationEvent, PageInfo } from './types.js';

const M = 60_000;

function directory(policy: Record<string, unknown> = {}): OncallDirectory {
  return new OncallDirectory({
    people: peopleSchema.parse([
      {
        name: 'alice',
        contacts: { email: 'alice@example.com', slack: 'U012ABCDE', phone: '+15551230001', webhook: 'http://127.0.0.1:1/alice' },
        notification_rules: [
          { after: '0m', via: ['webhook', 'slack', 'email'] },
          { after: '5m', via: ['sms'] },
        ],
      },
      { name: 'bob', contacts: { email: 'bob@example.com', webhook: 'http://127.0.0.1:1/bob' } },
      { name: 'carol', contacts: { email: 'carol@example.com', webhook: 'http://127.0.0.1:1/carol' } },
      { name: 'dana', contacts: { email: 'dana@example.com', webhook: 'http://127.0.0.1:1/dana' } },
    ]),
    teams: teamsSchema.parse([{ name: 'shop-leads', members: ['carol', 'dana'] }]),
    schedules: schedulesSchema.parse([
      {
        name: 'shop-primary',
        time_zone: 'Europe/Berlin',
        layers: [
          { name: 'weekly', rotation: 'weekly', start: '2026-11-02T09:00', members: ['alice', 'bob'] },
          { name: 'night', rotation: 'daily', start: '2026-11-02T09:00', members: ['bob'], restrictions: [{ from: '03:00', to: '04:00' }] },
        ],
      },
      { name: 'empty', time_zone: 'UTC', layers: [] },
    ]),
    escalation_policies: escalationPoliciesSchema.parse([
      {
        name: 'shop-critical',
        repeat: 1,
        levels: [
          { targets: [{ schedule: 'shop-primary' }], escalate_after: '5m' },
          { targets: [{ person: 'carol' }], escalate_after: '15m' },
          { targets: [{ team: 'shop-leads' }], escalate_after: '30m' },
        ],
        ...policy,
      },
      { name: 'gaps', levels: [{ targets: [{ schedule: 'empty' }], escalate_after: '10m' }, { targets: [{ person: 'dana' }] }] },
    ]),
  });
}

const firing = (receiver = 'shop-pager', groupKey = '{}:{alertname="Down"}'): GroupNotification => ({ receiver, groupKey, alerts: [{ status: 'firing', fingerprint: 'aaaa' }] });
const resolvedN = (): GroupNotification => ({ receiver: 'shop-pager', groupKey: '{}:{alertname="Down"}', alerts: [{ status: 'resolved', fingerprint: 'aaaa' }] });

function setup(dir = directory(), store = new MemoryEscalationStore(), clock = new FakeClock(Date.parse('2026-11-07T10:00:00Z'))) {
  const events: Array<[number, EscalationEvent]> = [];
  const engine = new EscalationEngine({
    store,
    clock,
    directory: () => dir,
    links: (p: PageInfo) => [
      { rel: 'ack', url: `http://vigil.test/ack/${p.escalation}-${p.person}-${p.channel}-ack`, text: 'Acknowledge' },
      { rel: 'resolve', url: `http://vigil.test/ack/${p.escalation}-${p.person}-${p.channel}-resolve`, text: 'Resolve' },
    ],
    findIncident: async () => 'INC-2026-0001',
    onEvent: (e: Escalation, ev) => void events.push([e.id, ev]),
    onError: (err) => assert.fail(err as Error),
  });
  /** `person/channel@level` for every page stored so far, from a given index. */
  const pages = (from = 0) => store.pages.slice(from).map((j) => {
    const p = (JSON.parse(j.payload) as { page: PageInfo }).page;
    return `${p.person}/${p.channel}@${p.level}`;
  });
  return { engine, store, clock, events, pages };
}

test('levels are paged in order, escalate_after apart, each person by their notification rules; repeat starts over', async () => {
  const { engine, store, clock, pages } = setup();
  engine.start();
  const e = await engine.onNotification('shop-critical', firing(), JSON.stringify({ receiver: 'shop-pager', alerts: [] }));
  assert.ok(e);
  assert.deepEqual(pages(), ['alice/webhook@1', 'alice/slack@1', 'alice/email@1'], 'level 1 at once: the schedule resolves to alice');
  let seen = store.pages.length;
  await clock.advance(5 * M - 1);
  assert.equal(store.pages.length, seen, 'nothing before escalate_after');
  await clock.advance(1);
  assert.deepEqual(pages(seen).sort(), ['alice/sms@1', 'carol/email@2', 'carol/webhook@2'], "level 2, and alice's 5m sms rule");
  seen = store.pages.length;
  await clock.advance(15 * M);
  assert.deepEqual(pages(seen), ['carol/email@3', 'carol/webhook@3', 'dana/email@3', 'dana/webhook@3'], 'level 3: the team');
  seen = store.pages.length;
  await clock.advance(30 * M);
  assert.deepEqual(pages(seen), ['alice/webhook@1', 'alice/slack@1', 'alice/email@1'], 'repeat: level 1 again');
  seen = store.pages.length;
  await clock.advance(50 * M);
  assert.equal((await store.get(e.id))?.status, 'exhausted', 'after the repeat, nothing more');
  const after = store.pages.length;
  await clock.advance(120 * M);
  assert.equal(store.pages.length, after);
  await engine.stop();
});

test('pages carry signed ack and resolve links and say who, how and at which level', async () => {
  const { engine, store } = setup();
  await engine.onNotification('shop-critical', firing(), JSON.stringify({ receiver: 'shop-pager', links: [{ rel: 'incident', url: 'http://vigil.test/i/1', text: 'Incident' }] }));
  const job = store.pages[0];
  assert.ok(job);
  assert.equal(job.integrationType, 'page');
  assert.deepEqual(job.fingerprints, ['aaaa']);
  const payload = JSON.parse(job.payload) as { links: Array<{ rel: string; url: string }>; page: PageInfo };
  assert.deepEqual(payload.links.map((l) => l.rel), ['incident', 'ack', 'resolve']);
  assert.deepEqual(payload.page, { escalation: 1, person: 'alice', channel: 'webhook', address: 'http://127.0.0.1:1/alice', level: 1, round: 0 });
  await engine.stop();
});

test('an acknowledgement stops the escalation and its pending notification rules', async () => {
  const { engine, store, clock, events } = setup();
  engine.start();
  const e = await engine.onNotification('shop-critical', firing(), '{}');
  assert.ok(e);
  await clock.advance(2 * M);
  await engine.acknowledge(e.id, 'alice', 'webhook');
  const n = store.pages.length;
  await clock.advance(3 * 3600_000);
  assert.equal(store.pages.length, n, 'no more pages: no level 2, no sms');
  assert.equal((await store.get(e.id))?.status, 'acknowledged');
  assert.ok(events.some(([, ev]) => ev.kind === 'acknowledged' && ev.by === 'alice' && ev.via === 'webhook'));
  await assert.rejects(engine.acknowledge(e.id, 'bob', 'email'), /only an unacknowledged one/);
  await engine.stop();
});

test('the group resolving stops the escalation and tells everyone paged, on each channel they were paged on; the next firing starts a new one', async () => {
  const { engine, store, clock, pages } = setup();
  engine.start();
  const e = await engine.onNotification('shop-critical', firing(), '{}');
  assert.ok(e);
  await engine.onNotification('shop-critical', firing(), '{"refreshed":true}');
  assert.equal(store.pages.length, 3, 'a later flush of a firing group does not page again');
  await clock.advance(6 * M); // alice's 5m sms rule, then level 2: carol
  assert.deepEqual(pages(3).sort(), ['alice/sms@1', 'carol/email@2', 'carol/webhook@2']);
  await engine.onNotification('shop-critical', resolvedN(), '{"status":"resolved"}');
  assert.equal((await store.get(e.id))?.status, 'resolved');
  assert.deepEqual(pages(6).sort(), ['alice/email@2', 'alice/slack@2', 'alice/sms@2', 'alice/webhook@2', 'carol/email@2', 'carol/webhook@2']);
  for (const j of store.pages.slice(6)) {
    const body = JSON.parse(j.payload) as { status: string; links: Array<{ rel: string }> };
    assert.equal(body.status, 'resolved');
    assert.deepEqual(body.links, [], 'no acknowledge or resolve link once it is over');
  }
  await clock.advance(3600_000);
  assert.equal(store.pages.length, 12, 'nothing after the resolution (team level never reached)');
  const again = await engine.onNotification('shop-critical', firing(), '{}');
  assert.notEqual(again?.id, e.id);
  assert.equal(store.pages.length, 15);
  await engine.stop();
});

test('an escalation stopped by a person (not by its alerts resolving) sends no resolved pages', async () => {
  const { engine, store } = setup();
  engine.start();
  const e = await engine.onNotification('shop-critical', firing(), '{}');
  assert.ok(e);
  await engine.resolve(e.id, 'alice', 'webhook');
  assert.equal(store.pages.length, 3);
  await engine.onNotification('shop-critical', resolvedN(), '{"status":"resolved"}');
  assert.equal(store.pages.length, 3);
  await engine.stop();
});

test('ack_timeout: acknowledged but unresolved escalates again from level 1', async () => {
  const { engine, store, clock, events } = setup(directory({ ack_timeout: '10m' }));
  engine.start();
  const e = await engine.onNotification('shop-critical', firing(), '{}');
  assert.ok(e);
  await clock.advance(6 * M); // level 2 (carol) paged
  await engine.acknowledge(e.id, 'carol', 'email');
  const n = store.pages.length;
  await clock.advance(10 * M - 1);
  assert.equal(store.pages.length, n);
  await clock.advance(1);
  const payloads = store.pages.slice(n).map((j) => (JSON.parse(j.payload) as { page: PageInfo }).page);
  assert.deepEqual(payloads.map((p) => `${p.person}@${p.level}`), ['alice@1', 'alice@1', 'alice@1']);
  assert.equal((await store.get(e.id))?.status, 'active');
  assert.ok(events.some(([, ev]) => ev.kind === 'ack_timeout'));
  await engine.stop();
});

test('a level with nobody on call is passed over at once', async () => {
  const { engine, store } = setup();
  engine.start();
  await engine.onNotification('gaps', firing('gap-pager'), '{}');
  await engine.tick();
  const people = store.pages.map((j) => (JSON.parse(j.payload) as { page: PageInfo }).page.person);
  assert.deepEqual([...new Set(people)], ['dana']);
  await engine.stop();
});

test('a new engine on the same store resumes at the level reached, at the right time', async () => {
  const store = new MemoryEscalationStore();
  const clock = new FakeClock(Date.parse('2026-11-07T10:00:00Z'));
  const first = setup(directory(), store, clock);
  first.engine.start();
  await first.engine.onNotification('shop-critical', firing(), '{}');
  await clock.advance(6 * M); // level 2 paged
  await first.engine.stop(); // the process dies here
  const before = store.pages.length;
  await clock.advance(30 * M); // down for 30 minutes: level 3 was due at 20m
  const second = setup(directory(), store, clock);
  second.engine.start();
  await clock.advance(0);
  assert.deepEqual(second.pages(before), ['carol/email@3', 'carol/webhook@3', 'dana/email@3', 'dana/webhook@3'], 'level 3 as soon as it runs, not level 1 again');
  await second.engine.stop();
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { freePort } from './helpers/services.js';
import { runCli, startServer } from './helpers/vigil-process.js';
import { STARTER_CONFIG } from '../src/cli/init.js';
import { verifySlackSignature } from '../src/api/index.js';

const CONFIG = `
people:
  - {name: alice, full_name: Alice Example, time_zone: Europe/Berlin, contacts: {email: alice@example.com, slack: U012ABCDE}}
  - {name: bob, time_zone: America/New_York, contacts: {email: bob@example.com}}
  - {name: carol, contacts: {email: carol@example.com}}
  - {name: dana, contacts: {email: dana@example.com}}
schedules:
  - name: shop-primary
    time_zone: Europe/Berlin
    layers:
      - {name: weekly, rotation: weekly, start: "2026-11-02T09:00", members: [alice, bob]}
      - name: business-hours-cover
        rotation: daily
        start: "2026-11-02T09:00"
        members: [carol]
        restrictions: [{days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}]
    overrides:
      - {person: dana, start: "2026-12-24T00:00", end: "2026-12-27T00:00"}
  - name: us-nights
    time_zone: America/New_York
    layers:
      - {name: nights, rotation: 12h, start: "2026-10-30T20:00", members: [bob, alice]}
paging:
  slack_signing_secret_env: TEST_SLACK_SECRET
`;

interface Shift {
  start: string;
  end: string;
  person: string;
  layer: string;
}

test('who is on call, shifts and calendar feeds through the API; Slack signatures', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-oncall-'));
  writeFileSync(join(dir, 'vigil.yml'), CONFIG);
  const args = ['--config', join(dir, 'vigil.yml'), '--data-dir', join(dir, 'data')];
  const port = await freePort();
  let server = await startServer(args, port, { TEST_SLACK_SECRET: 'slack-signing-secret-for-tests' });
  try {
    const get = async <T>(path: string): Promise<T> => {
      const r = await fetch(`${server.url}${path}`);
      assert.equal(r.status, 200, `${path}: ${await r.clone().text()}`);
      return (await r.json()) as T;
    };
    const oncall = await get<{ oncall: Array<{ schedule: string; person: string; shift: Shift }> }>('/api/v1/oncall?at=2026-11-02T10:00:00Z');
    assert.deepEqual(
      oncall.oncall.map((o) => [o.schedule, o.person, o.shift.start, o.shift.end]),
      [
        ['shop-primary', 'carol', '2026-11-02T09:00:00+01:00', '2026-11-02T17:00:00+01:00'],
        ['us-nights', 'bob', '2026-11-01T20:00:00-05:00', '2026-11-02T08:00:00-05:00'],
      ],
    );
    const shifts = await get<{ shifts: Shift[] }>('/api/v1/schedules/shop-primary/shifts?from=2026-11-06T00:00:00Z&to=2026-11-10T00:00:00Z');
    assert.deepEqual(shifts.shifts.map((s) => `${s.start} ${s.end} ${s.person} ${s.layer}`), [
      '2026-11-06T01:00:00+01:00 2026-11-06T09:00:00+01:00 alice weekly',
      '2026-11-06T09:00:00+01:00 2026-11-06T17:00:00+01:00 carol business-hours-cover',
      '2026-11-06T17:00:00+01:00 2026-11-09T09:00:00+01:00 alice weekly',
      '2026-11-09T09:00:00+01:00 2026-11-09T17:00:00+01:00 carol business-hours-cover',
      '2026-11-09T17:00:00+01:00 2026-11-10T01:00:00+01:00 bob weekly',
    ]);
    const bad = await fetch(`${server.url}/api/v1/schedules/shop-primary/shifts?from=tomorrow`);
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /query\.from: expected RFC 3339/);
    assert.equal((await fetch(`${server.url}/api/v1/schedules/nope/shifts`)).status, 404);

    // Calendar feeds parse with a real RFC 5545 parser; times resolve through their VTIMEZONEs.
    const ics = await (await fetch(`${server.url}/api/v1/people/alice/calendar.ics?weeks=52`)).text();
    const cal = new ICAL.Component(ICAL.parse(ics));
    const zones = cal.getAllSubcomponents('vtimezone').map((z) => String(z.getFirstPropertyValue('tzid')));
    assert.deepEqual(zones.sort(), ['America/New_York', 'Europe/Berlin'], 'a VTIMEZONE per zone used');
    for (const z of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(z);
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    assert.ok(events.length > 10);
    for (const e of events) {
      assert.ok(e.uid.length > 0);
      assert.match(e.summary, /^On call: (shop-primary|us-nights)$/);
    }
    // alice's us-nights turns are 08:00–20:00 New York time, in winter (EST) and summer (EDT).
    const starts = new Map(events.filter((e) => e.summary === 'On call: us-nights').map((e) => [e.startDate.toJSDate().toISOString(), e.endDate.toJSDate().toISOString()]));
    assert.equal(starts.get('2027-01-10T13:00:00.000Z'), '2027-01-11T01:00:00.000Z', 'a winter shift (EST)');
    assert.equal(starts.get('2027-03-14T12:00:00.000Z'), '2027-03-15T00:00:00.000Z', 'the first summer shift (EDT)');
    const feed = await fetch(`${server.url}/api/v1/schedules/shop-primary/calendar.ics`);
    assert.match(feed.headers.get('content-type') ?? '', /^text\/calendar/);
    assert.match(await feed.text(), /BEGIN:VTIMEZONE\r\nTZID:Europe\/Berlin/);

    // Slack's interactive endpoint: only requests signed with the signing secret count.
    const body = `payload=${encodeURIComponent(JSON.stringify({ user: { id: 'U012ABCDE' }, actions: [{ value: 'not-a-token' }] }))}`;
    const ts = String(Math.floor(Date.now() / 1000));
    const sign = (secret: string, t = ts) => `v0=${createHmac('sha256', secret).update(`v0:${t}:${body}`).digest('hex')}`;
    const post = (sig: string, t = ts) => fetch(`${server.url}/api/v1/slack/interactions`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': t, 'x-slack-signature': sig }, body });
    assert.equal((await post(sign('wrong-secret'))).status, 401);
    const stale = String(Math.floor(Date.now() / 1000) - 600);
    assert.equal((await post(sign('slack-signing-secret-for-tests', stale), stale)).status, 401, 'older than five minutes');
    const ok = await post(sign('slack-signing-secret-for-tests'));
    assert.equal(ok.status, 200);
    assert.match(((await ok.json()) as { text: string }).text, /does not carry a Vigil page link/);
    // The acknowledge page refuses forged links.
    assert.equal((await fetch(`${server.url}/ack/aaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb`)).status, 404);
  } finally {
    await server.stop();
  }
});

test('overrides from the CLI are persisted across a restart and change who is on call', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-oncall-cli-'));
  writeFileSync(join(dir, 'vigil.yml'), CONFIG);
  const args = ['--config', join(dir, 'vigil.yml'), '--data-dir', join(dir, 'data')];
  const port = await freePort();
  let server = await startServer(args, port, { TEST_SLACK_SECRET: 'slack-signing-secret-for-tests' });
  try {
    const get = async <T>(path: string): Promise<T> => (await (await fetch(`${server.url}${path}`)).json()) as T;
    // An override from the CLI, in the schedule's local time; it survives a restart.
    const added = await runCli(['oncall', 'override', 'shop-primary', 'dana', '--from', '2026-11-07T08:00', '--to', '2026-11-07T20:00', '--url', server.url]);
    assert.equal(added.code, 0, added.stderr);
    const id = /override (ovr_[0-9a-f]+)/.exec(added.stdout)?.[1];
    assert.ok(id, added.stdout);
    await server.stop();
    server = await startServer(args, port, { TEST_SLACK_SECRET: 'slack-signing-secret-for-tests' });
    const who = await runCli(['oncall', '--at', '2026-11-07T12:00:00+01:00', '--url', server.url]);
    assert.equal(who.code, 0, who.stderr);
    assert.match(who.stdout, /shop-primary\s+dana\s+2026-11-07T20:00:00\+01:00\s+override/);
    const list = await runCli(['oncall', 'shifts', 'shop-primary', '--from', '2026-11-07T00:00', '--to', '2026-11-08T00:00', '--url', server.url]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /2026-11-07T08:00:00\+01:00\s+2026-11-07T20:00:00\+01:00\s+dana\s+override/);
    const rm = await runCli(['oncall', 'override-rm', 'shop-primary', id, '--url', server.url]);
    assert.equal(rm.code, 0, rm.stderr);
    assert.equal((await get<{ oncall: Array<{ person: string }> }>('/api/v1/oncall?at=2026-11-07T11:00:00Z')).oncall[0]?.person, 'alice');
    const unknown = await fetch(`${server.url}/api/v1/schedules/shop-primary/overrides`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ person: 'zed', start: '2026-11-07T08:00', end: '2026-11-07T09:00' }) });
    assert.equal(unknown.status, 400);

  } finally {
    await server.stop();
  }
});

test('verifySlackSignature: Slack v0 HMAC over the raw body, five minutes either way', () => {
  const body = 'payload=%7B%7D';
  const now = Date.UTC(2026, 10, 2, 9);
  const ts = String(now / 1000);
  const sig = `v0=${createHmac('sha256', 'shh').update(`v0:${ts}:${body}`).digest('hex')}`;
  assert.equal(verifySlackSignature('shh', ts, sig, body, now), true);
  assert.equal(verifySlackSignature('shh', ts, sig, body + 'x', now), false, 'body changed');
  assert.equal(verifySlackSignature('other', ts, sig, body, now), false, 'another secret');
  assert.equal(verifySlackSignature('shh', ts, sig, body, now + 301_000), false, 'replayed later');
  assert.equal(verifySlackSignature('shh', undefined, sig, body, now), false);
});

test('vigil init prints a starter configuration that passes check-config', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-init-'));
  const out = await runCli(['init']);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(out.stdout, STARTER_CONFIG);
  const file = join(dir, 'vigil.yml');
  const wrote = await runCli(['init', file]);
  assert.equal(wrote.code, 0, wrote.stderr);
  assert.equal((await runCli(['init', file])).code, 1, 'never overwrites');
  const check = await runCli(['check-config', file]);
  assert.equal(check.code, 0, check.stderr);
  assert.match(check.stdout, /on-call:\s+3 people, 1 teams, 1 schedules, 1 escalation policies/);
  // The severity policy: critical pages through escalation, high email + Slack, medium Slack, low nobody.
  for (const [severity, receiver] of [['critical', 'pager'], ['high', 'email-and-slack'], ['medium', 'slack'], ['low', 'nobody']]) {
    assert.match(STARTER_CONFIG, new RegExp(`matchers: \\['severity="${severity}"'\\]\\n\\s+receiver: ${receiver}`));
  }
});

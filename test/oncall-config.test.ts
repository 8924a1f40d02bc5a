import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseConfigText } from '../src/config/index.js';
import { receiverSchema } from '../src/notify/index.js';
import { OncallDirectory } from '../src/oncall/index.js';

const example = readFileSync(fileURLToPath(new URL('./testdata/config/oncall-example.yml', import.meta.url)), 'utf8');
const hasSlack = 'slack_configs' in receiverSchema.shape;

test("the issue's on-call example is accepted verbatim", { skip: !hasSlack && 'needs slack_configs (the notifiers work)' }, () => {
  const r = parseConfigText(example);
  assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
});

/** The example with its Slack receiver swapped for a webhook, so it runs before slack_configs exists. */
const exampleWithoutSlack = example.replace(/slack_configs:\n\s+- api_url_env: SLACK_WEBHOOK_URL\n\s+channel: "#ops"/, 'webhook_configs:\n      - url: http://127.0.0.1:18100/ops');

test('the on-call example parses into people, schedules and policies with the documented defaults', () => {
  const r = parseConfigText(exampleWithoutSlack);
  assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
  const c = r.config;
  assert.equal(c.people.length, 4);
  assert.equal(c.people[0]?.notification_rules?.[1]?.after, 5 * 60_000);
  assert.equal(c.people[1]?.time_zone, 'UTC', 'default time zone');
  assert.equal(c.schedules[0]?.layers[0]?.rotation, 7 * 86_400_000);
  assert.equal(c.escalation_policies[0]?.repeat, 1);
  assert.equal(c.escalation_policies[0]?.levels[1]?.escalate_after, 15 * 60_000);
  assert.equal(c.receivers.find((x) => x.name === 'shop-pager')?.escalation_policy, 'shop-critical');
  assert.equal(c.paging.ack_link_ttl, 24 * 3600_000);

  const dir = new OncallDirectory(c);
  assert.equal(dir.onCall('shop-primary', Date.parse('2026-11-02T10:00:00Z')), 'carol');
  assert.equal(dir.onCall('shop-primary', Date.parse('2026-11-07T10:00:00Z')), 'alice');
  assert.deepEqual(dir.resolveTargets([{ kind: 'team', name: 'shop-leads' }, { kind: 'person', name: 'carol' }], 0), ['carol', 'dana']);
  assert.deepEqual(dir.person('bob')?.rules, [{ after: 0, via: ['email', 'webhook'] }], 'default rule: every contact at once');
});

const bad = `
people:
  - name: alice
    time_zone: Europe/Berlinn
    contacts: {email: alice@example.com, phone: "555-1234"}
    notification_rules:
      - {after: 0m, via: [sms, pager]}
  - name: alice
teams:
  - name: leads
    members: [alice, zed]
schedules:
  - name: s
    time_zone: Europe/Berlin
    layers:
      - name: l
        rotation: fortnightly
        start: "2026-11-02 9am"
        members: [alice, yan]
        restrictions:
          - {days: [monday], from: "9:00", to: "25:00"}
      - name: m
        rotation: 30s
        start: "2026-11-02T09:00"
        members: [alice]
    overrides:
      - {person: xi, start: "2026-12-24T00:00", end: "2026-12-23T00:00"}
escalation_policies:
  - name: p
    levels:
      - targets: [{schedule: nope}, {person: alice, team: leads}, {team: ghosts}]
        escalate_after: 0s
receivers:
  - name: pager
    escalation_policy: missing
route:
  receiver: pager
`;

test('on-call config errors name their path and the reason', () => {
  const r = parseConfigText(bad);
  assert.ok(!r.ok);
  const errors = r.errors.join('\n');
  const want = [
    /^people\[0\]\.time_zone: unknown time zone/m,
    /^people\[0\]\.contacts\.phone: expected a phone number in E\.164 form/m,
    /^people\[0\]\.notification_rules\[0\]\.via\[1\]: expected one of email, slack, sms, voice, webhook/m,
    /^schedules\[0\]\.layers\[0\]\.rotation: expected daily, weekly or a whole number of minutes/m,
    /^schedules\[0\]\.layers\[0\]\.start: expected a local time like 2026-11-02T09:00/m,
    /^schedules\[0\]\.layers\[0\]\.restrictions\[0\]\.days\[0\]: expected one of mon, tue/m,
    /^schedules\[0\]\.layers\[0\]\.restrictions\[0\]\.from: expected a start time like 09:00/m,
    /^schedules\[0\]\.layers\[0\]\.restrictions\[0\]\.to: expected an end time like 09:00/m,
    /^schedules\[0\]\.layers\[1\]\.rotation: expected daily, weekly or a whole number of minutes/m,
    /^escalation_policies\[0\]\.levels\[0\]\.targets\[1\]: a target is exactly one of/m,
    /^escalation_policies\[0\]\.levels\[0\]\.escalate_after: must be at least 1s/m,
  ];
  for (const re of want) assert.match(errors, re);
});

test('on-call references are checked across sections, with paths', () => {
  const r = parseConfigText(`
people:
  - name: alice
    contacts: {email: alice@example.com}
    notification_rules:
      - {after: 0m, via: [email, sms]}
  - name: alice
teams:
  - name: leads
    members: [alice, zed]
schedules:
  - name: s
    time_zone: America/New_York
    layers:
      - {name: l, rotation: 12h, start: "2026-11-02T09:00", members: [alice, yan]}
      - {name: l, rotation: daily, start: "2026-11-02T09:00", end: "2026-11-01T09:00", members: [alice]}
    overrides:
      - {person: xi, start: "2026-12-24T00:00", end: "2026-12-23T00:00"}
escalation_policies:
  - name: p
    levels:
      - targets: [{schedule: nope}, {team: ghosts}, {person: bo}]
receivers:
  - name: pager
    escalation_policy: missing
route:
  receiver: pager
`);
  assert.ok(!r.ok);
  const errors = r.errors.join('\n');
  const want = [
    /^people\[0\]\.notification_rules\[0\]\.via\[1\]: channel sms needs contacts\.phone, which alice does not have/m,
    /^people\[1\]\.name: duplicate name "alice"/m,
    /^teams\[0\]\.members\[1\]: unknown person "zed" \(declare it under people:\)/m,
    /^schedules\[0\]\.layers\[0\]\.members\[1\]: unknown person "yan"/m,
    /^schedules\[0\]\.layers\[1\]\.name: duplicate layer name "l"/m,
    /^schedules\[0\]\.layers\[1\]\.end: must be after start/m,
    /^schedules\[0\]\.overrides\[0\]\.person: unknown person "xi"/m,
    /^schedules\[0\]\.overrides\[0\]\.end: must be after start/m,
    /^escalation_policies\[0\]\.levels\[0\]\.targets\[0\]\.schedule: unknown schedule "nope"/m,
    /^escalation_policies\[0\]\.levels\[0\]\.targets\[1\]\.team: unknown team "ghosts"/m,
    /^escalation_policies\[0\]\.levels\[0\]\.targets\[2\]\.person: unknown person "bo"/m,
    /^receivers\[0\]\.escalation_policy: unknown escalation policy "missing"/m,
  ];
  for (const re of want) assert.match(errors, re);
});

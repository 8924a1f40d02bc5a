import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { parse } from 'yaml';
import { receiversSchema } from '../notify/config.js';
import { checkRouting, formatIssuePath, rootRouteSchema } from './config.js';

const VERBATIM = `
receivers:
  - name: ops-webhook
    webhook_configs:
      - url: http://127.0.0.1:18099/hook
        send_resolved: true
route:
  receiver: ops-webhook
  group_by: [alertname, service]
  group_wait: 1s
  group_interval: 5s
  repeat_interval: 4h
`;

const sectionSchema = z.strictObject({ receivers: receiversSchema, route: rootRouteSchema });

function issues(yamlText: string): string[] {
  const r = sectionSchema.safeParse(parse(yamlText));
  if (r.success) return checkRouting(r.data.route, r.data.receivers, new Set()).map((i) => `${formatIssuePath(i.path)}: ${i.message}`);
  return r.error.issues.map((i) => `${formatIssuePath(i.path as Array<string | number>)}: ${i.message}`);
}

test('the issue\'s example config is accepted verbatim', () => {
  const r = sectionSchema.parse(parse(VERBATIM));
  assert.deepEqual(r.route, { receiver: 'ops-webhook', group_by: ['alertname', 'service'], group_wait: 1000, group_interval: 5000, repeat_interval: 14_400_000 });
  assert.deepEqual(r.receivers, [{ name: 'ops-webhook', webhook_configs: [{ url: 'http://127.0.0.1:18099/hook', send_resolved: true, max_alerts: 0 }] }]);
  assert.deepEqual(checkRouting(r.route, r.receivers), []);
});

test('defaults: webhook send_resolved true; a receiver without configs is a valid blackhole', () => {
  const r = receiversSchema.parse([{ name: 'a', webhook_configs: [{ url: 'https://x.test/' }] }, { name: 'blackhole' }]);
  assert.equal(r[0]?.webhook_configs?.[0]?.send_resolved, true);
});

test('unknown keys are errors with their path', () => {
  assert.deepEqual(issues(`${VERBATIM}\n  group_wiat: 1s\n`), ['route: Unrecognized key: "group_wiat"']);
  const bad = VERBATIM.replace('send_resolved: true', 'send_resolved: true\n        sendResolved: true');
  assert.deepEqual(issues(bad), ['receivers[0].webhook_configs[0]: Unrecognized key: "sendResolved"']);
});

test('an undefined receiver is reported with its path', () => {
  const text = `${VERBATIM}  routes:\n    - matchers: ['severity="critical"']\n      receiver: pager\n`;
  assert.deepEqual(issues(text), ['route.routes[0].receiver: undefined receiver "pager" used in route']);
});

test('duplicate receiver names, root matchers, bad matchers, group_by and unsupported keys are rejected', () => {
  const dup = `receivers: [{name: a}, {name: a}]\nroute: {receiver: a}\n`;
  assert.deepEqual(issues(dup), ['receivers[1].name: notification config name "a" is not unique']);
  assert.deepEqual(issues(`receivers: [{name: a}]\nroute: {receiver: a, matchers: ['x="y"']}\n`), ['route.matchers: root route must not have any matchers']);
  assert.deepEqual(issues(`receivers: [{name: a}]\nroute: {group_by: [a]}\n`), ['route.receiver: root route must specify a default receiver']);
  assert.deepEqual(issues(`receivers: [{name: a}]\nroute: {receiver: a, routes: [{matchers: ['foo~bar']}]}\n`), [
    'route.routes[0].matchers[0]: bad matcher "foo~bar": expected <label name><operator><value> with operator one of =, !=, =~, !~ (e.g. severity="critical")',
  ]);
  assert.deepEqual(issues(`receivers: [{name: a}]\nroute: {receiver: a, group_by: ['...', x]}\n`), [
    "route.group_by[0]: cannot have wildcard group_by ('...') and other labels at the same time",
  ]);
  assert.deepEqual(issues(`receivers: [{name: a}]\nroute: {receiver: a, routes: [{mute_time_intervals: [night]}]}\n`), [
    'route.routes[0].mute_time_intervals[0]: undefined time interval "night" used in route',
  ]);
  assert.deepEqual(issues(`receivers: [{name: a}]\nroute: {receiver: a, mute_time_intervals: [night], active_time_intervals: [day]}\n`), [
    'route.mute_time_intervals: root route must not have any mute time intervals',
    'route.active_time_intervals: root route must not have any active time intervals',
  ]);
  assert.deepEqual(issues(`receivers: [{name: a}]\nroute: {receiver: a, group_interval: 0s}\n`), ['route.group_interval: group_interval cannot be zero']);
  assert.deepEqual(issues(`receivers: [{name: a, webhook_configs: [{url: 'ftp://x'}]}]\nroute: {receiver: a}\n`), [
    'receivers[0].webhook_configs[0].url: unsupported scheme "ftp" for URL',
  ]);
});

// An alertmanager.yml's route, receivers, inhibit_rules and time_intervals pasted into vigil.yml,
// and the exact messages for what Alertmanager would refuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfigText } from '../src/config/index.js';

const PASTED = `
global:
  resolve_timeout: 2m
route:
  receiver: default
  group_by: [alertname, cluster]
  routes:
    - matchers: [severity="warning"]
      receiver: chat
      active_time_intervals: [business-hours]
      routes:
        - matchers: [team="db"]
          group_by: []
          mute_time_intervals: [maintenance]
receivers:
  - name: default
  - name: chat
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity=~"warning|info"]
    equal: [cluster, service]
  - source_match: {alertname: ClusterDown}
    source_match_re: {cluster: 'prod-.*'}
    target_match: {severity: page}
time_intervals:
  - name: business-hours
    time_intervals:
      - times: [{start_time: '09:00', end_time: '17:30'}]
        weekdays: ['monday:friday']
        location: America/New_York
mute_time_intervals:
  - name: maintenance
    time_intervals:
      - weekdays: [sunday]
        times: [{start_time: '02:00', end_time: '04:00'}]
`;

test('a pasted alertmanager.yml (route, receivers, inhibit_rules, time_intervals, legacy mute_time_intervals) is accepted', () => {
  const r = parseConfigText(PASTED);
  assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
  assert.equal(r.config.global.resolve_timeout, 120_000);
  assert.equal(r.config.inhibit_rules.length, 2);
  assert.deepEqual(r.config.time_intervals[0]?.time_intervals[0], { times: [{ startMinute: 540, endMinute: 1050 }], weekdays: [[1, 5]], location: 'America/New_York' });
  assert.equal(r.config.mute_time_intervals[0]?.name, 'maintenance');
});

test('what Alertmanager refuses is refused with its message and the path', () => {
  const errors = (text: string) => {
    const r = parseConfigText(text);
    return r.ok ? [] : r.errors;
  };
  const base = 'receivers: [{name: a}]\nroute:\n  receiver: a\n';
  assert.deepEqual(errors(`${base}  routes: [{receiver: a, mute_time_intervals: [nights]}]\n`), ['route.routes[0].mute_time_intervals[0]: undefined time interval "nights" used in route']);
  assert.deepEqual(errors(`${base}  mute_time_intervals: [x]\ntime_intervals: [{name: x, time_intervals: []}]\n`), ['route.mute_time_intervals: root route must not have any mute time intervals']);
  assert.deepEqual(errors(`${base}time_intervals: [{name: x, time_intervals: []}, {name: x, time_intervals: []}]\n`), ['time_intervals[1].name: time interval "x" is not unique']);
  assert.deepEqual(errors(`${base}mute_time_intervals: [{name: x, time_intervals: []}, {name: x, time_intervals: []}]\n`), ['mute_time_intervals[1].name: mute time interval "x" is not unique']);
  assert.deepEqual(errors(`${base}time_intervals: [{name: x, time_intervals: [{weekdays: ['friday:monday']}]}]\n`), ['time_intervals[0].time_intervals[0].weekdays[0]: start day cannot be before end day']);
  assert.deepEqual(errors(`${base}time_intervals: [{name: x, time_intervals: [{location: Moon/Base}]}]\n`), ['time_intervals[0].time_intervals[0].location: unknown time zone Moon/Base']);
  assert.deepEqual(errors(`${base}inhibit_rules: [{source_match: {1bad: x}}]\n`), ['inhibit_rules[0].source_match.1bad: invalid label name "1bad"']);
  assert.deepEqual(errors(`${base}inhibit_rules: [{target_matchers: ['a~b']}]\n`), [
    'inhibit_rules[0].target_matchers[0]: bad matcher "a~b": expected <label name><operator><value> with operator one of =, !=, =~, !~ (e.g. severity="critical")',
  ]);
  assert.deepEqual(errors(`${base}inhibit_rules: [{source_match_re: {a: '('}}]\n`), [
    'inhibit_rules[0].source_match_re.a: invalid regular expression "(": error parsing regexp: missing closing ): `(?s)^(?:()$`',
  ]);
  assert.deepEqual(errors(`${base}inhibit_rules: [{equals: [a]}]\n`), ['inhibit_rules[0].equals: unknown key (check the spelling; see docs/configuration.md)']);
  assert.deepEqual(errors(`global: {resolve_timeout: soon}\n${base}`), ['global.resolve_timeout: expected a duration like 30s, got "soon"']);
});

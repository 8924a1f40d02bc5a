import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fingerprint } from '../../model/labels.js';
import { buildInhibitRules, inhibitRulesSchema } from '../am-config.js';
import { Inhibitor } from './inhibitor.js';

const rules = (v: unknown) => buildInhibitRules(inhibitRulesSchema.parse(v));
const a = (labels: Record<string, string>, endsAt = 0) => ({ fingerprint: fingerprint(labels), labels, endsAt });

test('a firing source with equal labels inhibits matching targets; resolved sources stop inhibiting', () => {
  const inh = new Inhibitor(rules([{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['service'] }]));
  const crit = a({ alertname: 'Down', severity: 'critical', service: 'db' }, 2000);
  inh.observe(crit);
  const warnDb = a({ alertname: 'Slow', severity: 'warning', service: 'db' });
  const warnWeb = a({ alertname: 'Slow', severity: 'warning', service: 'web' });
  assert.deepEqual(inh.mutedBy(warnDb, 1000), [crit.fingerprint]);
  assert.deepEqual(inh.mutedBy(warnWeb, 1000), [], 'equal label differs');
  assert.deepEqual(inh.mutedBy(crit, 1000), [], 'the source itself is no target');
  assert.deepEqual(inh.mutedBy(warnDb, 2000), [], 'the source resolved at 2000');
});

test('labels missing on both sides count as equal; legacy match/match_re; an alert matching both sides is not inhibited by another such alert', () => {
  const inh = new Inhibitor(rules([{ source_match: { alertname: 'ClusterDown' }, source_match_re: { cluster: 'prod-.*' }, target_match_re: { alertname: '.+' }, equal: ['cluster', 'zone'] }]));
  const src = a({ alertname: 'ClusterDown', cluster: 'prod-1' });
  inh.observe(src);
  inh.observe(a({ alertname: 'ClusterDown', cluster: 'dev-1' }));
  assert.deepEqual(inh.mutedBy(a({ alertname: 'Latency', cluster: 'prod-1' }), 0), [src.fingerprint], 'zone missing on both');
  assert.deepEqual(inh.mutedBy(a({ alertname: 'Latency', cluster: 'prod-1', zone: 'a' }), 0), []);
  assert.deepEqual(inh.mutedBy(a({ alertname: 'Latency', cluster: 'dev-1' }), 0), [], 'dev-1 is no source');
  // A second ClusterDown in prod-1 (matches both sides) is not inhibited by the first.
  const twin = a({ alertname: 'ClusterDown', cluster: 'prod-1', instance: 'x' });
  inh.observe(twin);
  assert.deepEqual(inh.mutedBy(twin, 0), []);
});

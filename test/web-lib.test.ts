// The web UI's pure helpers (no DOM): what a person types becomes the right query or label set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLabelSet } from '../web/src/lib/label-set.js';
import { addMatcher, templateFilter } from '../web/src/lib/logql-text.js';
import { autoStep, parsePromDuration, promDuration } from '../web/src/lib/durations.js';
import { flatRange, yRange } from '../web/src/charts/ranges.js';

test('label sets in the forms people type them', () => {
  const want = { labels: { alertname: 'DiskFull', severity: 'critical', team: 'db' } };
  assert.deepEqual(parseLabelSet('{alertname="DiskFull", severity="critical", team="db"}'), want);
  assert.deepEqual(parseLabelSet('alertname=DiskFull, severity=critical,team=db'), want);
  assert.deepEqual(parseLabelSet('alertname="DiskFull"\nseverity=critical\n team = "db" '), want);
  assert.deepEqual(parseLabelSet('msg="a \\"quoted\\", comma"'), { labels: { msg: 'a "quoted", comma' } });
  assert.deepEqual(parseLabelSet('empty=""'), { labels: { empty: '' } });
  assert.match((parseLabelSet('not a label set') as { error: string }).error, /cannot read a label at "not a label set"/);
  assert.match((parseLabelSet('1bad="x"') as { error: string }).error, /cannot read a label/);
  assert.match((parseLabelSet('  ') as { error: string }).error, /at least one label/);
});

test('a picked label narrows the stream selector, or filters when the selector has it already', () => {
  assert.equal(addMatcher('{service="shop"} |= "timeout"', 'level', 'error'), '{service="shop", level="error"} |= "timeout"');
  assert.equal(addMatcher('{}', 'service', 'shop'), '{service="shop"}');
  assert.equal(addMatcher('{service="shop"}', 'service', 'billing'), '{service="shop"} | service="billing"');
  assert.equal(addMatcher('', 'service', 'a"b\\c'), '{service="a\\"b\\\\c"}');
  assert.equal(templateFilter('user <*> failed to log in from <*>'), 'failed to log in from');
  assert.equal(templateFilter('<*>'), '');
});

test('durations and steps', () => {
  assert.equal(parsePromDuration('1h30m'), 5400);
  assert.equal(parsePromDuration('15s'), 15);
  assert.equal(parsePromDuration('250ms'), 0.25);
  assert.equal(parsePromDuration('30'), 30);
  assert.equal(parsePromDuration('5 minutes'), undefined);
  assert.equal(parsePromDuration('1h30'), undefined);
  assert.equal(promDuration(5400), '1h30m');
  assert.equal(promDuration(86400 + 61), '1d1m1s');
  assert.equal(autoStep(3600), 15, '1 h in about 250 points');
  assert.equal(autoStep(30 * 86400), 21600, '30 d in 6 h steps');
});

test('a flat line is drawn mid-chart, whatever its size', () => {
  assert.deepEqual(flatRange(0.002), [0, 0.004]);
  assert.deepEqual(flatRange(0), [0, 1]);
  assert.deepEqual(flatRange(-5), [-5, 5]);
  assert.deepEqual(flatRange(3e9), [0, 6e9]);
  assert.deepEqual(yRange(0.001, 0.0014), [0, 0.0014 + 0.00014]);
  assert.deepEqual(yRange(-2, 8), [-2, 9]);
  assert.deepEqual(yRange(0.002, 0.002), [0, 0.004]);
});

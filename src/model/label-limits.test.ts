import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brief, briefLabels, labelLimitProblem, longerThan, METRIC_LIMIT_KEYS } from './label-limits.js';

test('lengths are UTF-8 bytes, decided without encoding when the length alone tells', () => {
  assert.equal(longerThan('abc', 3), false);
  assert.equal(longerThan('abcd', 3), true);
  assert.equal(longerThan('é'.repeat(2), 3), true, '4 bytes');
  assert.equal(longerThan('€', 3), false, '3 bytes');
  assert.equal(longerThan('x'.repeat(100), 0), false, '0 = no limit');
});

test('problems name the label and the key; messages never carry a huge value', () => {
  const limits = { maxNameLength: 4, maxValueLength: 8, maxLabels: 2 };
  assert.equal(labelLimitProblem({ a: 'x', b: 'y' }, limits, METRIC_LIMIT_KEYS), undefined);
  assert.equal(labelLimitProblem({ a: 'x', b: 'y', c: 'z' }, limits, METRIC_LIMIT_KEYS), '3 labels, more than the limit of 2 (metrics.max_label_names_per_series)');
  assert.equal(labelLimitProblem({ abcde: 'x' }, limits, METRIC_LIMIT_KEYS), 'label name "abcde" is 5 bytes long, longer than the limit of 4 (metrics.max_label_name_length)');
  assert.equal(labelLimitProblem([{ name: 'a', value: '123456789' }], limits, METRIC_LIMIT_KEYS), 'the value of label "a" is 9 bytes long, longer than the limit of 8 (metrics.max_label_value_length)');
  const big = 'v'.repeat(1 << 20);
  assert.equal(brief(big).length < 100, true);
  assert.equal(briefLabels({ b: big, a: '1' }), `{a="1", b="${'v'.repeat(64)}…(1,048,576 bytes)"}`);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringifyFlat } from './flat-json.js';

test('stringifyFlat: the same text as JSON.stringify, short and long', () => {
  const long = { alerts: Array.from({ length: 200 }, (_, i) => ({ labels: { alertname: `A${i}`, text: 'ü "quoted" \\ \n' }, n: i })) };
  for (const v of [null, 1, 'x', { a: [1, 2] }, long]) assert.equal(stringifyFlat(v), JSON.stringify(v));
  assert.ok(stringifyFlat(long).length > 1024);
});

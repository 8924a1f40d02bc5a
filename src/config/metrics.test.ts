import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metricsConfigSchema } from './metrics.js';

test('metrics.worker_idle_stop: 30s by default, a duration, 0s keeps the worker', () => {
  assert.equal(metricsConfigSchema.parse({}).worker_idle_stop, 30_000);
  assert.equal(metricsConfigSchema.parse({ worker_idle_stop: '2m' }).worker_idle_stop, 120_000);
  assert.equal(metricsConfigSchema.parse({ worker_idle_stop: '0s' }).worker_idle_stop, 0);
  const bad = metricsConfigSchema.safeParse({ worker_idle_stop: 'soon' });
  assert.equal(bad.success, false);
  assert.match(bad.error?.issues[0]?.message ?? '', /expected a duration like 30s, got "soon"/);
  assert.deepEqual(bad.error?.issues[0]?.path, ['worker_idle_stop']);
});

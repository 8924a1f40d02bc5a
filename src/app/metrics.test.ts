import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatestSamples } from './latest-samples.js';
import { VigilMetrics } from './metrics.js';

test('check metrics count runs per check and result and observe durations per probe type', async () => {
  const m = new VigilMetrics(new LatestSamples(), async () => 0, () => 0);
  const c = m.checkMetrics;
  c.checkRun('web', true);
  c.checkRun('web', true);
  c.checkRun('web', false);
  c.checkRun('api', false);
  c.probeDuration('http', 0.02);
  c.probeDuration('http', 0.3);
  c.probeDuration('tcp', 0.001);
  const text = await m.text();
  assert.match(text, /^vigil_checks_run_total\{check="web",result="success"\} 2$/m);
  assert.match(text, /^vigil_checks_run_total\{check="web",result="failure"\} 1$/m);
  assert.match(text, /^vigil_checks_run_total\{check="api",result="failure"\} 1$/m);
  assert.doesNotMatch(text, /check="api",result="success"/); // no series before its first run
  assert.match(text, /^vigil_probe_duration_seconds_count\{type="http"\} 2$/m);
  assert.match(text, /^vigil_probe_duration_seconds_bucket\{le="0.025",type="http"\} 1$/m);
  assert.match(text, /^vigil_probe_duration_seconds_count\{type="tcp"\} 1$/m);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatestSamples } from './latest-samples.js';

test('latest samples: the newest committed value per series, whether the label object is reused or new', async () => {
  const s = new LatestSamples();
  const up = Object.freeze({ __name__: 'probe_success', check: 'a', service: 'web' });
  let app = s.appender();
  app.append(up, 1000, 1);
  app.append({ __name__: 'probe_duration_seconds', service: 'web', check: 'a' }, 1000, 0.25);
  assert.equal(s.text(), '', 'nothing before commit');
  await app.commit();
  assert.equal(s.text(), '# TYPE probe_duration_seconds gauge\nprobe_duration_seconds{check="a",service="web"} 0.25\n# TYPE probe_success gauge\nprobe_success{check="a",service="web"} 1\n');

  app = s.appender();
  app.append(up, 2000, 0);
  app.rollback();
  await app.commit();
  assert.match(s.text(), /probe_success\{check="a",service="web"\} 1\n/, 'a rolled-back sample is never shown');

  app = s.appender();
  app.append(up, 3000, 0);
  app.append({ check: 'a', service: 'web', __name__: 'probe_duration_seconds' }, 3000, 0.5);
  await app.commit();
  assert.match(s.text(), /probe_success\{check="a",service="web"\} 0\n/);
  assert.match(s.text(), /probe_duration_seconds\{check="a",service="web"\} 0.5\n/);
  assert.equal(s.text().match(/probe_duration_seconds\{/g)?.length, 1, 'an equal label set in a new object is the same series');

  s.drop((_, labels) => labels.check === 'a');
  assert.equal(s.text(), '');
  app = s.appender();
  app.append(up, 4000, 1);
  await app.commit();
  assert.equal(s.text(), '# TYPE probe_success gauge\nprobe_success{check="a",service="web"} 1\n', 'a dropped series comes back with its next sample');
});

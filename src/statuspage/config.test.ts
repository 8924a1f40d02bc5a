import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig } from '../config/index.js';

test('status_page config: defaults, unique names, known services, every error with its path', () => {
  const ok = validateConfig({ services: [{ name: 'shop-api' }], status_page: { components: [{ service: 'shop-api' }] } });
  assert.ok(ok.ok);
  if (ok.ok) {
    const sp = ok.config.status_page!;
    assert.equal(sp.title, 'Status');
    assert.equal(sp.uptime_days, 90);
    assert.equal(sp.past_incidents_days, 14);
    assert.equal(sp.subscriptions.webhook, true);
  }
  const bad = validateConfig({
    services: [{ name: 'shop-api' }],
    checks: [{ name: 'c', service: 'shop-api', type: 'tcp', target: '127.0.0.1:1' }],
    status_page: {
      title: '',
      components: [{ service: 'shop-api', name: 'Checkout' }, { service: 'shop-api', name: 'Checkout' }, { service: 'nope' }],
      uptime_days: 0,
      colour: 'red',
    },
  });
  assert.ok(!bad.ok);
  if (!bad.ok) {
    const text = bad.errors.join('\n');
    assert.match(text, /status_page\.title: must not be empty/);
    assert.match(text, /status_page\.components\[1\]\.name: component name "Checkout" is already used by components\[0\]/);
    assert.match(text, /status_page\.components\[2\]\.service: unknown service "nope"/);
    assert.match(text, /status_page\.uptime_days/);
    assert.match(text, /colour/);
  }
});

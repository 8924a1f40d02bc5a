import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceStatus } from './service-status.js';
import type { AlertView, CheckView, IncidentView } from './schemas/index.js';

const check = (name: string, service: string, state: CheckView['state'], message = ''): CheckView => ({
  name,
  service,
  type: 'http',
  interval_ms: 1000,
  state,
  alert_firing: state === 'down',
  consecutive_failures: state === 'up' ? 0 : 3,
  consecutive_successes: state === 'up' ? 3 : 0,
  last_result: state === 'pending' ? null : { at: '2026-01-01T00:00:00.000Z', success: state === 'up', duration_ms: 5, message },
  uptime: { '24h': 1, '7d': 1, '30d': 1 },
});
const alert = (labels: Record<string, string>): AlertView => ({
  fingerprint: JSON.stringify(labels),
  status: 'firing',
  labels,
  annotations: {},
  starts_at: '2026-01-01T00:00:00.000Z',
  ends_at: null,
  generator_url: '',
  receivers: ['ops'],
});
const incident = (id: string, services: string[], severity: IncidentView['severity'], status: IncidentView['status']): IncidentView => ({
  id,
  title: `${services[0]} is failing`,
  severity,
  status,
  services,
  assignee: null,
  opened_at: '2026-01-01T00:00:00.000Z',
  acknowledged_at: null,
  acknowledged_by: null,
  mitigated_at: null,
  resolved_at: null,
  resolved_by: null,
  updated_at: '2026-01-01T00:00:00.000Z',
  sla: { time_to_acknowledge: { target_ms: 1, actual_ms: null, state: 'pending' }, time_to_resolve: { target_ms: 1, actual_ms: null, state: 'pending' } },
});

test('each service gets the worst state its checks, alerts and incidents give it, with the reasons', () => {
  const out = serviceStatus(
    [{ name: 'shop', owner: 'team-shop' }, { name: 'cart' }, { name: 'idle' }, { name: 'fresh' }, { name: 'mitigated' }],
    [
      check('shop-health', 'shop', 'down', 'status 503'),
      check('cart-health', 'cart', 'failing', 'timeout'),
      check('fresh-health', 'fresh', 'pending'),
      check('mitigated-health', 'mitigated', 'up'),
      check('orphan-health', 'orphan', 'up'),
    ],
    [
      alert({ alertname: 'shop-health', check: 'shop-health', service: 'shop', severity: 'critical' }),
      alert({ alertname: 'HighLatency', service: 'cart', severity: 'high' }),
      alert({ alertname: 'Disk', service: 'legacy', severity: 'critical' }),
    ],
    [incident('INC-2026-0001', ['shop'], 'critical', 'triggered'), incident('INC-2026-0002', ['mitigated'], 'high', 'mitigated')],
  );
  const by = new Map(out.map((s) => [s.name, s]));
  assert.equal(by.get('shop')?.state, 'down');
  assert.deepEqual(by.get('shop')?.reasons, ['check shop-health down: status 503', 'incident INC-2026-0001 triggered (critical): shop is failing'], "a check's own alert is not repeated");
  assert.deepEqual(by.get('shop')?.firing_alerts, { critical: 1 });
  assert.equal(by.get('shop')?.owner, 'team-shop');
  assert.equal(by.get('cart')?.state, 'degraded');
  assert.deepEqual(by.get('cart')?.reasons, ['check cart-health failing: timeout', 'alert HighLatency firing (high)']);
  assert.equal(by.get('idle')?.state, 'up', 'nothing wrong known, no checks');
  assert.equal(by.get('fresh')?.state, 'unknown');
  assert.equal(by.get('mitigated')?.state, 'up', 'a mitigated incident no longer degrades');
  assert.match(by.get('mitigated')?.reasons.join() ?? '', /INC-2026-0002 mitigated/);
  assert.equal(by.get('legacy')?.state, 'down', 'named only by an alert: listed too');
  assert.equal(by.get('legacy')?.declared, false);
  assert.equal(by.get('orphan')?.state, 'up');
  assert.deepEqual(
    out.map((s) => s.state),
    ['down', 'down', 'degraded', 'unknown', 'up', 'up', 'up'],
    'most troubled first',
  );
});

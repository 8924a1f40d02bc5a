import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWebhookPayload } from './payload.js';
import { rfc3339 } from '../common/time-format.js';
import type { NotificationMessage } from '../message.js';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const msg: NotificationMessage = {
  receiver: 'ops-webhook',
  groupKey: '{}:{alertname="ShopApiHealth", service="shop-api"}',
  groupLabels: { service: 'shop-api', alertname: 'ShopApiHealth' },
  alerts: [
    {
      status: 'firing',
      labels: { service: 'shop-api', alertname: 'ShopApiHealth', instance: 'a', severity: 'critical' },
      annotations: { summary: 'status 503 (expected 200)', runbook: 'r1' },
      startsAt: T0 + 123,
      endsAt: 0,
      generatorURL: 'http://vigil/rules',
      fingerprint: '1111111111111111',
    },
    {
      status: 'resolved',
      labels: { alertname: 'ShopApiHealth', service: 'shop-api', instance: 'b', severity: 'critical' },
      annotations: { summary: 'timeout', runbook: 'r1' },
      startsAt: T0,
      endsAt: T0 + 60_000,
      generatorURL: 'http://vigil/rules',
      fingerprint: '2222222222222222',
    },
  ],
};

test('golden: the exact Alertmanager webhook v4 JSON', () => {
  const json = JSON.stringify(buildWebhookPayload(msg, 'http://vigil.example:9797'));
  assert.equal(
    json,
    '{"receiver":"ops-webhook","status":"firing","alerts":[' +
      '{"status":"firing","labels":{"alertname":"ShopApiHealth","instance":"a","service":"shop-api","severity":"critical"},' +
      '"annotations":{"runbook":"r1","summary":"status 503 (expected 200)"},"startsAt":"2026-01-01T12:00:00.123Z",' +
      '"endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://vigil/rules","fingerprint":"1111111111111111"},' +
      '{"status":"resolved","labels":{"alertname":"ShopApiHealth","instance":"b","service":"shop-api","severity":"critical"},' +
      '"annotations":{"runbook":"r1","summary":"timeout"},"startsAt":"2026-01-01T12:00:00Z","endsAt":"2026-01-01T12:01:00Z",' +
      '"generatorURL":"http://vigil/rules","fingerprint":"2222222222222222"}],' +
      '"groupLabels":{"alertname":"ShopApiHealth","service":"shop-api"},' +
      '"commonLabels":{"alertname":"ShopApiHealth","service":"shop-api","severity":"critical"},' +
      '"commonAnnotations":{"runbook":"r1"},"externalURL":"http://vigil.example:9797","version":"4",' +
      '"groupKey":"{}:{alertname=\\"ShopApiHealth\\", service=\\"shop-api\\"}","truncatedAlerts":0}',
  );
});

test('max_alerts truncates before status and common labels are computed', () => {
  const p = buildWebhookPayload({ ...msg, alerts: [...msg.alerts].reverse() }, '', 1);
  assert.equal(p.truncatedAlerts, 1);
  assert.equal(p.alerts.length, 1);
  assert.equal(p.status, 'resolved');
  assert.deepEqual(p.commonAnnotations, { runbook: 'r1', summary: 'timeout' });
});

test('receiver names are regexp-quoted as Alertmanager does; times format like Go', () => {
  assert.equal(buildWebhookPayload({ ...msg, receiver: 'team.a (x)' }, '').receiver, 'team\\.a \\(x\\)');
  assert.equal(rfc3339(Date.UTC(2026, 0, 1, 0, 0, 0, 500)), '2026-01-01T00:00:00.5Z');
  assert.equal(rfc3339(0), '0001-01-01T00:00:00Z');
});

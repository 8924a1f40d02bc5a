import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { checkSchema, checksSchema } from './config.js';

const VIGIL_YML = `
checks:
  - name: shop-api-health
    service: shop-api
    type: http
    url: http://127.0.0.1:18080/health
    interval: 1s
    timeout: 500ms
    expect:
      status: [200]
      body_contains: ok
      max_response_time: 300ms
    failure_threshold: 3
    recovery_threshold: 2
    severity: critical
    annotations:
      runbook_url: https://runbooks.example.com/shop-api-down
  - name: shop-db-port
    service: shop-db
    type: tcp
    target: 127.0.0.1:18081
    interval: 5s
    severity: high
`;

const checks = () => (parse(VIGIL_YML) as { checks: unknown[] }).checks;

test('the vigil.yml checks section parses with durations in ms and defaults applied', () => {
  const [api, db] = checksSchema.parse(checks());
  assert.deepEqual(api, {
    name: 'shop-api-health',
    service: 'shop-api',
    type: 'http',
    url: 'http://127.0.0.1:18080/health',
    interval: 1000,
    timeout: 500,
    method: 'GET',
    headers: {},
    follow_redirects: true,
    tls_skip_verify: false,
    expect: { status: [200], body_contains: 'ok', max_response_time: 300 },
    failure_threshold: 3,
    recovery_threshold: 2,
    severity: 'critical',
    labels: {},
    annotations: { runbook_url: 'https://runbooks.example.com/shop-api-down' },
  });
  assert.deepEqual(db, {
    name: 'shop-db-port',
    service: 'shop-db',
    type: 'tcp',
    target: '127.0.0.1:18081',
    interval: 5000,
    timeout: 5000,
    tls: false,
    tls_skip_verify: false,
    failure_threshold: 3,
    recovery_threshold: 1,
    severity: 'high',
    labels: {},
    annotations: {},
  });
});

test('defaults: 30s interval, 10s timeout, service = name, critical severity', () => {
  const c = checkSchema.parse({ name: 'resolver', type: 'dns', query_name: 'example.com' });
  assert.equal(c.interval, 30_000);
  assert.equal(c.timeout, 10_000);
  assert.equal(c.service, 'resolver');
  assert.equal(c.severity, 'critical');
  assert.equal(c.alertname, undefined);
  const tls = checkSchema.parse({ name: 'cert', type: 'tls', target: 'example.com:443', interval: '1h', alertname: 'CertExpiring' });
  assert.equal(tls.timeout, 10_000);
  assert.equal(tls.alertname, 'CertExpiring');
});

test('an unknown key is an error at its check, naming the key', () => {
  const input = checks();
  (input[1] as Record<string, unknown>).retries = 3;
  const r = checksSchema.safeParse(input);
  assert.equal(r.success, false);
  const issue = r.error?.issues[0];
  assert.deepEqual(issue?.path, [1]);
  assert.equal(issue?.code, 'unrecognized_keys');
  assert.equal(issue?.message, 'unknown key "retries" for a tcp check');
  const nested = checkSchema.safeParse({ name: 'a', type: 'http', url: 'http://x/', expect: { stauts: [200] } });
  assert.deepEqual(nested.error?.issues[0]?.path, ['expect']);
});

test('a bad duration names the duration format at [1, interval]', () => {
  const input = checks();
  (input[1] as Record<string, unknown>).interval = '5 seconds';
  const r = checksSchema.safeParse(input);
  assert.equal(r.success, false);
  assert.equal(r.error?.issues.length, 1);
  assert.deepEqual(r.error?.issues[0]?.path, [1, 'interval']);
  assert.match(r.error?.issues[0]?.message ?? '', /expected a duration like 30s/);
  (input[1] as Record<string, unknown>).interval = 5;
  assert.match(checksSchema.safeParse(input).error?.issues[0]?.message ?? '', /expected a duration like 30s/);
});

test('duplicate names are reported at the duplicate, alongside other errors', () => {
  const input = checks();
  (input[1] as Record<string, unknown>).name = 'shop-api-health';
  (input[0] as Record<string, unknown>).severity = '';
  const r = checksSchema.safeParse(input);
  const issues = r.error?.issues.map((i) => [i.path, i.message]);
  assert.deepEqual(issues?.find(([p]) => JSON.stringify(p) === '[1,"name"]'), [[1, 'name'], 'duplicate check name "shop-api-health" (first used at index 0)']);
  assert.ok(issues?.some(([p]) => JSON.stringify(p) === '[0,"severity"]'));
});

test('unknown or missing types, timeouts above the interval and reserved labels are rejected', () => {
  const unknown = checkSchema.safeParse({ name: 'a', type: 'icmp' });
  assert.deepEqual(unknown.error?.issues[0]?.path, ['type']);
  assert.equal(unknown.error?.issues[0]?.message, 'unknown check type "icmp" (expected one of http, tcp, dns, tls)');
  const missing = checkSchema.safeParse({ name: 'a' });
  assert.equal(missing.error?.issues[0]?.message, 'missing check type (one of http, tcp, dns, tls)');
  const slow = checkSchema.safeParse({ name: 'a', type: 'tcp', target: 'x:1', interval: '5s', timeout: '10s' });
  assert.deepEqual(slow.error?.issues.map((i) => [i.path, i.message]), [[['timeout'], 'timeout may not exceed the interval']]);
  const reserved = checkSchema.safeParse({ name: 'a', type: 'tcp', target: 'x:1', labels: { severity: 'low' } });
  assert.deepEqual(reserved.error?.issues[0]?.path, ['labels']);
  const threshold = checkSchema.safeParse({ name: 'a', type: 'tcp', target: 'x:1', failure_threshold: 0 });
  assert.deepEqual(threshold.error?.issues[0]?.path, ['failure_threshold']);
});

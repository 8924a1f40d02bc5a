import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controllableService, eventually, freePort, webhookReceiver } from './helpers/services.js';
import { runCli, startServer } from './helpers/vigil-process.js';

interface Payload {
  version: string;
  status: string;
  receiver: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  truncatedAlerts: number;
  alerts: Array<{ status: string; labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; endsAt: string; generatorURL: string; fingerprint: string }>;
}

function config(serviceUrl: string, hookUrl: string, extra = ''): string {
  return `
services:
  - name: shop-api
    owner: team-shop
checks:
  - name: shop-api-health
    service: shop-api
    type: http
    url: ${serviceUrl}
    interval: 1s
    timeout: 500ms
    expect:
      status: [200]
      body_contains: ok
    failure_threshold: 2
    recovery_threshold: 2
    severity: critical
    annotations:
      runbook_url: https://runbooks.example.com/shop-api-down
receivers:
  - name: ops-webhook
    webhook_configs:
      - url: ${hookUrl}
        send_resolved: true
route:
  receiver: ops-webhook
  group_by: [alertname, service]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 4h
${extra}`;
}

async function getJson<T>(url: string): Promise<T> {
  const r = await fetch(url);
  assert.equal(r.status, 200, `${url}: ${r.status}`);
  return (await r.json()) as T;
}

test('end to end: a broken service pages, opens an incident, is acknowledged from the CLI, and recovers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  const svc = await controllableService();
  const hook = await webhookReceiver();
  const port = await freePort();
  writeFileSync(join(dir, 'vigil.yml'), config(svc.url, hook.url));
  const server = await startServer(['--config', join(dir, 'vigil.yml'), '--data-dir', join(dir, 'data')], port);
  try {
    svc.setHealthy(false);
    const firing = (await hook.waitFor((r) => (r.body as Payload).status === 'firing')).body as Payload;
    assert.equal(firing.version, '4');
    assert.equal(firing.receiver, 'ops-webhook');
    assert.deepEqual(firing.groupLabels, { alertname: 'shop-api-health', service: 'shop-api' });
    assert.equal(firing.groupKey, '{}:{alertname="shop-api-health", service="shop-api"}');
    assert.equal(firing.truncatedAlerts, 0);
    assert.equal(firing.externalURL, server.url);
    const [alert] = firing.alerts;
    assert.ok(alert);
    assert.equal(alert.status, 'firing');
    assert.deepEqual(alert.labels, { alertname: 'shop-api-health', check: 'shop-api-health', service: 'shop-api', severity: 'critical' });
    assert.equal(alert.annotations['runbook_url'], 'https://runbooks.example.com/shop-api-down');
    assert.match(alert.annotations['description'] ?? '', /status 503/);
    assert.equal(alert.endsAt, '0001-01-01T00:00:00Z');
    assert.match(alert.fingerprint, /^[0-9a-f]{16}$/);
    assert.deepEqual(
      Object.keys(firing).sort(),
      ['alerts', 'commonAnnotations', 'commonLabels', 'externalURL', 'groupKey', 'groupLabels', 'receiver', 'status', 'truncatedAlerts', 'version'].sort(),
    );

    const list = await getJson<{ incidents: Array<{ id: string; status: string; services: string[]; severity: string; opened_at: string }> }>(`${server.url}/api/v1/incidents?status=open`);
    assert.equal(list.incidents.length, 1);
    const inc = list.incidents[0];
    assert.ok(inc);
    assert.match(inc.id, /^INC-\d{4}-0001$/);
    assert.equal(inc.status, 'triggered');
    assert.deepEqual(inc.services, ['shop-api']);

    const ack = await runCli(['incidents', 'ack', inc.id, '--url', server.url]);
    assert.equal(ack.code, 0, ack.stderr);
    assert.match(ack.stdout, /status:\s+acknowledged/);
    const note = await runCli(['incidents', 'note', inc.id, 'restarting', 'the', 'pool'], { VIGIL_URL: server.url });
    assert.equal(note.code, 0, note.stderr);

    const checks = await getJson<{ checks: Array<{ name: string; state: string; alert_firing: boolean }> }>(`${server.url}/api/v1/checks`);
    assert.equal(checks.checks[0]?.state, 'down');
    const alerts = await getJson<{ alerts: Array<{ status: string }> }>(`${server.url}/api/v1/alerts`);
    assert.equal(alerts.alerts[0]?.status, 'firing');

    svc.setHealthy(true);
    const resolved = (await hook.waitFor((r) => (r.body as Payload).status === 'resolved')).body as Payload;
    assert.equal(resolved.alerts[0]?.status, 'resolved');
    assert.notEqual(resolved.alerts[0]?.endsAt, '0001-01-01T00:00:00Z');

    const detail = await eventually('incident mitigated', async () => {
      const d = await getJson<{ status: string; timeline: Array<{ kind: string; actor: string; message: string }> }>(`${server.url}/api/v1/incidents/${inc.id}`);
      return d.status === 'mitigated' && d.timeline.some((e) => e.kind === 'notification_sent' && /resolved/.test(e.message)) ? d : undefined;
    });
    const kinds = detail.timeline.map((e) => e.kind);
    for (const k of ['opened', 'alert_firing', 'notification_sent', 'status_changed', 'note', 'alert_resolved']) assert.ok(kinds.includes(k), `timeline has ${k}: ${kinds.join(',')}`);
    assert.ok(detail.timeline.some((e) => e.kind === 'status_changed' && e.actor === 'anonymous'), 'the CLI acknowledgement is recorded with its actor');

    const pm = await runCli(['incidents', 'postmortem', inc.id, '--url', server.url]);
    assert.equal(pm.code, 0);
    assert.match(pm.stdout, /## Root cause/);
    assert.match(pm.stdout, /restarting the pool/);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /probe_success\{check="shop-api-health",service="shop-api"\} 1/);
    assert.match(metrics, /vigil_notifications_total\{receiver="ops-webhook",outcome="sent"\} 2/);
    assert.match(metrics, /vigil_outbox_depth 0/);
    assert.match(metrics, /process_cpu_seconds_total/);
  } finally {
    const code = await server.stop('SIGTERM');
    assert.equal(code, 0, `SIGTERM drains and exits 0:\n${server.output().slice(-2000)}`);
    await svc.close();
    await hook.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('durability: a notification pending when the server is SIGKILLed arrives after restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-kill-'));
  const svc = await controllableService();
  const hookPort = await freePort();
  const port = await freePort();
  const file = join(dir, 'vigil.yml');
  writeFileSync(file, config(svc.url, `http://127.0.0.1:${hookPort}/hook`, 'delivery:\n  initial_backoff: 200ms\n  max_backoff: 1s\n'));
  const args = ['--config', file, '--data-dir', join(dir, 'data')];
  svc.setHealthy(false);
  let server = await startServer(args, port);
  try {
    // The receiver is down: the notification waits in the outbox.
    await eventually('a pending notification', async () => {
      const m = await (await fetch(`${server.url}/metrics`)).text();
      return /vigil_outbox_depth [1-9]/.test(m) && /outcome="sent"/.test(m) === false ? true : undefined;
    });
    await server.stop('SIGKILL');
    const hook = await webhookReceiver(hookPort);
    try {
      server = await startServer(args, port);
      const got = (await hook.waitFor((r) => (r.body as Payload).status === 'firing')).body as Payload;
      assert.equal(got.alerts[0]?.labels['alertname'], 'shop-api-health');
      const list = await getJson<{ incidents: Array<{ id: string }> }>(`${server.url}/api/v1/incidents?status=all`);
      assert.equal(list.incidents.length, 1, 'the restart did not open a second incident');
      // Give a duplicate time to show: at-least-once allows one only if the crash fell between send and markSent.
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(hook.received.filter((r) => (r.body as Payload).status === 'firing').length, 1);
    } finally {
      await server.stop('SIGTERM');
      await hook.close();
    }
  } finally {
    await svc.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controllableService, eventually, freePort } from './helpers/services.js';
import { startServer } from './helpers/vigil-process.js';
import { fakeSmtp } from '../src/notify/testing/fake-smtp.js';

/** The text of a MIME message with quoted-printable soft breaks and escapes undone. */
const unQP = (raw: string): string => raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

test('a page by email arrives at a real SMTP server, and its acknowledge link works once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-paging-mail-'));
  const smtp = await fakeSmtp();
  const svc = await controllableService();
  const port = await freePort();
  writeFileSync(
    join(dir, 'vigil.yml'),
    `
global:
  smtp_smarthost: 127.0.0.1:${smtp.port}
  smtp_from: vigil@example.com
  smtp_require_tls: false
checks:
  - {name: shop-api-health, service: shop-api, type: http, url: "${svc.url}", interval: 1s, timeout: 500ms, failure_threshold: 1, severity: critical}
people:
  - name: alice
    contacts: {email: alice@example.com}
    notification_rules: [{after: 0m, via: [email]}]
schedules:
  - name: primary
    time_zone: America/Chicago
    layers: [{name: all, rotation: daily, start: "2020-01-01T00:00", members: [alice]}]
escalation_policies:
  - name: critical
    levels: [{targets: [{schedule: primary}], escalate_after: 10m}]
receivers:
  - {name: pager, escalation_policy: critical}
route:
  receiver: pager
  group_wait: 1s
`,
  );
  const server = await startServer(['--config', join(dir, 'vigil.yml'), '--data-dir', join(dir, 'data')], port);
  try {
    svc.setHealthy(false);
    const mail = await eventually('a page by email', async () => smtp.mails.find((m) => m.to.includes('alice@example.com')), 60_000);
    const text = unQP(mail.data);
    const ack = new RegExp(`${server.url.replace(/[.:/]/g, '\\$&')}/ack/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+`).exec(text)?.[0];
    assert.ok(ack, `the mail carries an acknowledge link:\n${text.slice(0, 2000)}`);
    const confirm = await fetch(ack);
    assert.equal(confirm.status, 200);
    assert.match(await confirm.text(), /Acknowledge as alice/);
    const done = await fetch(ack, { method: 'POST', headers: { accept: 'application/json' } });
    assert.equal(done.status, 200, await done.clone().text());
    assert.equal(((await done.json()) as { status: string }).status, 'acknowledged');
    assert.equal((await fetch(ack, { method: 'POST', headers: { accept: 'application/json' } })).status, 409);
    const incidents = (await (await fetch(`${server.url}/api/v1/incidents?status=open`)).json()) as { incidents: Array<{ id: string; status: string; acknowledged_by?: string }> };
    assert.equal(incidents.incidents[0]?.status, 'acknowledged');
    const detail = await eventually('the delivery on the timeline', async () => {
      const d = (await (await fetch(`${server.url}/api/v1/incidents/${incidents.incidents[0]?.id}`)).json()) as { timeline: Array<{ kind: string; message: string }> };
      return d.timeline.some((e) => e.kind === 'page_delivered') ? d : undefined;
    });
    const msgs = detail.timeline.map((e) => e.message);
    assert.ok(msgs.includes('Page to alice via email (level 1) delivered'), msgs.join('\n'));
    assert.ok(msgs.includes('Page acknowledged by alice via email; escalation stopped'), msgs.join('\n'));
  } finally {
    await server.stop();
    await svc.close();
    await smtp.close();
  }
});

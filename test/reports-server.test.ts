// The operations reports from a real server (in-process, injected clock, real SQLite file,
// real PromQL engine and TSDB): every report in every format, the CLI, and a scheduled daily
// report delivered through the outbox to a real SMTP server.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VigilApp, createLogger } from '../src/app/index.js';
import { loadConfigFile } from '../src/config/index.js';
import { main } from '../src/app/main.js';
import { FakeClock } from '../src/model/clock.js';
import { fakeSmtp, type FakeSmtp } from '../src/notify/testing/fake-smtp.js';
import { eventually } from './helpers/services.js';

// 2026-11-03 07:59 in Berlin (UTC+1): the scheduled daily report is due in a minute.
const T0 = Date.UTC(2026, 10, 3, 6, 59, 0);
const MIN = 60_000;

describe('reports from a running server', () => {
  let app: VigilApp;
  let base: string;
  let dir: string;
  let smtp: FakeSmtp;
  let clock: FakeClock;
  let incidentId: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-reports-'));
    smtp = await fakeSmtp();
    writeFileSync(
      join(dir, 'vigil.yml'),
      `
services:
  - {name: shop-api, owner: team-shop}
  - {name: shop-db, owner: team-data}
  - {name: shop-web, owner: team-shop}
global:
  smtp_smarthost: 127.0.0.1:${smtp.port}
  smtp_from: vigil@example.com
  smtp_require_tls: false
receivers:
  - name: ops-email
    email_configs: [{to: ops@example.com}]
route: {receiver: ops-email}
metrics: {creation_grace_period: 1h}
reporting:
  time_zone: Europe/Berlin
  performance:
    - avg_response_time: 'avg_over_time(http_latency_seconds{service="{{service}}"}[{{range}}])'
      throughput: 'sum(http_rps{service="{{service}}"})'
      baseline: 1h
  capacity:
    - {name: Disk free, service: shop-db, query: 'disk_free_bytes{service="shop-db"}', unit: bytes, limit: 0, lookback: 2h, horizon: 1d}
reports:
  - {kind: daily, at: "08:00", time_zone: Europe/Berlin, receivers: [ops-email]}
`,
    );
    const r = loadConfigFile(join(dir, 'vigil.yml'));
    assert.ok(r.ok, JSON.stringify(r));
    clock = new FakeClock(T0);
    app = await VigilApp.create({ config: r.config, dataDir: join(dir, 'data'), listen: '127.0.0.1:0', env: {}, clock, logger: createLogger('silent') });
    base = await app.start();
    // Two hours of data: shop-api's probe fails for 10 of 120 minutes; throughput doubles
    // after the first hour; the disk loses 1 GiB an hour.
    const a = app.tsdb.appender();
    for (let t = T0 - 120 * MIN + 30_000; t <= T0; t += 30_000) {
      const down = t > T0 - 60 * MIN && t <= T0 - 50 * MIN;
      a.append({ __name__: 'probe_success', check: 'shop-api-health', service: 'shop-api' }, t, down ? 0 : 1);
      a.append({ __name__: 'http_latency_seconds', service: 'shop-api' }, t, 0.25);
      a.append({ __name__: 'http_rps', service: 'shop-api' }, t, t > T0 - 60 * MIN ? 200 : 100);
      a.append({ __name__: 'disk_free_bytes', service: 'shop-db' }, t, 100 * 2 ** 30 - ((t - (T0 - 120 * MIN)) / 3_600_000) * 2 ** 30);
      a.append({ __name__: 'probe_ssl_earliest_cert_expiry', check: 'www-tls', service: 'shop-api' }, t, Math.floor((T0 + 10 * 86_400_000) / 1000));
    }
    // shop-web's checks began 4m55s before T0 at 5 s and have failed since: a minute search
    // alone put its first probe at the next whole minute and its downtime at 4m, not 5m.
    for (let t = T0 - 295_000; t <= T0; t += 5_000) a.append({ __name__: 'probe_success', check: 'shop-web-health', service: 'shop-web' }, t, 0);
    await a.commit();
    const inc = await (
      await post('/api/v1/incidents', { title: 'Checkout errors', severity: 'critical', services: ['shop-api'], summary: 'Payments failed' })
    ).json();
    incidentId = (inc as { id: string }).id;
    await post(`/api/v1/incidents/${incidentId}/action-items`, { title: 'Rotate the key', owner: 'alice', due: '2026-11-02', kind: 'immediate' });
    await post(`/api/v1/incidents/${incidentId}/action-items`, { title: 'Alert on key expiry', owner: 'bob', due: '2026-11-20', kind: 'preventive' });
    await fetch(`${base}/api/v1/incidents/${incidentId}/postmortem`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ root_cause: 'The card processor key expired.' }) });
  });
  after(async () => {
    await app.stop();
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function post(path: string, body: unknown): Promise<Response> {
    return fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }
  const headings = (md: string) => [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]);

  test('incident report: the named sections, Markdown, HTML and JSON', async () => {
    let r = await fetch(`${base}/api/v1/incidents/${incidentId}/report`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /text\/markdown/);
    const md = await r.text();
    assert.deepEqual(headings(md), ['Incident summary', 'Impact assessment', 'Root-cause analysis', 'Resolution actions', 'Lessons learned', 'Action items']);
    assert.match(md, /^# Incident report: INC-2026-0001 — Checkout errors$/m);
    assert.match(md, /\| Start \| 2026-11-03 07:59 GMT\+1 \|/);
    assert.match(md, /No SLOs are configured\./);
    assert.match(md, /The card processor key expired\./);
    assert.match(md, /### Immediate\n\n- Rotate the key — alice, open, due 2026-11-02/);
    assert.match(md, /\| #1 \| Rotate the key \| immediate \| alice \| 2026-11-02 \| open \(OVERDUE\) \|/);
    r = await fetch(`${base}/api/v1/incidents/${incidentId}/report?format=html`);
    assert.match(r.headers.get('content-type') ?? '', /text\/html/);
    const html = await r.text();
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /<h2>Root-cause analysis<\/h2>/);
    r = await fetch(`${base}/api/v1/incidents/${incidentId}/report?format=json`);
    const json = (await r.json()) as { kind: string; sections: Array<{ heading: string }>; data: { action_items: Array<{ overdue: boolean }> } };
    assert.equal(json.kind, 'incident');
    assert.equal(json.sections.length, 6);
    assert.deepEqual(json.data.action_items.map((a) => a.overdue), [true, false]);
    assert.equal((await fetch(`${base}/api/v1/incidents/INC-2026-0999/report`)).status, 404);
    assert.equal((await fetch(`${base}/api/v1/incidents/${incidentId}/report?format=pdf`)).status, 400);
  });

  test('daily report: uptime, performance against baseline, capacity trend, certificates, action items', async () => {
    const r = await fetch(`${base}/api/v1/reports/daily?date=2026-11-03`);
    assert.equal(r.status, 200);
    const md = await r.text();
    assert.deepEqual(headings(md), [
      'Overall status',
      'Uptime per service',
      'Active and resolved incidents',
      'Performance figures',
      'Alert summary',
      'Capacity trends',
      'Security events',
      'Certificates expiring soon',
      'Maintenance done',
      'Open action items',
    ]);
    assert.match(md, /^# Daily operations report: 2026-11-03$/m);
    assert.match(md, /^Outage\. 3 services/m, 'a critical incident is open');
    assert.match(md, /\| shop-api \| 91\.667% \| 10m \|/);
    assert.match(md, /\| shop-web \| 0% \| 5m \|/);
    assert.match(md, /\| shop-db \| no checks \|/);
    assert.match(md, /\| shop-api \| 250 ms \| — \| — \| 200 req\/s \| 100 req\/s \| \+100\.0% \|/);
    assert.match(md, /\| Disk free \| service="shop-db" \| 98\.0 GiB \| 74\.0 GiB in 1d \| in 4d2h \|/);
    assert.match(md, /\| www-tls \| shop-api \| 2026-11-13 \| 10 \|/);
    assert.match(md, /No maintenance in this period\./);
    assert.match(md, /\| #1 \| INC-2026-0001 \| Rotate the key \| immediate \| alice \| 2026-11-02 \| open \(OVERDUE\) \|/);
    const bad = await fetch(`${base}/api/v1/reports/daily?date=2026-13-01`);
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /2026-13-01/);
    const zone = await fetch(`${base}/api/v1/reports/daily?time_zone=Mars/Olympus`);
    assert.equal(zone.status, 400);
  });

  test('handoff and SLA reports; the CLI prints them', async () => {
    let md = await (await fetch(`${base}/api/v1/reports/handoff`)).text();
    assert.deepEqual(headings(md), ['Current status of every service', 'Open incidents', 'Known issues', 'Open action items', 'SLO budgets at risk', 'Recent changes', 'What to watch']);
    assert.match(md, /### INC-2026-0001 — Checkout errors/);
    assert.match(md, /Overdue action item #1 \(INC-2026-0001\): Rotate the key/);
    md = await (await fetch(`${base}/api/v1/reports/sla?month=2026-11`)).text();
    assert.match(md, /^# SLA compliance: 2026-11$/m);
    assert.match(md, /No SLOs are configured/);
    assert.match(md, /\| INC-2026-0001 \| critical \| shop-api \| Checkout errors \|/);
    let stdout = '';
    const code = await main(['report', 'incident', incidentId, '--url', base, '--format', 'json'], { stdout: (t) => (stdout += t), stderr: () => undefined, env: {} });
    assert.equal(code, 0);
    assert.equal((JSON.parse(stdout) as { kind: string }).kind, 'incident');
    stdout = '';
    assert.equal(await main(['report', 'daily', '--date', '2026-11-03', '--url', base], { stdout: (t) => (stdout += t), stderr: () => undefined, env: {} }), 0);
    assert.match(stdout, /^# Daily operations report: 2026-11-03/);
  });

  test('the scheduled daily report is emailed at 08:00 Berlin time through the outbox', async () => {
    assert.equal(smtp.mails.length, 0);
    await clock.advance(MIN);
    const mail = await eventually('report mail', async () => {
      await clock.advance(1000);
      return smtp.mails.find((m) => m.data.includes('Daily operations report'));
    });
    assert.deepEqual(mail.to, ['ops@example.com']);
    assert.match(mail.data, /Daily operations report: 2026-11-02/, 'covers the previous day in the schedule\'s zone');
    assert.match(mail.data, /Uptime per service/);
  });
});

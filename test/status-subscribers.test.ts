// Status page subscribers on a real server: email with a confirmation link through a real SMTP
// server (smtp-server), a webhook, every public update sent through the outbox, one-click
// unsubscribe, and the public form's validation and rate limit.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { VigilApp, createLogger } from '../src/app/index.js';
import { validateConfig } from '../src/config/index.js';
import { fakeSmtp, type FakeSmtp } from '../src/notify/testing/fake-smtp.js';
import { eventually, webhookReceiver } from './helpers/services.js';

/** The decoded text of a quoted-printable mail (links survive soft line breaks). */
/** Links name server.external_url; with port 0 the test reaches the server at its real address. */
const local = (base: string, link: string) => {
  const u = new URL(link);
  return `${base}${u.pathname}${u.search}`;
};
const decoded = (data: string) => data.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));

describe('status page subscribers: email (confirmed), webhook, unsubscribe, form limits', () => {
  let app: VigilApp;
  let base: string;
  let dir: string;
  let smtp: FakeSmtp;
  let hook: Awaited<ReturnType<typeof webhookReceiver>>;
  let incident: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-status-subs-'));
    smtp = await fakeSmtp();
    hook = await webhookReceiver();
    const r = validateConfig({
      global: { smtp_smarthost: `${smtp.host}:${smtp.port}`, smtp_from: 'status@example.com', smtp_require_tls: false },
      services: [{ name: 'shop-api' }],
      receivers: [{ name: 'ops', log_configs: [{}] }],
      route: { receiver: 'ops', group_wait: '0s' },
      status_page: {
        title: 'Example Shop status',
        components: [{ service: 'shop-api', name: 'Checkout' }],
        subscriptions: { allow_private_webhooks: true, per_address_per_hour: 6 },
      },
    });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const quiet = new Writable({ write: (_c, _e, cb) => cb() });
    app = await VigilApp.create({ config: r.config, dataDir: dir, listen: '127.0.0.1:0', logger: createLogger('warn', quiet), logLine: () => {} });
    base = await app.start();
    const alert = await fetch(`${base}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ labels: { alertname: 'CheckoutErrors', service: 'shop-api', severity: 'critical' } }]),
    });
    assert.equal(alert.status, 200);
    incident = await eventually('incident', async () => (await app.incidents.list({ status: 'open' }))[0]?.id);
  });
  after(async () => {
    await app?.stop();
    await smtp?.close();
    await hook?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const form = (fields: Record<string, string>) =>
    fetch(`${base}/status/subscribe`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base }, body: new URLSearchParams(fields).toString() });
  const update = async (status: string, message: string) => {
    const r = await fetch(`${base}/api/v1/incidents/${incident}/updates`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status, message, title: 'Checkout errors' }) });
    assert.equal(r.status, 201, await r.text());
  };
  const mailsTo = (addr: string) => smtp.mails.filter((m) => m.to.includes(addr));

  test('email: confirmation link first, updates only after it is followed, one-click unsubscribe', async () => {
    const r = await form({ channel: 'email', address: ' Ann@Example.com ' });
    assert.equal(r.status, 200);
    assert.match(await r.text(), /We sent a confirmation link to ann@example\.com/);
    const confirmMail = await eventually('confirmation mail', async () => mailsTo('ann@example.com')[0]);
    const text = decoded(confirmMail.data);
    assert.match(text, /Subject: Confirm your subscription to Example Shop status/);
    const link = /(http:\/\/[^\s"<>]+\/status\/subscriptions\/confirm\?token=[A-Za-z0-9_-]+)/.exec(text)?.[1];
    assert.ok(link, 'the mail has a confirmation link');

    await update('investigating', 'Payments fail for some customers.');
    // Opening the link only shows a button (mail scanners open links): still not subscribed.
    const page = await fetch(local(base, link));
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Confirm subscription/);
    assert.equal(mailsTo('ann@example.com').length, 1, 'no update before confirmation');

    const token = new URL(link).searchParams.get('token') ?? '';
    const confirmed = await fetch(`${base}${new URL(link).pathname}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base }, body: `token=${token}` });
    assert.equal(confirmed.status, 200);
    assert.match(await confirmed.text(), /ann@example\.com will receive every public update/);

    await update('identified', 'A database node ran out of disk.');
    const mail = await eventually('update mail', async () => mailsTo('ann@example.com').find((m) => /Identified/.test(m.data)));
    const body = decoded(mail.data);
    assert.match(body, /Subject: \[Example Shop status\] Checkout errors: Identified/);
    assert.match(body, /A database node ran out of disk\./);
    const unsub = /List-Unsubscribe:\s*<([^>]+)>/.exec(body)?.[1];
    assert.ok(unsub, 'List-Unsubscribe header');
    assert.match(body, /List-Unsubscribe-Post: List-Unsubscribe=One-Click/);

    // RFC 8058 one-click: the mail provider POSTs to the URL.
    const gone = await fetch(local(base, unsub), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    assert.equal(gone.status, 200);
    await gone.text();
    const before = mailsTo('ann@example.com').length;
    await update('monitoring', 'A fix is deployed.');
    await hook.waitFor((h) => JSON.stringify(h.body).includes('A fix is deployed.')).catch(() => undefined);
    assert.equal(mailsTo('ann@example.com').length, before, 'no mail after unsubscribing');
    const again = await fetch(local(base, unsub));
    assert.equal(again.status, 404, 'the link is spent');
    await again.text();
  });

  test('webhook: subscribed at once, Statuspage-shaped body with its unsubscribe link', async () => {
    const r = await fetch(`${base}/status/subscribe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'webhook', address: hook.url }) });
    assert.equal(r.status, 202);
    await r.text();
    await update('resolved', 'All payments work again.');
    const got = await hook.waitFor((h) => JSON.stringify(h.body).includes('All payments work again.'));
    const body = got.body as { meta: { unsubscribe: string }; page: { status_indicator: string }; incident: { name: string; status: string; incident_updates: Array<{ status: string; body: string }> } };
    assert.equal(body.incident.name, 'Checkout errors');
    assert.equal(body.incident.status, 'resolved');
    assert.equal(body.incident.incident_updates[0]?.body, 'All payments work again.');
    assert.match(body.meta.unsubscribe, /\/status\/subscriptions\/unsubscribe\?token=/);
  });

  test('the public form: clear errors for bad input, a rate limit, and the server keeps running', async () => {
    const bad = await form({ channel: 'email', address: 'not an address' });
    assert.equal(bad.status, 400);
    const html = await bad.text();
    assert.match(html, /is not an email address like name@example\.com/);
    assert.match(html, /value="not an address"/, 'what was typed is kept');
    const injected = await form({ channel: 'email', address: 'a@example.com\r\nBcc: victim@example.com' });
    assert.equal(injected.status, 400);
    await injected.text();
    const channel = await fetch(`${base}/status/subscribe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel: 'pigeon', address: 'x' }) });
    assert.equal(channel.status, 400);
    assert.match(((await channel.json()) as { message: string }).message, /channel must be email or webhook/);
    const url = await form({ channel: 'webhook', address: 'ftp://example.com/x' });
    assert.equal(url.status, 400);
    assert.match(await url.text(), /must start with https:\/\/ or http:\/\//);
    const big = await fetch(`${base}/status/subscribe`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `address=${'a'.repeat(20_000)}` });
    assert.equal(big.status, 413);
    await big.text();
    // Earlier tests used some of this client's hourly allowance; keep going until refused.
    let status = 0;
    for (let i = 0; i < 10 && status !== 429; i++) {
      const r = await form({ channel: 'email', address: `n${i}@example.com` });
      status = r.status;
      await r.text();
    }
    assert.equal(status, 429);
    assert.equal((await fetch(`${base}/status`)).status, 200);
  });
});

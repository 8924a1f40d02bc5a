// Maintenance notices to status page subscribers on a real server (in-process, injected clock,
// a real SQLite file, a real SMTP server and a real webhook receiver): scheduled, started,
// completed (ended early) and cancelled for API windows; a config window announced at startup;
// once each across restarts, catching up on a start that passed while the server was down;
// nothing for windows that cover no component; the subscriber admin API.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VigilApp, createLogger } from '../src/app/index.js';
import { validateConfig, type VigilConfig } from '../src/config/index.js';
import { FakeClock } from '../src/model/clock.js';
import { fakeSmtp } from '../src/notify/testing/fake-smtp.js';
import { webhookReceiver } from './helpers/services.js';

// Short windows: the injected clock fires every timer on the way (the outbox polls each second).
const SEC = 1000;
const MIN = 60 * SEC;
const T0 = Date.UTC(2026, 11, 7, 1, 0, 0);
const iso = (t: number) => new Date(t).toISOString();
const decoded = (data: string) => data.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

type Hook = { scheduled_maintenance?: { id: string; name: string; status: string; scheduled_for: string; components: string[] }; meta: { unsubscribe: string } };

test('maintenance notices: scheduled, started, completed, cancelled — once each, across restarts, by email and webhook', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-status-maint-'));
  dirs.push(dir);
  const smtp = await fakeSmtp();
  const hook = await webhookReceiver();
  const clock = new FakeClock(T0);
  const config = (maintenance: unknown[]): VigilConfig => {
    const r = validateConfig({
      global: { smtp_smarthost: `${smtp.host}:${smtp.port}`, smtp_from: 'status@example.com', smtp_require_tls: false },
      services: [{ name: 'shop-api' }, { name: 'shop-db' }, { name: 'batch' }],
      receivers: [{ name: 'ops', log_configs: [{}] }],
      route: { receiver: 'ops' },
      maintenance,
      status_page: {
        title: 'Example Shop status',
        components: [
          { service: 'shop-api', name: 'Checkout' },
          { service: 'shop-db', name: 'Database' },
        ],
        subscriptions: { allow_private_webhooks: true },
      },
    });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    return r.config;
  };
  const open = async (c: VigilConfig) => {
    const a = await VigilApp.create({ config: c, dataDir: join(dir, 'data'), listen: '127.0.0.1:0', env: {}, clock, logger: createLogger('silent') });
    await a.start();
    return a;
  };
  let app = await open(config([]));
  const call = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> => {
    const r = await fetch(`${app.address}${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
    const text = await r.text();
    return { status: r.status, json: (text ? JSON.parse(text) : undefined) as T };
  };
  // What the webhook heard of maintenance, as "name status", in order.
  const notice = (body: unknown) => {
    const m = (body as Hook).scheduled_maintenance;
    return m ? `${m.name} ${m.status}` : undefined;
  };
  const heard = () => hook.received.map((h) => notice(h.body)).filter((m) => m !== undefined);
  // The outbox's worker runs on the injected clock: let it tick while waiting for the real SMTP and webhook servers.
  const until = async <T>(what: string, fn: () => T | undefined): Promise<T> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      await clock.advance(0);
      const v = fn();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const hear = (what: string, times = 1) => until(what, () => hook.received.filter((h) => notice(h.body) === what)[times - 1]);
  const mailed = (subject: string) => until(subject, () => (mails().includes(`[Example Shop status] ${subject}`) ? true : undefined));
  const mails = () => smtp.mails.filter((m) => m.to.includes('ann@example.com')).map((m) => /Subject: ([^\r\n]*)/.exec(decoded(m.data))?.[1] ?? '');
  try {
    // Subscribers: a webhook, and an email address confirmed through its link.
    assert.equal((await call('POST', '/status/subscribe', { channel: 'webhook', address: hook.url })).status, 202);
    assert.equal((await call('POST', '/status/subscribe', { channel: 'email', address: 'ann@example.com' })).status, 202);
    const confirm = await until('confirmation mail', () => smtp.mails.find((m) => m.to.includes('ann@example.com')));
    const token = /confirm\?token=([A-Za-z0-9_-]+)/.exec(decoded(confirm.data))?.[1] ?? '';
    const confirmed = await fetch(`${app.address}/status/subscriptions/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${token}` });
    assert.equal(confirmed.status, 200);
    await confirmed.text();

    // A window covering no component is nobody's business on the status page.
    assert.equal((await call('POST', '/api/v1/maintenance', { services: ['batch'], start: iso(T0 + 5 * SEC), end: iso(T0 + 50 * SEC), reason: 'batch move' })).status, 201);
    const deploy = await call<{ id: string }>('POST', '/api/v1/maintenance', { services: ['shop-api', 'batch'], start: iso(T0 + 30 * SEC), end: iso(T0 + 60 * SEC), reason: 'deploy 4.2' });
    assert.equal(deploy.status, 201);
    const body = (await hear('deploy 4.2 scheduled')).body as Hook;
    assert.deepEqual(body.scheduled_maintenance, { id: deploy.json.id, name: 'deploy 4.2', status: 'scheduled', scheduled_for: iso(T0 + 30 * SEC), scheduled_until: iso(T0 + 60 * SEC), components: ['Checkout'] });
    assert.match(body.meta.unsubscribe, /\/status\/subscriptions\/unsubscribe\?token=/);
    await mailed('Maintenance scheduled: deploy 4.2');

    // Moved to later: announced again, as rescheduled.
    assert.equal((await call('PATCH', `/api/v1/maintenance/${deploy.json.id}`, { start: iso(T0 + 40 * SEC) })).status, 200);
    await hear('deploy 4.2 scheduled', 2);
    await mailed('Maintenance rescheduled: deploy 4.2');

    // It starts (the maintenance timer on the injected clock), then is ended early.
    await clock.advance(40 * SEC);
    await hear('deploy 4.2 in_progress');
    await clock.advance(5 * SEC);
    assert.equal((await call('DELETE', `/api/v1/maintenance/${deploy.json.id}`)).status, 200);
    await hear('deploy 4.2 completed');
    await mailed('Maintenance completed: deploy 4.2');

    // Scheduled, then cancelled before it starts.
    const dropped = await call<{ id: string }>('POST', '/api/v1/maintenance', { services: ['shop-db'], start: iso(T0 + 120 * SEC), end: iso(T0 + 130 * SEC), reason: 'index rebuild' });
    await hear('index rebuild scheduled');
    assert.equal((await call('DELETE', `/api/v1/maintenance/${dropped.json.id}`)).status, 204);
    await hear('index rebuild cancelled');

    // A restart with a config window: announced at startup.
    await app.stop();
    const db = { services: ['shop-db'], start: iso(T0 + 3 * MIN), end: iso(T0 + 4 * MIN), reason: 'database upgrade' };
    app = await open(config([db]));
    await hear('database upgrade scheduled');
    // Down across its start: the next run announces it as started — and nothing twice.
    await app.stop();
    await clock.set(T0 + 3 * MIN + 10 * SEC);
    app = await open(config([db]));
    await hear('database upgrade in_progress');
    await clock.advance(MIN);
    await hear('database upgrade completed');
    await mailed('Maintenance completed: database upgrade');
    assert.deepEqual(heard(), [
      'deploy 4.2 scheduled',
      'deploy 4.2 scheduled',
      'deploy 4.2 in_progress',
      'deploy 4.2 completed',
      'index rebuild scheduled',
      'index rebuild cancelled',
      'database upgrade scheduled',
      'database upgrade in_progress',
      'database upgrade completed',
    ]);
    // Mails may overtake each other in the outbox; each went out once.
    assert.deepEqual(mails().slice(1).sort(), [
      '[Example Shop status] Maintenance scheduled: deploy 4.2',
      '[Example Shop status] Maintenance rescheduled: deploy 4.2',
      '[Example Shop status] Maintenance in progress: deploy 4.2',
      '[Example Shop status] Maintenance completed: deploy 4.2',
      '[Example Shop status] Maintenance scheduled: index rebuild',
      '[Example Shop status] Maintenance cancelled: index rebuild',
      '[Example Shop status] Maintenance scheduled: database upgrade',
      '[Example Shop status] Maintenance in progress: database upgrade',
      '[Example Shop status] Maintenance completed: database upgrade',
    ].sort());

    // The admin API: list (no tokens, no hashes), filter, remove.
    const list = await call<{ subscribers: Array<Record<string, unknown>> }>('GET', '/api/v1/status-page/subscribers');
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.json.subscribers.map((s) => `${String(s['channel'])} ${String(s['address'])} ${String(s['state'])}`).sort(),
      ['email ann@example.com confirmed', `webhook ${hook.url} confirmed`],
    );
    assert.deepEqual(Object.keys(list.json.subscribers[0] ?? {}).sort(), ['address', 'channel', 'confirmed_at', 'created_at', 'id', 'state']);
    assert.equal((await call<{ subscribers: unknown[] }>('GET', '/api/v1/status-page/subscribers?channel=email&state=pending')).json.subscribers.length, 0);
    assert.equal((await call('GET', '/api/v1/status-page/subscribers?state=sleeping')).status, 400);
    const id = String(list.json.subscribers[0]?.['id']);
    assert.equal((await call('DELETE', `/api/v1/status-page/subscribers/${id}`)).status, 204);
    const again = await call<{ message: string }>('DELETE', `/api/v1/status-page/subscribers/${id}`);
    assert.equal(again.status, 404);
    assert.match(again.json.message, /status page subscriber .* not found/);
    assert.equal((await call<{ subscribers: unknown[] }>('GET', '/api/v1/status-page/subscribers')).json.subscribers.length, 1);
  } finally {
    await app.stop();
    await smtp.close();
    await hook.close();
  }
});

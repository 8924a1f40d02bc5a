// The public status page on a real server with API tokens on: /status, /status.json and the
// feed answer without a token, nothing else does; component states follow checks and
// incidents; public updates appear, internal titles and notes never do.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { VigilApp, createLogger } from '../src/app/index.js';
import { validateConfig } from '../src/config/index.js';
import { controllableService, eventually } from './helpers/services.js';

const SECRETS = {
  VIGIL_SP_ADMIN: 'status-admin-secret-0123456789',
  VIGIL_SP_RESPONDER: 'status-responder-secret-01234',
  VIGIL_SP_VIEWER: 'status-viewer-secret-012345678',
  VIGIL_SP_INGEST: 'status-ingest-secret-012345678',
};

describe('status page: public routes with tokens on, states, public updates', () => {
  let app: VigilApp;
  let base: string;
  let dir: string;
  let svc: Awaited<ReturnType<typeof controllableService>>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-status-'));
    svc = await controllableService();
    const r = validateConfig({
      server: {
        tokens: [
          { name: 'root', role: 'admin', secret_env: 'VIGIL_SP_ADMIN' },
          { name: 'alice', role: 'responder', secret_env: 'VIGIL_SP_RESPONDER' },
          { name: 'grafana', role: 'viewer', secret_env: 'VIGIL_SP_VIEWER' },
          { name: 'prom', role: 'ingest', secret_env: 'VIGIL_SP_INGEST' },
        ],
      },
      services: [{ name: 'shop-api' }, { name: 'shop-db' }, { name: 'billing-batch' }],
      checks: [{ name: 'db-health', service: 'shop-db', type: 'http', url: svc.url, interval: '2s', timeout: '2s', failure_threshold: 1 }],
      receivers: [{ name: 'ops', log_configs: [{}] }],
      route: { receiver: 'ops', group_wait: '0s' },
      status_page: {
        title: 'Example Shop status',
        components: [
          { service: 'shop-api', name: 'Checkout', group: 'Shop' },
          { service: 'shop-db', name: 'Database', group: 'Shop' },
        ],
      },
    });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const quiet = new Writable({ write: (_c, _e, cb) => cb() });
    app = await VigilApp.create({ config: r.config, dataDir: dir, listen: '127.0.0.1:0', env: SECRETS, logger: createLogger('warn', quiet), logLine: () => {} });
    base = await app.start();
  });
  after(async () => {
    await app?.stop();
    await svc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (path: string, token?: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}) } });
  const statusJson = async () => (await (await call('/status.json')).json()) as {
    status: { indicator: string; description: string };
    components: Array<{ name: string; service: string; group: string | null; status: string }>;
    incidents: Array<{ id: string; name: string; status: string; incident_updates: Array<{ status: string; body: string }> }>;
    maintenance: unknown[];
  };

  test('the page, its JSON and feed answer without a token; nothing else does', async () => {
    for (const path of ['/status', '/status.json', '/status/feed.atom', '/status/history.atom']) {
      const r = await call(path);
      assert.equal(r.status, 200, `${path} is public`);
      await r.text();
    }
    const page = await call('/status');
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await page.text(), /<h1>Example Shop status<\/h1>/);
    const feed = await call('/status/feed.atom');
    assert.match(feed.headers.get('content-type') ?? '', /^application\/atom\+xml/);
    assert.match(await feed.text(), /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
    const json = await call('/status.json');
    assert.equal(json.headers.get('access-control-allow-origin'), '*');
    const missing = await call('/status/incidents/INC-2026-9999');
    assert.equal(missing.status, 404);
    await missing.text();
    for (const [method, path] of [
      ['GET', '/api/v1/incidents'],
      ['GET', '/api/v1/incidents/INC-2026-0001'],
      ['GET', '/api/v1/incidents/INC-2026-0001/updates'],
      ['POST', '/api/v1/incidents/INC-2026-0001/updates'],
      ['GET', '/api/v1/checks'],
      ['GET', '/api/v1/services'],
      ['GET', '/api/v1/query?query=up'],
      ['GET', '/api/v2/alerts'],
      ['GET', '/metrics'],
      ['GET', '/api/v1/status/config'],
      ['GET', '/api/v1/status-page/subscribers'],
      ['DELETE', '/api/v1/status-page/subscribers/x'],
    ] as const) {
      const r = await call(path, undefined, method === 'POST' ? { method, body: JSON.stringify({ status: 'investigating', message: 'x' }) } : { method });
      assert.equal(r.status, 401, `${method} ${path} must still need a token`);
      await r.text();
    }
    // Subscribers' addresses are personal data: admins only.
    for (const token of [SECRETS.VIGIL_SP_VIEWER, SECRETS.VIGIL_SP_RESPONDER]) {
      const r = await call('/api/v1/status-page/subscribers', token);
      assert.equal(r.status, 403);
      await r.text();
    }
    const admin = await call('/api/v1/status-page/subscribers', SECRETS.VIGIL_SP_ADMIN);
    assert.equal(admin.status, 200);
    assert.deepEqual(await admin.json(), { subscribers: [] });
  });

  test('component states follow checks and incidents; updates go public, internal words never', async () => {
    // The check's first result (a slow one on a loaded machine would say down).
    let s = await eventually('database check up', async () => {
      const j = await statusJson();
      return j.components[1]?.status === 'operational' ? j : undefined;
    });
    assert.deepEqual(Object.keys(s), ['status', 'components', 'incidents', 'maintenance']);
    assert.deepEqual(s.components, [
      { name: 'Checkout', service: 'shop-api', group: 'Shop', status: 'operational' },
      { name: 'Database', service: 'shop-db', group: 'Shop', status: 'operational' },
    ]);

    // The database check fails: its only check is down, a major outage of that component.
    svc.setHealthy(false);
    s = await eventually('database down on the page', async () => {
      const j = await statusJson();
      return j.components[1]?.status === 'major_outage' ? j : undefined;
    });
    assert.deepEqual(s.status, { indicator: 'critical', description: 'Major System Outage' });
    svc.setHealthy(true);

    // A high-severity alert on shop-api opens an incident: Checkout is partially out, the incident not yet public.
    const alert = await call('/api/v2/alerts', SECRETS.VIGIL_SP_INGEST, {
      method: 'POST',
      body: JSON.stringify([{ labels: { alertname: 'CheckoutErrors', service: 'shop-api', severity: 'high' }, annotations: { summary: 'pg-7 disk full, internal hostnames here' } }]),
    });
    assert.equal(alert.status, 200, await alert.text());
    const id = await eventually('incident opened', async () => {
      const list = (await (await call('/api/v1/incidents', SECRETS.VIGIL_SP_VIEWER)).json()) as { incidents: Array<{ id: string; services: string[] }> };
      return list.incidents.find((i) => i.services.includes('shop-api'))?.id;
    });
    s = await eventually('checkout partially out', async () => {
      const j = await statusJson();
      return j.components[0]?.status === 'partial_outage' ? j : undefined;
    });
    assert.deepEqual(s.incidents, []);

    const note = await call(`/api/v1/incidents/${id}/notes`, SECRETS.VIGIL_SP_RESPONDER, { method: 'POST', body: JSON.stringify({ text: 'INTERNAL: restarted pg-7, customer ACME affected' }) });
    assert.equal(note.status, 201);
    await note.text();

    const viewerPost = await call(`/api/v1/incidents/${id}/updates`, SECRETS.VIGIL_SP_VIEWER, { method: 'POST', body: JSON.stringify({ status: 'investigating', message: 'x' }) });
    assert.equal(viewerPost.status, 403);
    await viewerPost.text();
    const bad = await call(`/api/v1/incidents/${id}/updates`, SECRETS.VIGIL_SP_RESPONDER, { method: 'POST', body: JSON.stringify({ status: 'fixed', message: 'x' }) });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /status/);
    const unknown = await call('/api/v1/incidents/INC-2026-9999/updates', SECRETS.VIGIL_SP_RESPONDER, { method: 'POST', body: JSON.stringify({ status: 'investigating', message: 'x' }) });
    assert.equal(unknown.status, 404);
    await unknown.text();

    const posted = await call(`/api/v1/incidents/${id}/updates`, SECRETS.VIGIL_SP_RESPONDER, {
      method: 'POST',
      body: JSON.stringify({ status: 'investigating', title: 'Checkout errors', message: 'Some payments fail. We are investigating.' }),
    });
    assert.equal(posted.status, 201);
    const view = (await posted.json()) as { status: string; author: string };
    assert.equal(view.author, 'alice');
    s = await statusJson();
    assert.equal(s.incidents.length, 1);
    assert.equal(s.incidents[0]?.name, 'Checkout errors');
    assert.deepEqual(s.incidents[0]?.incident_updates.map((u) => [u.status, u.body]), [['investigating', 'Some payments fail. We are investigating.']]);

    const detail = (await (await call(`/api/v1/incidents/${id}`, SECRETS.VIGIL_SP_VIEWER)).json()) as { timeline: Array<{ kind: string; actor: string }> };
    assert.ok(detail.timeline.some((t) => t.kind === 'public_update' && t.actor === 'alice'), 'the timeline says what the public was told');
    const list = (await (await call(`/api/v1/incidents/${id}/updates`, SECRETS.VIGIL_SP_VIEWER)).json()) as { updates: unknown[] };
    assert.equal(list.updates.length, 1);

    const texts = await Promise.all(['/status', '/status.json', '/status/feed.atom', `/status/incidents/${id}`].map(async (p) => [p, await (await call(p)).text()] as const));
    for (const [path, text] of texts) {
      assert.ok(text.includes('Checkout errors'), `${path} shows the public title`);
      assert.ok(!text.includes('INTERNAL') && !text.includes('ACME'), `${path} leaks an internal note`);
      assert.ok(!text.includes('pg-7'), `${path} leaks the internal incident title`);
      assert.ok(!text.includes('alice'), `${path} names the responder`);
    }
  });
});

// Browser sign-in and the protections around it, against a real server: session cookies,
// CSRF tokens, cross-origin refusal, the open loopback mode; and the endpoints the UI reads.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VigilApp, createLogger } from '../src/app/index.js';
import { validateConfig } from '../src/config/index.js';
import { routeTestResponseSchema, routingResponseSchema, servicesResponseSchema, sessionSchema } from '../src/api/index.js';

const SECRETS = { UI_ADMIN: 'admin-secret-0123456789abcdef', UI_RESPONDER: 'responder-secret-0123456789', UI_VIEWER: 'viewer-secret-0123456789abc', UI_INGEST: 'ingest-secret-0123456789abc' };

function config(raw: Record<string, unknown>) {
  const r = validateConfig(raw);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.config;
}

async function start(raw: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-session-'));
  const app = await VigilApp.create({ config: config(raw), dataDir: dir, listen: '127.0.0.1:0', env: SECRETS, logger: createLogger('fatal') });
  const base = await app.start();
  return { app, base, close: async () => (await app.stop(), rmSync(dir, { recursive: true, force: true })) };
}

const firing = (service: string, severity = 'critical') => ({
  kind: 'firing' as const,
  alert: { labels: { alertname: 'Down', service, severity }, annotations: { summary: `${service} is down` }, startsAt: Date.now(), endsAt: 0, generatorURL: '', updatedAt: Date.now() },
});

describe('token mode: sign in, session cookie, CSRF', () => {
  let s: Awaited<ReturnType<typeof start>>;
  let incident: string;
  before(async () => {
    s = await start({
      server: {
        tokens: [
          { name: 'root', role: 'admin', secret_env: 'UI_ADMIN' },
          { name: 'alice', role: 'responder', secret_env: 'UI_RESPONDER' },
          { name: 'wall', role: 'viewer', secret_env: 'UI_VIEWER' },
          { name: 'shipper', role: 'ingest', secret_env: 'UI_INGEST' },
        ],
      },
    });
    const inc = await s.app.incidents.handleAlert(firing('api'));
    assert.ok(inc);
    incident = inc.id;
  });
  after(() => s.close());

  const signIn = (token: string, headers: Record<string, string> = {}) =>
    fetch(`${s.base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ token }) });
  const cookieOf = (r: Response) => (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

  test('without a session the UI learns it must sign in; a wrong token is refused', async () => {
    const anon = sessionSchema.parse(await (await fetch(`${s.base}/api/v1/session`)).json());
    assert.deepEqual({ mode: anon.mode, authenticated: anon.authenticated, csrf: anon.csrf_token }, { mode: 'token', authenticated: false, csrf: null });
    const bad = await signIn('not-a-token');
    assert.equal(bad.status, 401);
    assert.equal(((await bad.json()) as { error: string }).error, 'unauthorized');
    const ingest = await signIn(SECRETS.UI_INGEST);
    assert.equal(ingest.status, 403, 'an ingest token cannot use the UI');
  });

  test('signing in sets an HttpOnly, SameSite=Strict cookie; actions need its CSRF token', async () => {
    const r = await signIn(SECRETS.UI_RESPONDER);
    assert.equal(r.status, 200);
    const setCookie = r.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^vigil_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    assert.ok(!setCookie.includes(SECRETS.UI_RESPONDER), 'the token itself is not in the cookie');
    const body = sessionSchema.parse(await r.json());
    assert.equal(body.name, 'alice');
    assert.equal(body.role, 'responder');
    assert.ok(body.csrf_token);
    const cookie = cookieOf(r);

    const me = sessionSchema.parse(await (await fetch(`${s.base}/api/v1/session`, { headers: { cookie } })).json());
    assert.equal(me.authenticated, true);
    assert.equal(me.csrf_token, body.csrf_token);
    assert.equal((await fetch(`${s.base}/api/v1/incidents`, { headers: { cookie } })).status, 200);

    const ack = (headers: Record<string, string>) =>
      fetch(`${s.base}/api/v1/incidents/${incident}/acknowledge`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body: '{}' });
    const noCsrf = await ack({});
    assert.equal(noCsrf.status, 403);
    assert.match(((await noCsrf.json()) as { message: string }).message, /X-CSRF-Token/);
    assert.equal((await ack({ 'x-csrf-token': 'wrong' })).status, 403);
    const crossSite = await ack({ 'x-csrf-token': body.csrf_token as string, origin: 'https://evil.example' });
    assert.equal(crossSite.status, 403, 'another origin is refused even with the token');
    const ok = await ack({ 'x-csrf-token': body.csrf_token as string, origin: s.base });
    assert.equal(ok.status, 200, await ok.text());
    const detail = await s.app.incidents.detail(incident);
    assert.equal(detail.incident.acknowledgedBy, 'alice', 'recorded as the token that signed in');

    const out = await fetch(`${s.base}/api/v1/session`, { method: 'DELETE', headers: { cookie } });
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie') ?? '', /^vigil_session=; .*Max-Age=0/);
  });

  test('a viewer session reads but cannot act; a forged cookie is nobody', async () => {
    const r = await signIn(SECRETS.UI_VIEWER);
    const cookie = cookieOf(r);
    const { csrf_token } = sessionSchema.parse(await r.json());
    const denied = await fetch(`${s.base}/api/v1/incidents/${incident}/notes`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrf_token as string },
      body: JSON.stringify({ text: 'hi' }),
    });
    assert.equal(denied.status, 403);
    assert.match(((await denied.json()) as { message: string }).message, /role viewer/);
    const forged = await fetch(`${s.base}/api/v1/incidents`, { headers: { cookie: `${cookie.slice(0, -3)}abc` } });
    assert.equal(forged.status, 401);
  });
});

describe('open loopback mode: no sign-in, but no cross-site actions', () => {
  let s: Awaited<ReturnType<typeof start>>;
  let incident: string;
  before(async () => {
    s = await start({
      services: [{ name: 'shop', owner: 'team-shop' }, { name: 'quiet' }],
      receivers: [{ name: 'default', log_configs: [{}] }, { name: 'pager', log_configs: [{}] }, { name: 'db-team', log_configs: [{}] }],
      route: {
        receiver: 'default',
        group_by: ['alertname'],
        routes: [
          { receiver: 'pager', matchers: ['severity="critical"'], continue: true, routes: [{ receiver: 'db-team', matchers: ['service=~"db|postgres"'] }] },
          { receiver: 'db-team', matchers: ['team="db"'] },
        ],
      },
    });
    const inc = await s.app.incidents.handleAlert(firing('shop', 'high'));
    assert.ok(inc);
    incident = inc.id;
  });
  after(() => s.close());

  test('the session says open, with a CSRF token for browsers', async () => {
    const me = sessionSchema.parse(await (await fetch(`${s.base}/api/v1/session`)).json());
    assert.equal(me.mode, 'open');
    assert.equal(me.authenticated, true);
    assert.equal(me.role, 'admin');
    assert.ok(me.csrf_token);
    const note = (headers: Record<string, string>) =>
      fetch(`${s.base}/api/v1/incidents/${incident}/notes`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ text: 'looking' }) });
    assert.equal((await note({})).status, 201, 'the CLI and curl need nothing');
    assert.equal((await note({ 'sec-fetch-site': 'same-origin' })).status, 403, 'a browser needs the token');
    assert.equal((await note({ 'sec-fetch-site': 'same-origin', 'x-csrf-token': me.csrf_token as string })).status, 201);
    assert.equal((await note({ origin: 'http://evil.example', 'x-csrf-token': me.csrf_token as string })).status, 403);
  });

  test('a request addressed to another host name (DNS rebinding) is refused', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(`${s.base}/api/v1/incidents`);
      const req = request({ host: u.hostname, port: u.port, path: u.pathname, headers: { host: 'attacker.example:9797' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 403);
    assert.equal((await fetch(`${s.base.replace('127.0.0.1', 'localhost')}/healthz`)).status, 200);
  });

  test('polling with ETags: an unchanged body is a 304', async () => {
    const first = await fetch(`${s.base}/api/v1/incidents`);
    const etag = first.headers.get('etag');
    assert.ok(etag);
    const again = await fetch(`${s.base}/api/v1/incidents`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    await s.app.incidents.addNote(incident, 'x', 'changed');
    await s.app.incidents.assign(incident, 'x', 'bob');
    const changed = await fetch(`${s.base}/api/v1/incidents`, { headers: { 'if-none-match': etag } });
    assert.equal(changed.status, 200);
  });

  test('services: each with its state and why', async () => {
    const { services } = servicesResponseSchema.parse(await (await fetch(`${s.base}/api/v1/services`)).json());
    const shop = services.find((x) => x.name === 'shop');
    assert.equal(shop?.state, 'degraded');
    assert.equal(shop?.owner, 'team-shop');
    assert.match(shop?.reasons.join('\n') ?? '', new RegExp(`incident ${incident} triggered \\(high\\)`));
    assert.equal(services.find((x) => x.name === 'quiet')?.state, 'up');
    assert.equal(services[0]?.name, 'shop', 'most troubled first');
  });

  test('the routing tree, and where a label set goes', async () => {
    const tree = routingResponseSchema.parse(await (await fetch(`${s.base}/api/v1/routes`)).json());
    assert.equal(tree.route.receiver, 'default');
    assert.deepEqual(tree.route.routes.map((r) => r.receiver), ['pager', 'db-team']);
    assert.deepEqual(tree.route.routes[0]?.matchers, ['severity="critical"']);
    assert.deepEqual(tree.route.routes[0]?.group_by, ['alertname'], 'inherited');
    const test = async (labels: Record<string, string>) => {
      const r = await fetch(`${s.base}/api/v1/routes/test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ labels }) });
      assert.equal(r.status, 200);
      return routeTestResponseSchema.parse(await r.json());
    };
    const critDb = await test({ alertname: 'X', severity: 'critical', service: 'postgres', team: 'db' });
    assert.deepEqual(critDb.matches.map((m) => m.receiver), ['db-team', 'db-team'], 'continue: both branches');
    assert.deepEqual(critDb.matches[0]?.path, [0, 1, 2]);
    assert.deepEqual(critDb.matches[0]?.group_labels, { alertname: 'X' });
    const plain = await test({ alertname: 'Y', severity: 'low' });
    assert.deepEqual(plain.matches.map((m) => m.receiver), ['default']);
    assert.deepEqual(plain.visited, [{ index: 0, matched: true }, { index: 1, matched: false }, { index: 3, matched: false }]);
    const bad = await fetch(`${s.base}/api/v1/routes/test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ labels: { '1bad': 'x' } }) });
    assert.equal(bad.status, 400);
  });

  test("the UI's own paths get its page (or how to build it); API paths stay the API", async () => {
    const page = await fetch(`${s.base}/incidents/${incident}`, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const api = await fetch(`${s.base}/api/v1/nope`, { headers: { accept: 'text/html' } });
    assert.equal(api.status, 404);
    assert.equal(((await api.json()) as { error: string }).error, 'not_found');
  });
});

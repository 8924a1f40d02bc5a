import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { VigilApp, StartupError, createLogger } from '../src/app/index.js';
import { validateConfig } from '../src/config/index.js';

const SECRETS = {
  VIGIL_TEST_ADMIN: 'admin-secret-0123456789abcdef',
  VIGIL_TEST_RESPONDER: 'responder-secret-0123456789ab',
  VIGIL_TEST_VIEWER: 'viewer-secret-0123456789abcde',
  VIGIL_TEST_LATECOMER: 'latecomer-secret-0123456789a',
};

function configWith(raw: Record<string, unknown>) {
  const r = validateConfig(raw);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.config;
}

const withTokens = {
  server: {
    tokens: [
      { name: 'root', role: 'admin', secret_env: 'VIGIL_TEST_ADMIN' },
      { name: 'alice', role: 'responder', secret_env: 'VIGIL_TEST_RESPONDER' },
      { name: 'grafana', role: 'viewer', secret_env: 'VIGIL_TEST_VIEWER' },
      { name: 'latecomer', role: 'viewer', secret_env: 'VIGIL_TEST_LATECOMER' },
    ],
  },
  receivers: [{ name: 'ops', webhook_configs: [{ url: 'http://user:hunter2-password@127.0.0.1:9/hook' }] }],
  route: { receiver: 'ops' },
  people: [{ name: 'alice', full_name: 'Alice Example', contacts: { email: 'alice@example.com' } }],
  schedules: [{ name: 'primary', time_zone: 'Europe/Berlin', layers: [{ name: 'weekly', rotation: 'weekly', start: '2026-11-02T09:00', members: ['alice'] }] }],
};

describe('API authentication, authorization and validation', () => {
  let app: VigilApp;
  let base: string;
  let dir: string;
  let logs = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-auth-'));
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logs += chunk.toString();
        cb();
      },
    });
    app = await VigilApp.create({ config: configWith(withTokens), dataDir: dir, listen: '127.0.0.1:0', env: SECRETS, logger: createLogger('debug', sink) });
    base = await app.start();
  });
  after(async () => {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const req = (path: string, token?: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}) } });

  test('health endpoints are public; the API needs a token', async () => {
    assert.equal((await req('/healthz')).status, 200);
    assert.equal((await req('/readyz')).status, 200);
    const r = await req('/api/v1/incidents');
    assert.equal(r.status, 401);
    assert.match(((await r.json()) as { message: string }).message, /missing bearer token/);
    assert.equal((await req('/api/v1/incidents', 'wrong-token')).status, 401);
    assert.equal((await req('/api/v1/incidents', SECRETS.VIGIL_TEST_VIEWER)).status, 200);
    assert.equal((await req('/metrics', SECRETS.VIGIL_TEST_VIEWER)).status, 200);
  });

  test('on-call schedules and calendar feeds leak nothing without a token (not even with one in the URL)', async () => {
    for (const path of ['/api/v1/schedules/primary/calendar.ics', '/api/v1/people/alice/calendar.ics', '/api/v1/oncall', '/api/v1/schedules/primary/shifts', '/api/v1/schedules', '/api/v1/people']) {
      const anon = await req(path);
      assert.equal(anon.status, 401, path);
      const text = await anon.text();
      assert.ok(!/alice|VCALENDAR/i.test(text), `${path}: ${text}`);
      // A token in the query string is not a credential (it would end up in proxy and access logs).
      assert.equal((await req(`${path}?access_token=${SECRETS.VIGIL_TEST_VIEWER}`)).status, 401, path);
      const ok = await req(path, SECRETS.VIGIL_TEST_VIEWER);
      assert.equal(ok.status, 200, path);
      assert.match(await ok.text(), /alice/, path);
    }
    const ics = await req('/api/v1/schedules/primary/calendar.ics', SECRETS.VIGIL_TEST_VIEWER);
    assert.match(ics.headers.get('content-type') ?? '', /^text\/calendar/);
  });

  test('capabilities: what this server has, from its routing table', async () => {
    assert.equal((await req('/api/v1/capabilities')).status, 401);
    const r = await req('/api/v1/capabilities', SECRETS.VIGIL_TEST_VIEWER);
    assert.equal(r.status, 200);
    const { capabilities } = (await r.json()) as { capabilities: Record<string, boolean> };
    // No status_page: in this config; everything else is built in.
    assert.deepEqual(capabilities, { oncall: true, calendarUrls: true, silences: true, alertGroups: true, rules: true, actionItems: true, maintenance: true, slos: true, reports: true, statusPage: false, publicUpdates: true });
  });

  test('secret calendar URLs: made by a responder, read without a header, rotated, revoked, never logged', async () => {
    const make = (path: string, token?: string) => req(path, token, { method: 'POST' });
    assert.equal((await make('/api/v1/schedules/primary/calendar-url')).status, 401);
    assert.equal((await make('/api/v1/schedules/primary/calendar-url', SECRETS.VIGIL_TEST_VIEWER)).status, 403);
    assert.equal((await make('/api/v1/schedules/nope/calendar-url', SECRETS.VIGIL_TEST_RESPONDER)).status, 404);
    const made = await make('/api/v1/schedules/primary/calendar-url', SECRETS.VIGIL_TEST_RESPONDER);
    assert.equal(made.status, 201);
    const first = (await made.json()) as { kind: string; name: string; url: string; webcal_url: string; created_by: string };
    assert.deepEqual([first.kind, first.name, first.created_by], ['schedule', 'primary', 'alice']);
    const secret = new URL(first.url);
    assert.match(secret.pathname, /^\/calendar\/schedules\/primary\.ics$/);
    assert.equal(first.webcal_url, first.url.replace(/^http:/, 'webcal:'));
    const token = secret.searchParams.get('token') ?? '';
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);

    // A calendar app: no header, just the URL.
    const feed = await fetch(`${base}${secret.pathname}${secret.search}&weeks=2`);
    assert.equal(feed.status, 200);
    assert.match(feed.headers.get('content-type') ?? '', /^text\/calendar/);
    assert.match(await feed.text(), /BEGIN:VCALENDAR[\s\S]*Alice Example/);
    // One character changed (a token that already ends in A would otherwise be tampered into itself).
    const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const wrong of [`${secret.pathname}?token=${tampered}`, `${secret.pathname}`, `/calendar/people/alice.ics?token=${token}`, `/calendar/schedules/other.ics?token=${token}`]) {
      const r = await fetch(`${base}${wrong}`);
      assert.equal(r.status, 404, wrong);
      assert.ok(!/alice|VCALENDAR/i.test(await r.text()), wrong);
    }

    // Rotation: the old URL stops working, the new one works; revocation ends it.
    const rotated = (await (await make('/api/v1/schedules/primary/calendar-url', SECRETS.VIGIL_TEST_ADMIN)).json()) as { url: string };
    assert.notEqual(rotated.url, first.url);
    assert.equal((await fetch(`${base}${secret.pathname}${secret.search}`)).status, 404);
    const next = new URL(rotated.url);
    assert.equal((await fetch(`${base}${next.pathname}${next.search}`)).status, 200);
    const person = (await (await make('/api/v1/people/alice/calendar-url', SECRETS.VIGIL_TEST_RESPONDER)).json()) as { url: string };
    const listed = await req('/api/v1/calendar-urls', SECRETS.VIGIL_TEST_VIEWER);
    const list = (await listed.json()) as { feeds: Array<Record<string, string>> };
    assert.deepEqual(
      list.feeds.map((f) => `${f['kind']} ${f['name']} ${f['created_by']}`),
      ['person alice alice', 'schedule primary root'],
    );
    assert.ok(!JSON.stringify(list).includes('token'), 'no secret listed');
    assert.equal((await req('/api/v1/schedules/primary/calendar-url', SECRETS.VIGIL_TEST_RESPONDER, { method: 'DELETE' })).status, 204);
    assert.equal((await fetch(`${base}${next.pathname}${next.search}`)).status, 404);
    assert.equal((await req('/api/v1/schedules/primary/calendar-url', SECRETS.VIGIL_TEST_RESPONDER, { method: 'DELETE' })).status, 404);
    const p = new URL(person.url);
    assert.equal((await fetch(`${base}${p.pathname}${p.search}`)).status, 200, "the person's feed keeps its own URL");

    // Request logs (debug level here) carry the path, never the secret.
    assert.match(logs, /\/calendar\/schedules\/primary\.ics/);
    for (const t of [token, next.searchParams.get('token') ?? '', p.searchParams.get('token') ?? '']) assert.ok(!logs.includes(t), 'a calendar secret reached the log');
  });

  test('roles: a viewer cannot act, a responder can, and actions record the token name', async () => {
    const inc = await app.incidents.handleAlert({
      kind: 'firing',
      alert: { labels: { alertname: 'x', service: 'api', severity: 'critical' }, annotations: {}, startsAt: Date.now(), endsAt: 0, generatorURL: '', updatedAt: Date.now() },
    });
    assert.ok(inc);
    const denied = await req(`/api/v1/incidents/${inc.id}/acknowledge`, SECRETS.VIGIL_TEST_VIEWER, { method: 'POST', body: '{}' });
    assert.equal(denied.status, 403);
    assert.match(((await denied.json()) as { message: string }).message, /role viewer/);
    const ok = await req(`/api/v1/incidents/${inc.id}/acknowledge`, SECRETS.VIGIL_TEST_RESPONDER, { method: 'POST', body: '{}' });
    assert.equal(ok.status, 200);
    const body = (await ok.json()) as { status: string; acknowledged_by: string; timeline: Array<{ actor: string; kind: string }> };
    assert.equal(body.status, 'acknowledged');
    assert.equal(body.acknowledged_by, 'alice');
    const again = await req(`/api/v1/incidents/${inc.id}/acknowledge`, SECRETS.VIGIL_TEST_RESPONDER, { method: 'POST', body: '{}' });
    assert.equal(again.status, 409);
    const note = await req(`/api/v1/incidents/${inc.id}/notes`, SECRETS.VIGIL_TEST_ADMIN, { method: 'POST', body: JSON.stringify({ text: 'looking' }) });
    assert.equal(note.status, 201);
    assert.equal(((await note.json()) as { actor: string }).actor, 'root');
    // A lone surrogate (valid JSON, not valid UTF-8): the answer, the stored row and a later read agree (issue 15).
    const lone = await req(`/api/v1/incidents/${inc.id}/notes`, SECRETS.VIGIL_TEST_ADMIN, { method: 'POST', body: '{"text":"half \\ud83d emoji \\ude00 and a whole \\ud83d\\ude00"}' });
    assert.equal(lone.status, 201);
    const echoed = ((await lone.json()) as { message: string }).message;
    assert.equal(echoed, 'half \ufffd emoji \ufffd and a whole \u{1F600}');
    const read = (await (await req(`/api/v1/incidents/${inc.id}`, SECRETS.VIGIL_TEST_VIEWER)).json()) as { timeline: Array<{ message?: string }> };
    assert.ok(read.timeline.some((e) => e.message === echoed), 'read back exactly as echoed');
    const sev = await req(`/api/v1/incidents/${inc.id}/severity`, SECRETS.VIGIL_TEST_RESPONDER, { method: 'POST', body: JSON.stringify({ severity: 'urgent' }) });
    assert.equal(sev.status, 400);
    assert.match(((await sev.json()) as { message: string }).message, /^body\.severity: /);
    const assign = await req(`/api/v1/incidents/${inc.id}/assign`, SECRETS.VIGIL_TEST_RESPONDER, { method: 'POST', body: JSON.stringify({ assignee: 'bob' }) });
    assert.equal(assign.status, 200);
    const pm = await req(`/api/v1/incidents/${inc.id}/postmortem?format=markdown`, SECRETS.VIGIL_TEST_VIEWER);
    assert.equal(pm.status, 200);
    assert.match(pm.headers.get('content-type') ?? '', /text\/markdown/);
  });

  test('bad input gets a clear 400, unknown things a 404', async () => {
    const t = SECRETS.VIGIL_TEST_RESPONDER;
    let r = await req('/api/v1/incidents?status=closed', t);
    assert.equal(r.status, 400);
    assert.match(((await r.json()) as { message: string }).message, /^query\.status: /);
    r = await req('/api/v1/incidents/INC-2026-0001/notes', t, { method: 'POST', body: '{"text": ' });
    assert.equal(r.status, 400);
    r = await req('/api/v1/incidents/INC-2026-0001/notes', t, { method: 'POST', body: JSON.stringify({ text: '' }) });
    assert.equal(r.status, 400);
    assert.match(((await r.json()) as { message: string }).message, /body\.text/);
    r = await req('/api/v1/incidents/INC-2026-9999', t);
    assert.equal(r.status, 404);
    r = await req('/api/v1/incidents/not-an-id', t);
    assert.equal(r.status, 400);
    r = await req('/api/v1/checks/nope/results', t);
    assert.equal(r.status, 404);
    r = await req('/api/v1/nothing-here', t);
    assert.equal(r.status, 404);
  });

  test('failed authentications are rate limited per client; tokens already used from there keep working', async () => {
    assert.equal((await req('/api/v1/incidents', SECRETS.VIGIL_TEST_VIEWER)).status, 200);
    let last = 0;
    for (let i = 0; i < 12; i++) last = (await req('/api/v1/incidents', `bad-${i}`)).status;
    assert.equal(last, 429);
    let r = await req('/api/v1/incidents', SECRETS.VIGIL_TEST_VIEWER);
    assert.equal(r.status, 200, 'a token that authenticated from this address before the block still works (issue 15)');
    r = await req('/api/v1/incidents', SECRETS.VIGIL_TEST_LATECOMER);
    assert.equal(r.status, 429, 'a token first seen during the block waits, like a guess');
    assert.ok(Number(r.headers.get('retry-after')) > 0);
  });

  test('the config API is for admins and shows no secret', async () => {
    assert.equal((await req('/api/v1/status/config', SECRETS.VIGIL_TEST_VIEWER)).status, 403);
    const r = await req('/api/v1/status/config', SECRETS.VIGIL_TEST_ADMIN);
    assert.equal(r.status, 200);
    const body = (await r.json()) as { status: string; data: { yaml: string } };
    assert.equal(body.status, 'success');
    assert.match(body.data.yaml, /receiver: ops/);
    assert.match(body.data.yaml, /url: <secret>/);
    assert.ok(!body.data.yaml.includes('hunter2-password'), body.data.yaml);
    assert.ok(!body.data.yaml.includes('secret-0123456789'), 'no token secret');
  });

  test('secrets never reach the logs', async () => {
    // A token in the query string (some clients put it there) is logged with the request URL: redacted.
    await fetch(`${base}/api/v1/incidents?status=open&access_token=${SECRETS.VIGIL_TEST_ADMIN}`);
    assert.match(logs, /status=open&access_token=\[REDACTED\]/);
    assert.ok(logs.length > 0);
    for (const s of Object.values(SECRETS)) assert.ok(!logs.includes(s), 'a token leaked into the logs');
    assert.ok(!logs.includes('hunter2-password'), 'a URL password leaked into the logs');
    assert.ok(!/bad-\d/.test(logs), 'a rejected token leaked into the logs');
  });
});

test('refuses to listen beyond loopback without tokens, and names a missing token secret', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-refuse-'));
  try {
    await assert.rejects(VigilApp.create({ config: configWith({}), dataDir: dir, listen: '0.0.0.0:0', env: {} }), (e: unknown) => e instanceof StartupError && /refusing to listen on 0\.0\.0\.0/.test(e.message));
    await assert.rejects(VigilApp.create({ config: configWith(withTokens), dataDir: dir, listen: '127.0.0.1:0', env: {} }), /server\.tokens\[0\] \(root\): environment variable VIGIL_TEST_ADMIN is not set/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an open API on loopback records actions as anonymous', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-open-'));
  const app = await VigilApp.create({ config: configWith({}), dataDir: dir, listen: '127.0.0.1:0', env: {}, logger: createLogger('silent') });
  try {
    const base = await app.start();
    const r = await fetch(`${base}/api/v1/incidents?status=all`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { incidents: [] });
    assert.match(r.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  } finally {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

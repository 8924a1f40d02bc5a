// Manual incidents, reopening, stored post-mortems and action items through the HTTP API
// and the CLI, against a real server on a real SQLite file.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VigilApp, createLogger } from '../src/app/index.js';
import { validateConfig } from '../src/config/index.js';
import { main } from '../src/app/main.js';
import { actionItemViewSchema, actionItemsResponseSchema, incidentDetailSchema, postmortemViewSchema } from '../src/api/index.js';

const SECRETS = { VIGIL_T_RESPONDER: 'responder-secret-0123456789ab', VIGIL_T_VIEWER: 'viewer-secret-0123456789abcde' };

describe('manual incidents, post-mortems and action items over HTTP', () => {
  let app: VigilApp;
  let base: string;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-followup-api-'));
    const r = validateConfig({
      server: {
        tokens: [
          { name: 'alice', role: 'responder', secret_env: 'VIGIL_T_RESPONDER' },
          { name: 'grafana', role: 'viewer', secret_env: 'VIGIL_T_VIEWER' },
        ],
      },
    });
    assert.ok(r.ok);
    app = await VigilApp.create({ config: r.config, dataDir: dir, listen: '127.0.0.1:0', env: SECRETS, logger: createLogger('fatal') });
    base = await app.start();
  });
  after(async () => {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const req = (method: string, path: string, body?: unknown, token = SECRETS.VIGIL_T_RESPONDER) =>
    fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const cli = async (args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await main([...args, '--url', base], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { VIGIL_TOKEN: SECRETS.VIGIL_T_RESPONDER } });
    return { code, stdout, stderr };
  };

  test('declare, reopen; a viewer may not; bad bodies name the field', async () => {
    let r = await req('POST', '/api/v1/incidents', { title: 'Checkout fails for PayPal', severity: 'high', services: ['shop-api'], summary: 'Customers report errors' });
    assert.equal(r.status, 201);
    const inc = incidentDetailSchema.parse(await r.json());
    assert.equal(r.headers.get('location'), `/api/v1/incidents/${inc.id}`);
    assert.equal(inc.status, 'acknowledged');
    assert.equal(inc.acknowledged_by, 'alice');
    assert.deepEqual(inc.services, ['shop-api']);
    assert.match(inc.timeline[0]?.message ?? '', /declared by alice \(shop-api\): Customers report errors/);
    assert.equal((await req('POST', '/api/v1/incidents', { title: 'x', severity: 'high' }, SECRETS.VIGIL_T_VIEWER)).status, 403);
    r = await req('POST', '/api/v1/incidents', { title: 'x', severity: 'urgent' });
    assert.equal(r.status, 400);
    assert.match(((await r.json()) as { message: string }).message, /^body\.severity: /);
    r = await req('POST', `/api/v1/incidents/${inc.id}/reopen`, {});
    assert.equal(r.status, 409);
    assert.match(((await r.json()) as { message: string }).message, /only a resolved incident can be reopened/);
    assert.equal((await req('POST', `/api/v1/incidents/${inc.id}/resolve`, {})).status, 200);
    r = await req('POST', `/api/v1/incidents/${inc.id}/reopen`, { reason: 'errors are back' });
    assert.equal(r.status, 200);
    const reopened = incidentDetailSchema.parse(await r.json());
    assert.equal(reopened.status, 'acknowledged');
    assert.equal(reopened.resolved_at, null);
    assert.equal(reopened.timeline.at(-1)?.message, 'Reopened by alice: errors are back');
    assert.equal((await req('POST', '/api/v1/incidents/INC-2026-9999/reopen', {})).status, 404);
  });

  test('the post-mortem: draft, saved with a version, conflicts, review status, Markdown', async () => {
    const inc = incidentDetailSchema.parse(await (await req('POST', '/api/v1/incidents', { title: 'DB failover', severity: 'critical', services: ['shop-db'] })).json());
    const path = `/api/v1/incidents/${inc.id}/postmortem`;
    let r = await req('GET', path, undefined, SECRETS.VIGIL_T_VIEWER);
    const draft = postmortemViewSchema.parse(await r.json());
    assert.deepEqual([draft.stored, draft.version, draft.status], [false, 0, 'draft']);
    assert.match(draft.sections.root_cause, /To fill/);
    assert.equal((await req('PUT', path, { root_cause: 'x' }, SECRETS.VIGIL_T_VIEWER)).status, 403);
    r = await req('PUT', path, { version: 0, root_cause: 'A replica lagged by 40 minutes.', impact: 'Orders were delayed.' });
    assert.equal(r.status, 200);
    const v1 = postmortemViewSchema.parse(await r.json());
    assert.deepEqual([v1.stored, v1.version, v1.updated_by], [true, 1, 'alice']);
    assert.equal(v1.sections.summary, draft.sections.summary);
    r = await req('PUT', path, { version: 0, impact: 'lost edit' });
    assert.equal(r.status, 409);
    assert.match(((await r.json()) as { message: string }).message, /at version 1, not 0/);
    r = await req('PUT', path, { status: 'reviewed' });
    assert.equal(r.status, 400);
    assert.match(((await r.json()) as { message: string }).message, /^body\.status: must be one of draft, in_review, published/);
    r = await req('PUT', path, { colour: 'red' });
    assert.match(((await r.json()) as { message: string }).message, /unknown field "colour"/);
    const pub = postmortemViewSchema.parse(await (await req('PUT', path, { version: 1, status: 'published' })).json());
    assert.equal(pub.status, 'published');
    assert.ok(pub.published_at);
    r = await req('GET', `${path}?format=markdown`, undefined, SECRETS.VIGIL_T_VIEWER);
    assert.match(r.headers.get('content-type') ?? '', /text\/markdown/);
    const md = await r.text();
    assert.match(md, /## Root cause\n\nA replica lagged by 40 minutes\./);
    assert.match(md, /_Status: published · version 2/);
    const cliMd = await cli(['incidents', 'postmortem', inc.id]);
    assert.equal(cliMd.code, 0, cliMd.stderr);
    assert.equal(cliMd.stdout, md);
  });

  test('action items: add, patch status, filter across incidents; the CLI does the same', async () => {
    const a = incidentDetailSchema.parse(await (await req('POST', '/api/v1/incidents', { title: 'Cert expired', severity: 'high', services: ['www'] })).json());
    let r = await req('POST', `/api/v1/incidents/${a.id}/action-items`, { title: 'Alert 14 days before expiry', owner: 'bob', due: '2020-01-31', kind: 'preventive' });
    assert.equal(r.status, 201);
    const item = actionItemViewSchema.parse(await r.json());
    assert.equal(r.headers.get('location'), `/api/v1/action-items/${item.id}`);
    assert.deepEqual([item.status, item.overdue, item.created_by], ['open', true, 'alice']);
    r = await req('POST', `/api/v1/incidents/${a.id}/action-items`, { title: 'x', kind: 'later', due: '31.01.2020' });
    assert.equal(r.status, 400);
    assert.match(((await r.json()) as { message: string }).message, /body\.(due|kind)/);
    r = await req('POST', `/api/v1/incidents/${a.id}/action-items`, { title: 'x', kind: 'immediate', due: '2026-02-30' });
    assert.equal(r.status, 400);
    assert.match(((await r.json()) as { message: string }).message, /2026-02-30/);

    const added = await cli(['actions', 'add', a.id, 'Renew', 'the', 'certificate', '--owner', 'carol', '--kind', 'immediate', '--due', '2099-12-31']);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /^added #\d+ Renew the certificate \(INC-\d{4}-\d{4}, immediate\): open, owner carol, due 2099-12-31\n$/);
    const carolId = Number(/#(\d+)/.exec(added.stdout)?.[1]);

    r = await req('GET', '/api/v1/action-items?status=open&owner=bob', undefined, SECRETS.VIGIL_T_VIEWER);
    assert.deepEqual(actionItemsResponseSchema.parse(await r.json()).action_items.map((i) => i.id), [item.id]);
    r = await req('GET', '/api/v1/action-items?overdue=true', undefined, SECRETS.VIGIL_T_VIEWER);
    assert.deepEqual(actionItemsResponseSchema.parse(await r.json()).action_items.map((i) => i.id), [item.id]);
    r = await req('GET', '/api/v1/action-items?status=bogus');
    assert.equal(r.status, 400);

    r = await req('PATCH', `/api/v1/incidents/${a.id}/action-items/${item.id}`, { status: 'in_progress' });
    assert.equal(actionItemViewSchema.parse(await r.json()).status, 'in_progress');
    assert.equal((await req('PATCH', `/api/v1/action-items/${item.id}`, {})).status, 400);
    assert.equal((await req('PATCH', `/api/v1/action-items/999999`, { status: 'done' })).status, 404);
    assert.equal((await req('PATCH', `/api/v1/action-items/${item.id}`, { status: 'done' }, SECRETS.VIGIL_T_VIEWER)).status, 403);

    const listed = await cli(['actions', 'list']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^ID\s+INCIDENT\s+KIND\s+STATUS\s+OWNER\s+DUE\s+TITLE\n/);
    assert.match(listed.stdout, /in_progress\s+bob\s+2020-01-31 OVERDUE\s+Alert 14 days before expiry/);
    const done = await cli(['actions', 'done', String(carolId)]);
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /: done, owner carol/);
    r = await req('GET', '/api/v1/action-items?status=done');
    assert.deepEqual(actionItemsResponseSchema.parse(await r.json()).action_items.map((i) => i.id), [carolId]);
    r = await req('GET', `/api/v1/incidents/${a.id}/action-items`);
    assert.equal(actionItemsResponseSchema.parse(await r.json()).action_items.length, 2);
    const bad = await cli(['actions', 'done', 'abc']);
    assert.equal(bad.code, 2);

    const declared = await cli(['incidents', 'declare', 'Search', 'is', 'down', '--severity', 'critical', '--service', 'search', '--summary', 'all queries 500']);
    assert.equal(declared.code, 0, declared.stderr);
    assert.match(declared.stdout, /INC-\d{4}-\d{4}\s+Search is down\n\s+status:\s+acknowledged/);
  });
});

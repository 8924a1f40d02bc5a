import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeNotifier, SAMPLE_MESSAGE } from '../describe-notifier.js';
import { testDeps } from '../testing/deps.js';
import { closedPort, fakeHttp } from '../testing/fake-http.js';
import { webhookConfigSchema } from './config.js';
import { webhookSpec } from './index.js';
import { WebhookNotifier } from './webhook.js';

describeNotifier({
  name: 'webhook',
  spec: webhookSpec,
  // The whole URL is the secret (Alertmanager's SecretURL): its userinfo goes out as Basic auth.
  config: (peer, secret) => ({ ...secret('url', (s) => `${peer.url.replace('http://', `http://user:${s}@`)}/hook`), max_alerts: 0 }),
  maxBodyBytes: 4 * 1024 * 1024,
  templated: false,
});

const make = (cfg: Record<string, unknown>) => new WebhookNotifier(webhookConfigSchema.parse(cfg), testDeps());
const signal = () => new AbortController().signal;

test('POSTs the v4 payload as JSON with bearer auth', async () => {
  const s = await fakeHttp(() => ({ status: 200 }));
  try {
    const r = await make({ url: `${s.url}/hook`, http_config: { bearer_token: 'tok123' } }).notify(SAMPLE_MESSAGE, { signal: signal() });
    assert.deepEqual(r, { ok: true });
    const [req] = s.requests;
    assert.equal(req?.method, 'POST');
    assert.equal(req?.url, '/hook');
    assert.equal(req?.headers['content-type'], 'application/json');
    assert.equal(req?.headers.authorization, 'Bearer tok123');
    const payload = JSON.parse(req?.body ?? '{}');
    assert.equal(payload.version, '4');
    assert.equal(payload.groupKey, SAMPLE_MESSAGE.groupKey);
    assert.equal(payload.externalURL, 'http://vigil.test');
  } finally {
    await s.close();
  }
});

test('500 and 429 are retryable, 400 is not; errors name the status and body', async () => {
  for (const [status, retryable] of [[500, true], [429, true], [400, false], [404, false]] as const) {
    const s = await fakeHttp(() => ({ status, body: 'nope' }));
    try {
      const r = await make({ url: `${s.url}/hook` }).notify(SAMPLE_MESSAGE, { signal: signal() });
      assert.deepEqual(r, { ok: false, retryable, error: `webhook: http://127.0.0.1:${s.port} answered ${status}: nope` });
    } finally {
      await s.close();
    }
  }
});

test('a timeout and a refused connection are retryable and leak no URL credentials', async () => {
  const s = await fakeHttp(() => 'hang');
  try {
    const r = await make({ url: `${s.url.replace('http://', 'http://admin:hunter2pw@')}/hook`, timeout: '200ms' }).notify(SAMPLE_MESSAGE, { signal: signal() });
    assert.deepEqual(r, { ok: false, retryable: true, error: `webhook: http://127.0.0.1:${s.port}: timed out after 200ms` });
  } finally {
    await s.close();
  }
  const port = await closedPort();
  const r = await make({ url: `http://admin:hunter2pw@127.0.0.1:${port}/x?token=qs-secret` }).notify(SAMPLE_MESSAGE, { signal: signal() });
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.retryable, true);
    assert.ok(!/hunter2pw|admin|qs-secret/.test(r.error), r.error);
    assert.match(r.error, /^webhook: http:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED/);
  }
});

test('url_file and url_env are read at delivery; a missing one fails permanently, naming the key', async () => {
  const s = await fakeHttp(() => ({ status: 200 }));
  try {
    const env = { HOOK: `${s.url}/from-env` };
    const n = new WebhookNotifier(webhookConfigSchema.parse({ url_env: 'HOOK' }), testDeps({ secrets: { env, readFile: () => `${s.url}/from-file\n` } }));
    assert.deepEqual(await n.notify(SAMPLE_MESSAGE, { signal: signal() }), { ok: true });
    const f = new WebhookNotifier(webhookConfigSchema.parse({ url_file: '/etc/hook' }), testDeps({ secrets: { env, readFile: () => `${s.url}/from-file\n` } }));
    assert.deepEqual(await f.notify(SAMPLE_MESSAGE, { signal: signal() }), { ok: true });
    assert.deepEqual(s.requests.map((r) => r.url), ['/from-env', '/from-file']);
    const missing = new WebhookNotifier(webhookConfigSchema.parse({ url_env: 'NOPE' }), testDeps());
    assert.deepEqual(await missing.notify(SAMPLE_MESSAGE, { signal: signal() }), { ok: false, retryable: false, error: 'webhook: url_env: environment variable NOPE is not set' });
  } finally {
    await s.close();
  }
});

test('config: one of url, url_file, url_env; at most one; a bad scheme is named', () => {
  assert.match(webhookConfigSchema.safeParse({}).error?.issues[0]?.message ?? '', /one of url, url_file or url_env/);
  assert.match(webhookConfigSchema.safeParse({ url: 'http://a', url_env: 'X' }).error?.issues[0]?.message ?? '', /at most one of url, url_file & url_env/);
  assert.match(webhookConfigSchema.safeParse({ url: 'ftp://a' }).error?.issues[0]?.message ?? '', /unsupported scheme "ftp"/);
});

test('a templated URL is rendered with the notification; a bad template fails the notification', async () => {
  const s = await fakeHttp(() => ({ status: 200 }));
  try {
    const r = await make({ url: `${s.url}/hook/{{ .Receiver }}` }).notify(SAMPLE_MESSAGE, { signal: signal() });
    assert.deepEqual(r, { ok: true });
    assert.equal(s.requests[0]?.url, `/hook/${SAMPLE_MESSAGE.receiver}`);
    const bad = await make({ url: `${s.url}/hook/{{ .Nope` }).notify(SAMPLE_MESSAGE, { signal: signal() });
    assert.equal(bad.ok, false);
    assert.equal(s.requests.length, 1);
  } finally {
    await s.close();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webhookConfigSchema } from './config.js';
import { describeNotifier, SAMPLE_MESSAGE } from './describe-notifier.js';
import { WebhookNotifier } from './webhook.js';

async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void) {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

const make = (cfg: Record<string, unknown>) => new WebhookNotifier(webhookConfigSchema.parse(cfg), { externalURL: 'http://vigil.test' });

describeNotifier({
  name: 'webhook',
  outcomes: ['ok', 'retryable', 'permanent'],
  async make(outcome, secret) {
    const status = outcome === 'ok' ? 200 : outcome === 'retryable' ? 503 : 400;
    // The server echoes the Authorization header back: the notifier must not pass it on.
    const s = await serve((req, _b, res) => res.writeHead(status).end(`auth was ${req.headers.authorization ?? ''}`));
    const notifier = make({ url: s.url.replace('http://', `http://user:${secret}@`), max_alerts: 0 });
    return { notifier, cleanup: s.close };
  },
});

test('POSTs the v4 payload as JSON with bearer auth', async () => {
  let seen: { method?: string; type?: string; auth?: string; body?: string } = {};
  const s = await serve((req, body, res) => {
    seen = { method: req.method, type: req.headers['content-type'], auth: req.headers.authorization, body };
    res.writeHead(200).end();
  });
  try {
    const r = await make({ url: s.url, http_config: { bearer_token: 'tok123' } }).notify(SAMPLE_MESSAGE, { signal: new AbortController().signal });
    assert.deepEqual(r, { ok: true });
    assert.equal(seen.method, 'POST');
    assert.equal(seen.type, 'application/json');
    assert.equal(seen.auth, 'Bearer tok123');
    const payload = JSON.parse(seen.body ?? '{}');
    assert.equal(payload.version, '4');
    assert.equal(payload.groupKey, SAMPLE_MESSAGE.groupKey);
    assert.equal(payload.externalURL, 'http://vigil.test');
  } finally {
    await s.close();
  }
});

test('500 and 429 are retryable, 400 is not; errors name the status', async () => {
  for (const [status, retryable] of [[500, true], [429, true], [400, false], [404, false]] as const) {
    const s = await serve((_r, _b, res) => res.writeHead(status).end('nope'));
    try {
      const r = await make({ url: s.url }).notify(SAMPLE_MESSAGE, { signal: new AbortController().signal });
      assert.deepEqual(r, { ok: false, retryable, error: `webhook http://127.0.0.1:${s.port} answered ${status}: nope` });
    } finally {
      await s.close();
    }
  }
});

test('a timeout and a refused connection are retryable and leak no URL credentials', async () => {
  const s = await serve(() => undefined); // never answers
  try {
    const r = await make({ url: s.url.replace('http://', 'http://admin:hunter2pw@'), timeout: '200ms' }).notify(SAMPLE_MESSAGE, {
      signal: new AbortController().signal,
    });
    assert.deepEqual(r, { ok: false, retryable: true, error: `webhook http://127.0.0.1:${s.port}: timed out after 200ms` });
  } finally {
    await s.close();
  }
  const closed = await serve(() => undefined);
  await closed.close();
  const r = await make({ url: `http://admin:hunter2pw@127.0.0.1:${closed.port}/x?token=qs-secret` }).notify(SAMPLE_MESSAGE, {
    signal: new AbortController().signal,
  });
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.retryable, true);
    assert.ok(!/hunter2pw|admin|qs-secret/.test(r.error), r.error);
    assert.match(r.error, /^webhook http:\/\/127\.0\.0\.1:\d+: /);
  }
});

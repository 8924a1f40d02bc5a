import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contactNotifier } from '../contact.js';
import { describeNotifier, SAMPLE_MESSAGE } from '../describe-notifier.js';
import { globalSchema } from '../global.js';
import { testDeps } from '../testing/deps.js';
import { fakeHttp, json } from '../testing/fake-http.js';
import type { Answer, PeerRequest } from '../testing/fake-http.js';
import { ntfyConfigSchema } from './config.js';
import { ntfySpec } from './index.js';

const PUBLISHED = json({ id: 'sPs71M8A2T', time: 1767268800, event: 'message', topic: 'alice-pages', message: 'x' });

describeNotifier({
  name: 'ntfy',
  spec: ntfySpec,
  config: (peer, secret) => ({ url: peer.url, topic: 'alice-pages', ...secret('token') }),
  ok: PUBLISHED,
  maxBodyBytes: 8 * 1024,
});

/** Publishing as JSON: POST / with a topic; a protected topic needs the access token. */
function publish(req: PeerRequest): Answer {
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/');
  const m = JSON.parse(req.body) as { topic?: string; priority?: number; actions?: Array<{ action: string; label: string; url: string }> };
  if (!m.topic) return json({ code: 40010, http: 400, error: 'invalid request: topic invalid' }, 400);
  if (m.topic === 'protected' && req.headers.authorization !== 'Bearer tk_abcdefghijklmnopqrstuvwxyz0') return json({ code: 40301, http: 403, error: 'forbidden' }, 403);
  if (m.priority !== undefined && !(m.priority >= 1 && m.priority <= 5)) return json({ code: 40007, http: 400, error: 'invalid request: priority invalid' }, 400);
  if ((m.actions?.length ?? 0) > 3) return json({ code: 40018, http: 400, error: 'invalid request: too many actions' }, 400);
  return PUBLISHED;
}

test('a page to a topic: urgent for critical, links as view buttons, the incident on click', async () => {
  const s = await fakeHttp(publish);
  try {
    const c = contactNotifier('ntfy', 'alice-pages', testDeps(), globalSchema.parse({ ntfy_url: s.url }));
    assert.ok(c.ok);
    if (!c.ok) return;
    assert.deepEqual(await c.notifier.notify(SAMPLE_MESSAGE, { signal: new AbortController().signal }), { ok: true });
    const m = JSON.parse(s.requests[0]?.body ?? '') as Record<string, unknown>;
    assert.equal(m.topic, 'alice-pages');
    assert.equal(m.title, '[FIRING:1] Conformance (critical)');
    assert.equal(m.priority, 5);
    assert.deepEqual(m.tags, ['rotating_light']);
    assert.equal(m.click, 'http://vigil.test/incidents/7');
    assert.deepEqual(m.actions, [
      { action: 'view', label: 'Acknowledge', url: 'http://vigil.test/ack/tok1', clear: true },
      { action: 'view', label: 'Open incident', url: 'http://vigil.test/incidents/7', clear: false },
    ]);
    assert.match(String(m.message), /^conformance test\n\nAlerts Firing:/);
  } finally {
    await s.close();
  }
});

test('a protected topic: the access token as bearer; refused without it', async () => {
  const s = await fakeHttp(publish);
  try {
    const ok = ntfySpec.create(ntfyConfigSchema.parse({ url: s.url, topic: 'protected', token: 'tk_abcdefghijklmnopqrstuvwxyz0', priority: 'high' }), testDeps());
    assert.deepEqual(await ok.notify(SAMPLE_MESSAGE, { signal: new AbortController().signal }), { ok: true });
    assert.equal((JSON.parse(s.requests[0]?.body ?? '') as { priority: number }).priority, 4);
    const no = ntfySpec.create(ntfyConfigSchema.parse({ url: s.url, topic: 'protected' }), testDeps());
    assert.deepEqual(await no.notify(SAMPLE_MESSAGE, { signal: new AbortController().signal }), { ok: false, retryable: false, error: `ntfy: http://127.0.0.1:${s.port} answered 403: 40301 forbidden` });
  } finally {
    await s.close();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeNotifier, SAMPLE_MESSAGE } from '../describe-notifier.js';
import { testDeps } from '../testing/deps.js';
import { fakeHttp, json } from '../testing/fake-http.js';
import type { Answer, PeerRequest } from '../testing/fake-http.js';
import { discordConfigSchema } from './config.js';
import { discordSpec } from './index.js';

describeNotifier({
  name: 'discord',
  spec: discordSpec,
  config: (peer, secret) => secret('webhook_url', (s) => `${peer.url}/api/webhooks/1234567890/${s}`),
  ok: { status: 204 },
  maxBodyBytes: 16 * 1024,
});

/** Execute Webhook: JSON with content or embeds within Discord's limits; 204 without ?wait. */
function executeWebhook(req: PeerRequest): Answer {
  assert.equal(req.method, 'POST');
  assert.match(req.url, /^\/api\/webhooks\/\d+\/[\w-]+$/);
  assert.match(String(req.headers['content-type']), /^application\/json/);
  const m = JSON.parse(req.body) as { content?: string; embeds?: Array<{ title?: string; description?: string }> };
  if (!m.content && !m.embeds?.length) return json({ code: 50006, message: 'Cannot send an empty message' }, 400);
  if ((m.content ?? '').length > 2000 || m.embeds?.some((e) => (e.title ?? '').length > 256 || (e.description ?? '').length > 4096)) {
    return json({ code: 50035, message: 'Invalid Form Body' }, 400);
  }
  return { status: 204 };
}

test('one embed: title, alert list with links, red while firing, linked to the incident', async () => {
  const s = await fakeHttp(executeWebhook);
  try {
    const n = discordSpec.create(discordConfigSchema.parse({ webhook_url: `${s.url}/api/webhooks/1234567890/tokentokentoken`, username: 'vigil', avatar_url: 'https://example.com/a.png' }), testDeps());
    assert.deepEqual(await n.notify(SAMPLE_MESSAGE, { signal: new AbortController().signal }), { ok: true });
    const body = JSON.parse(s.requests[0]?.body ?? '') as { content: string; username: string; avatar_url: string; embeds: Array<Record<string, unknown>> };
    assert.equal(body.content, '');
    assert.equal(body.username, 'vigil');
    assert.equal(body.avatar_url, 'https://example.com/a.png');
    assert.equal(body.embeds[0]?.title, '[FIRING:1] Conformance (critical)');
    assert.equal(body.embeds[0]?.color, 0x992d22);
    assert.equal(body.embeds[0]?.url, 'http://vigil.test/incidents/7');
    assert.match(String(body.embeds[0]?.description), /Alerts Firing:\nLabels:\n - alertname = Conformance[\s\S]*\[Acknowledge\]\(http:\/\/vigil.test\/ack\/tok1\) \| \[Open incident\]\(http:\/\/vigil.test\/incidents\/7\)/);
  } finally {
    await s.close();
  }
});

test('Discord’s rate limit answer is retryable and quoted', async () => {
  const s = await fakeHttp(() => json({ message: 'You are being rate limited.', retry_after: 0.5, global: false }, 429));
  try {
    const n = discordSpec.create(discordConfigSchema.parse({ webhook_url: `${s.url}/api/webhooks/1/tokentokentoken` }), testDeps());
    assert.deepEqual(await n.notify(SAMPLE_MESSAGE, { signal: new AbortController().signal }), {
      ok: false,
      retryable: true,
      error: `discord: http://127.0.0.1:${s.port} answered 429: You are being rate limited. (retry after 0.5s)`,
    });
  } finally {
    await s.close();
  }
});

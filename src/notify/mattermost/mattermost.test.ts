import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeNotifier, SAMPLE_MESSAGE } from '../describe-notifier.js';
import { globalSchema } from '../global.js';
import { testDeps } from '../testing/deps.js';
import { fakeHttp, json } from '../testing/fake-http.js';
import type { Answer, PeerRequest } from '../testing/fake-http.js';
import { mattermostConfigSchema } from './config.js';
import { mattermostSpec } from './index.js';

describeNotifier({
  name: 'mattermost',
  spec: mattermostSpec,
  config: (peer, secret) => secret('webhook_url', (s) => `${peer.url}/hooks/${s}`),
  ok: { status: 200, body: 'ok' },
  maxBodyBytes: 128 * 1024,
});

/** An incoming webhook: JSON with text or attachments; 200 "ok", or a JSON app error. */
function incomingWebhook(req: PeerRequest): Answer {
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/hooks/xxx-generatedkey-xxx');
  assert.match(String(req.headers['content-type']), /^application\/json/);
  const m = JSON.parse(req.body) as { text?: string; attachments?: unknown[] };
  if (!m.text && !m.attachments?.length) return json({ id: 'web.incoming_webhook.text.app_error', message: 'No text specified.', detailed_error: '', status_code: 400 }, 400);
  return { status: 200, body: 'ok' };
}

const signal = () => new AbortController().signal;
const build = (cfg: Record<string, unknown>, global: Record<string, unknown> = {}) => {
  const { config, problems } = mattermostSpec.applyGlobal(mattermostConfigSchema.parse(cfg), globalSchema.parse(global));
  assert.deepEqual(problems, []);
  return { notifier: mattermostSpec.create(config, testDeps()), deps: testDeps() };
};

test('one attachment from the top-level keys; the webhook from global', async () => {
  const s = await fakeHttp(incomingWebhook);
  try {
    const { notifier } = build({ channel: 'town-square' }, { mattermost_webhook_url: `${s.url}/hooks/xxx-generatedkey-xxx` });
    assert.deepEqual(await notifier.notify(SAMPLE_MESSAGE, { signal: signal() }), { ok: true });
    const m = JSON.parse(s.requests[0]?.body ?? '') as { channel: string; username: string; attachments: Array<Record<string, string>> };
    assert.equal(m.channel, 'town-square');
    assert.equal(m.username, 'Vigil');
    assert.equal(m.attachments[0]?.title, '[FIRING:1] Conformance (critical)');
    assert.equal(m.attachments[0]?.title_link, 'http://vigil.test/incidents/7');
    assert.equal(m.attachments[0]?.color, 'danger');
    assert.equal(m.attachments[0]?.fallback, '[FIRING:1] Conformance (critical) | http://vigil.test/incidents/7');
    assert.match(m.attachments[0]?.text ?? '', /# Alerts Firing:\n\nLabels:\n  - alertname = Conformance[\s\S]*\[Acknowledge\]\(http:\/\/vigil.test\/ack\/tok1\)/);
  } finally {
    await s.close();
  }
});

test('configured attachments, and priority made valid as Alertmanager makes it', async () => {
  const s = await fakeHttp(incomingWebhook);
  try {
    const { notifier } = build({
      webhook_url: `${s.url}/hooks/xxx-generatedkey-xxx`,
      attachments: [{ title: '{{ template "mattermost.default.title" . }}', fields: [{ title: 'Color', value: '{{ template "mattermost.default.color" . }}', short: true }] }],
      priority: { priority: 'Important', requested_ack: true, persistent_notifications: true },
    });
    assert.deepEqual(await notifier.notify(SAMPLE_MESSAGE, { signal: signal() }), { ok: true });
    const m = JSON.parse(s.requests[0]?.body ?? '') as Record<string, unknown>;
    assert.deepEqual(m.attachments, [{ title: '[FIRING:1] Conformance (critical)', fields: [{ title: 'Color', value: 'danger', short: true }] }]);
    assert.deepEqual(m.priority, { priority: 'important', requested_ack: true });
    assert.match(String(m.text), /# Alerts Firing:/);
  } finally {
    await s.close();
  }
});

test('no webhook anywhere is a config problem', () => {
  assert.match(mattermostSpec.applyGlobal(mattermostConfigSchema.parse({}), globalSchema.parse({})).problems[0]?.message ?? '', /no global Mattermost Webhook URL/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contactNotifier } from '../contact.js';
import { describeNotifier, SAMPLE_MESSAGE } from '../describe-notifier.js';
import { globalSchema } from '../global.js';
import { testDeps } from '../testing/deps.js';
import { fakeHttp, json } from '../testing/fake-http.js';
import type { FakeHttp, PeerRequest } from '../testing/fake-http.js';
import { slackConfigSchema } from './config.js';
import { slackSpec } from './index.js';

describeNotifier({
  name: 'slack (incoming webhook)',
  spec: slackSpec,
  config: (peer, secret) => ({ ...secret('api_url', (s) => `${peer.url}/services/T000/B000/${s}`), channel: '#ops' }),
  ok: { status: 200, body: 'ok', contentType: 'text/html' },
  maxBodyBytes: 512 * 1024,
});

describeNotifier({
  name: 'slack (bot token, chat.postMessage)',
  spec: slackSpec,
  config: (peer, secret) => ({ ...secret('app_token'), app_url: `${peer.url}/api/chat.postMessage`, channel: 'C0123' }),
  ok: json({ ok: true, channel: 'C0123', ts: '1700000000.000100' }),
  maxBodyBytes: 512 * 1024,
});

const signal = () => new AbortController().signal;

function build(cfg: Record<string, unknown>, global: Record<string, unknown> = {}) {
  const { config, problems } = slackSpec.applyGlobal(slackConfigSchema.parse(cfg), globalSchema.parse(global));
  assert.deepEqual(problems, []);
  return slackSpec.create(config, testDeps());
}

/** Slack's incoming webhook: a JSON POST to the hook's path, answered `ok` as text/html. */
function incomingWebhook(req: PeerRequest) {
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/services/T000/B000/XXXXXXXX');
  assert.match(String(req.headers['content-type']), /^application\/json/);
  const body = JSON.parse(req.body) as Record<string, unknown>;
  assert.ok(Array.isArray(body.attachments) || Array.isArray(body.blocks), 'attachments or blocks');
  return { status: 200, body: 'ok', contentType: 'text/html' };
}

/** chat.postMessage: bearer token, JSON with a channel; answers 200 {"ok":…}. */
function postMessage(req: PeerRequest) {
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/api/chat.postMessage');
  assert.match(String(req.headers['content-type']), /^application\/json/);
  if (req.headers.authorization !== 'Bearer xoxb-test-token') return json({ ok: false, error: 'invalid_auth' });
  const body = JSON.parse(req.body) as { channel?: string };
  if (!body.channel) return json({ ok: false, error: 'channel_not_found' });
  return json({ ok: true, channel: body.channel, ts: '1700000000.000100' });
}

async function withFake(handler: Parameters<typeof fakeHttp>[0], fn: (s: FakeHttp) => Promise<void>): Promise<void> {
  const s = await fakeHttp(handler);
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

test('incoming webhook: Alertmanager’s payload, with the message’s links as buttons', () =>
  withFake(incomingWebhook, async (s) => {
    const n = build({ api_url: `${s.url}/services/T000/B000/XXXXXXXX`, channel: '#ops' });
    assert.deepEqual(await n.notify(SAMPLE_MESSAGE, { signal: signal() }), { ok: true });
    assert.deepEqual(JSON.parse(s.requests[0]?.body ?? ''), {
      channel: '#ops',
      username: 'Vigil',
      attachments: [
        {
          title: '[FIRING:1] Conformance (critical)',
          title_link: 'http://vigil.test/incidents/7',
          text: '• conformance test\n',
          fallback: '[FIRING:1] Conformance (critical) | http://vigil.test/incidents/7',
          callback_id: '',
          actions: [
            { type: 'button', text: 'Acknowledge', url: 'http://vigil.test/ack/tok1', style: 'primary' },
            { type: 'button', text: 'Open incident', url: 'http://vigil.test/incidents/7' },
          ],
          footer: '',
          color: 'danger',
          mrkdwn_in: ['fallback', 'pretext', 'text'],
        },
      ],
    });
  }));

test('fields, configured actions with a confirmation, message_text and icons are rendered', () =>
  withFake(incomingWebhook, async (s) => {
    const n = build({
      api_url: `${s.url}/services/T000/B000/XXXXXXXX`,
      message_text: 'on call: {{ .CommonLabels.severity }}',
      icon_emoji: ':fire:',
      fields: [{ title: 'Severity', value: '{{ template "slack.default.color" . }}' }],
      short_fields: true,
      actions: [
        { type: 'button', text: 'Runbook', url: 'https://runbooks.example/{{ .GroupLabels.alertname }}' },
        { type: 'button', text: 'Silence', name: 'silence', value: 'x', confirm: { text: 'Sure?' } },
      ],
    });
    assert.deepEqual(await n.notify(SAMPLE_MESSAGE, { signal: signal() }), { ok: true });
    const a = (JSON.parse(s.requests[0]?.body ?? '') as { icon_emoji: string; attachments: Array<Record<string, unknown>> });
    assert.equal(a.icon_emoji, ':fire:');
    assert.deepEqual(a.attachments[0]?.fields, [{ title: 'Severity', value: 'danger', short: true }]);
    assert.deepEqual(a.attachments[0]?.actions, [
      { type: 'button', text: 'Runbook', url: 'https://runbooks.example/Conformance' },
      { type: 'button', text: 'Silence', name: 'silence', value: 'x', confirm: { text: 'Sure?' } },
    ]);
    assert.equal((a as unknown as { text: string }).text, 'on call: critical');
  }));

test('bot token: chat.postMessage with the bearer token; {"ok":false} is a permanent failure naming Slack’s error', () =>
  withFake(postMessage, async (s) => {
    const good = build({ app_token: 'xoxb-test-token', app_url: `${s.url}/api/chat.postMessage`, channel: 'C0123' });
    assert.deepEqual(await good.notify(SAMPLE_MESSAGE, { signal: signal() }), { ok: true });
    const noChannel = build({ app_token: 'xoxb-test-token', app_url: `${s.url}/api/chat.postMessage` });
    assert.deepEqual(await noChannel.notify(SAMPLE_MESSAGE, { signal: signal() }), { ok: false, retryable: false, error: 'slack: error response from Slack: channel_not_found' });
    const bad = build({ app_token: 'xoxb-wrong', app_url: `${s.url}/api/chat.postMessage`, channel: 'C0123' });
    const r = await bad.notify(SAMPLE_MESSAGE, { signal: signal() });
    assert.deepEqual(r, { ok: false, retryable: false, error: 'slack: channel "C0123": error response from Slack: invalid_auth' });
  }));

test('a DM to one person: Block Kit through chat.postMessage with the global app token', () =>
  withFake(postMessage, async (s) => {
    const global = globalSchema.parse({ slack_app_token: 'xoxb-test-token', slack_app_url: `${s.url}/api/chat.postMessage` });
    const c = contactNotifier('slack', 'U012ABCDE', testDeps(), global);
    assert.ok(c.ok);
    if (!c.ok) return;
    assert.deepEqual(await c.notifier.notify(SAMPLE_MESSAGE, { signal: signal() }), { ok: true });
    const body = JSON.parse(s.requests[0]?.body ?? '') as { channel: string; text: string; blocks: Array<{ type: string; elements?: Array<Record<string, unknown>>; text?: { text: string } }>; attachments?: unknown };
    assert.equal(body.channel, 'U012ABCDE');
    assert.equal(body.text, '[FIRING:1] Conformance (critical)');
    assert.equal(body.attachments, undefined);
    assert.equal(body.blocks[0]?.type, 'section');
    assert.equal(body.blocks[0]?.text?.text, '*<http://vigil.test/incidents/7|[FIRING:1] Conformance (critical)>*\n• conformance test\n');
    assert.deepEqual(body.blocks[1]?.elements?.[0], {
      type: 'button',
      action_id: 'vigil_ack',
      text: { type: 'plain_text', text: 'Acknowledge' },
      url: 'http://vigil.test/ack/tok1',
      value: 'http://vigil.test/ack/tok1',
      style: 'primary',
    });
  }));

test('a webhook answering 200 with something else than "ok" is refused', () =>
  withFake(() => ({ status: 200, body: 'invalid_payload', contentType: 'text/html' }), async (s) => {
    const r = await build({ api_url: `${s.url}/services/T000/B000/XXXXXXXX` }).notify(SAMPLE_MESSAGE, { signal: signal() });
    assert.deepEqual(r, { ok: false, retryable: false, error: 'slack: received an error response from Slack: invalid_payload' });
  }));

test('global: slack_api_url fills in; neither URL nor token anywhere is a config problem', () => {
  const withGlobal = slackSpec.applyGlobal(slackConfigSchema.parse({}), globalSchema.parse({ slack_api_url_env: 'SLACK_WEBHOOK_URL' }));
  assert.equal(withGlobal.config.api_url_env, 'SLACK_WEBHOOK_URL');
  assert.deepEqual(withGlobal.problems, []);
  const none = slackSpec.applyGlobal(slackConfigSchema.parse({}), globalSchema.parse({}));
  assert.match(none.problems[0]?.message ?? '', /no Slack API URL nor App token set/);
  const local = slackSpec.applyGlobal(slackConfigSchema.parse({ api_url: 'https://hooks.slack.com/x' }), globalSchema.parse({ slack_app_token: 't' }));
  assert.equal(local.config.app_token, undefined, 'a local webhook URL wins over the global token');
});

test('config errors name the problem as Alertmanager does', () => {
  const msg = (cfg: unknown) => slackConfigSchema.safeParse(cfg).error?.issues[0]?.message;
  assert.equal(msg({ actions: [{ type: 'button', text: 'x' }] }), 'missing name or url in Slack action configuration');
  assert.equal(msg({ actions: [{ text: 'x', url: 'u' }] }), 'missing type in Slack action configuration');
  assert.equal(msg({ fields: [{ title: 't' }] }), 'missing value in Slack field configuration');
  assert.equal(msg({ api_url: 'https://a', app_token: 'b' }), 'at most one of api_url/api_url_file & app_token/app_token_file must be configured');
  assert.match(msg({ update_message: true }) ?? '', /update_message is not supported/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contactNotifier } from '../contact.js';
import { describeNotifier, SAMPLE_MESSAGE } from '../describe-notifier.js';
import { globalSchema } from '../global.js';
import { testDeps } from '../testing/deps.js';
import { fakeHttp, json } from '../testing/fake-http.js';
import type { Answer, PeerRequest } from '../testing/fake-http.js';
import { telegramConfigSchema } from './config.js';
import { telegramSpec } from './index.js';

const SENT = json({ ok: true, result: { message_id: 7, chat: { id: -1001234567890 }, date: 1767268800, text: 'x' } });

describeNotifier({
  name: 'telegram',
  spec: telegramSpec,
  config: (peer, secret) => ({ ...secret('bot_token', (s) => `123456:${s}`), api_url: peer.url, chat_id: -1001234567890 }),
  ok: SENT,
  maxBodyBytes: 32 * 1024,
});

const TOKEN = '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11';

/** The Bot API's sendMessage: the token in the path, JSON with chat_id and text. */
function botApi(req: PeerRequest): Answer {
  assert.equal(req.method, 'POST');
  if (req.url !== `/bot${TOKEN}/sendMessage`) return json({ ok: false, error_code: 401, description: 'Unauthorized' }, 401);
  assert.match(String(req.headers['content-type']), /^application\/json/);
  const m = JSON.parse(req.body) as { chat_id?: unknown; text?: string; parse_mode?: string };
  if (!/^-?\d+$/.test(String(m.chat_id)) || String(m.chat_id) === '42') return json({ ok: false, error_code: 400, description: 'Bad Request: chat not found' }, 400);
  if (!m.text || [...m.text].length > 4096) return json({ ok: false, error_code: 400, description: 'Bad Request: message is too long' }, 400);
  if (m.parse_mode !== undefined && !['HTML', 'Markdown', 'MarkdownV2'].includes(m.parse_mode)) return json({ ok: false, error_code: 400, description: "Bad Request: can't parse entities" }, 400);
  return SENT;
}

const signal = () => new AbortController().signal;

test('sendMessage with the default text (values HTML-escaped), links as text, previews off', async () => {
  const s = await fakeHttp(botApi);
  try {
    const global = globalSchema.parse({ telegram_api_url: s.url, telegram_bot_token_file: '/run/secrets/telegram' });
    const c = contactNotifier('telegram', '-1001234567890', testDeps({ secrets: { env: {}, readFile: () => `${TOKEN}\n` } }), global);
    assert.ok(c.ok);
    if (!c.ok) return;
    const msg = { ...SAMPLE_MESSAGE, alerts: [{ ...SAMPLE_MESSAGE.alerts[0]!, annotations: { summary: 'p99 > 2s & <rising>' } }] };
    assert.deepEqual(await c.notifier.notify(msg, { signal: signal() }), { ok: true });
    const body = JSON.parse(s.requests[0]?.body ?? '') as Record<string, unknown>;
    assert.deepEqual(body, {
      chat_id: '-1001234567890',
      text:
        '\n\nAlerts Firing:\nLabels:\n - alertname = Conformance\n - severity = critical\nAnnotations:\n - summary = p99 &gt; 2s &amp; &lt;rising&gt;\nSource: http://vigil.test/graph\n\n\n\n' +
        '\nAcknowledge: http://vigil.test/ack/tok1\nOpen incident: http://vigil.test/incidents/7\n',
      parse_mode: 'HTML',
      disable_web_page_preview: true,
    });
  } finally {
    await s.close();
  }
});

test('a chat that does not exist is a permanent failure quoting Telegram', async () => {
  const s = await fakeHttp(botApi);
  try {
    const n = telegramSpec.create(telegramConfigSchema.parse({ api_url: s.url, bot_token: TOKEN, chat_id: 42 }), testDeps());
    assert.deepEqual(await n.notify(SAMPLE_MESSAGE, { signal: signal() }), { ok: false, retryable: false, error: `telegram: http://127.0.0.1:${s.port} answered 400: Bad Request: chat not found` });
  } finally {
    await s.close();
  }
});

test('chat_id_file, message_thread_id and disable_notifications', async () => {
  const s = await fakeHttp(botApi);
  try {
    const cfg = telegramConfigSchema.parse({ api_url: s.url, bot_token: TOKEN, chat_id_file: '/etc/chat', message_thread_id: 3, disable_notifications: true, parse_mode: '' });
    const n = telegramSpec.create(cfg, testDeps({ secrets: { env: {}, readFile: () => '-100777\n' } }));
    assert.deepEqual(await n.notify(SAMPLE_MESSAGE, { signal: signal() }), { ok: true });
    const body = JSON.parse(s.requests[0]?.body ?? '') as Record<string, unknown>;
    assert.equal(body.chat_id, '-100777');
    assert.equal(body.message_thread_id, 3);
    assert.equal(body.disable_notification, true);
    assert.equal(body.parse_mode, undefined);
  } finally {
    await s.close();
  }
});

test('config errors', () => {
  const msg = (cfg: unknown) => telegramConfigSchema.safeParse(cfg).error?.issues[0]?.message;
  assert.equal(msg({ bot_token: 'x' }), 'missing chat_id or chat_id_file on telegram_config');
  assert.equal(msg({ chat_id: 1, parse_mode: 'BBCode' }), 'unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string');
  assert.match(telegramSpec.applyGlobal(telegramConfigSchema.parse({ chat_id: 1 }), globalSchema.parse({})).problems[0]?.message ?? '', /missing bot_token/);
});

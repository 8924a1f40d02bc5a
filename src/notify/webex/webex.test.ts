import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeNotifier, SAMPLE_MESSAGE } from '../describe-notifier.js';
import { globalSchema } from '../global.js';
import { testDeps } from '../testing/deps.js';
import { fakeHttp, json } from '../testing/fake-http.js';
import type { Answer, PeerRequest } from '../testing/fake-http.js';
import { webexConfigSchema } from './config.js';
import { webexSpec } from './index.js';

describeNotifier({
  name: 'webex',
  spec: webexSpec,
  config: (peer, secret) => ({ api_url: `${peer.url}/v1/messages`, room_id: 'Y2lzY29zcGFyazovL3VzL1JPT00vYmJjZWIxYWQ', http_config: { authorization: { ...secret('credentials') } } }),
  ok: json({ id: 'm1', roomId: 'r', markdown: 'x' }),
  maxBodyBytes: 16 * 1024,
});

const BOT = 'NmM2ZmMxZGYtOWRhZi00YjM0LWIzZTEtZjM5OWE4ZDZlNDQz';

/** The Messages API: bearer token, JSON with roomId and markdown. */
function messagesApi(req: PeerRequest): Answer {
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/v1/messages');
  if (req.headers.authorization !== `Bearer ${BOT}`) return json({ message: 'The request requires a valid access token set in the Authorization request header.', errors: [], trackingId: 'ROUTER_1' }, 401);
  const m = JSON.parse(req.body) as { roomId?: string; markdown?: string };
  if (!m.roomId) return json({ message: 'roomId, toPersonId, or toPersonEmail is required', errors: [], trackingId: 'ROUTER_2' }, 400);
  if (!m.markdown || Buffer.byteLength(m.markdown) > 7439) return json({ message: 'Message too long', errors: [], trackingId: 'ROUTER_3' }, 400);
  return json({ id: 'm1', roomId: m.roomId, markdown: m.markdown });
}

test('markdown to the room with the bot token, links as markdown', async () => {
  const s = await fakeHttp(messagesApi);
  try {
    const cfg = webexConfigSchema.parse({ room_id: 'room-1', http_config: { authorization: { credentials: BOT } } });
    const { config } = webexSpec.applyGlobal(cfg, globalSchema.parse({ webex_api_url: `${s.url}/v1/messages` }));
    assert.deepEqual(await webexSpec.create(config, testDeps()).notify(SAMPLE_MESSAGE, { signal: new AbortController().signal }), { ok: true });
    const m = JSON.parse(s.requests[0]?.body ?? '') as { roomId: string; markdown: string };
    assert.equal(m.roomId, 'room-1');
    assert.match(m.markdown, /^conformance test\n\nAlerts Firing:\nLabels:\n - alertname = Conformance/);
    assert.match(m.markdown, /\[Acknowledge\]\(http:\/\/vigil.test\/ack\/tok1\)/);
    const bad = webexSpec.create(webexConfigSchema.parse({ room_id: 'r', api_url: `${s.url}/v1/messages`, http_config: { authorization: { credentials: 'nope' } } }), testDeps());
    const r = await bad.notify(SAMPLE_MESSAGE, { signal: new AbortController().signal });
    assert.deepEqual(r, { ok: false, retryable: false, error: `webex: http://127.0.0.1:${s.port} answered 401: The request requires a valid access token set in the Authorization request header. (trackingId ROUTER_1)` });
  } finally {
    await s.close();
  }
});

test('config: room_id and http_config.authorization are required', () => {
  assert.equal(webexConfigSchema.safeParse({ http_config: { authorization: { credentials: 'x' } } }).error?.issues[0]?.message, 'missing room_id on webex_config');
  assert.equal(webexConfigSchema.safeParse({ room_id: 'r' }).error?.issues[0]?.message, 'missing webex_configs.http_config.authorization');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contactNotifier } from '../contact.js';
import { describeNotifier, SAMPLE_MESSAGE } from '../describe-notifier.js';
import { globalSchema } from '../global.js';
import { testDeps } from '../testing/deps.js';
import { fakeHttp, json } from '../testing/fake-http.js';
import type { Answer, PeerRequest } from '../testing/fake-http.js';
import { pushoverConfigSchema } from './config.js';
import { pushoverSpec } from './index.js';

describeNotifier({
  name: 'pushover',
  spec: pushoverSpec,
  config: (peer, secret) => ({ api_url: `${peer.url}/1/messages.json`, ...secret('token'), user_key: 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG' }),
  ok: json({ status: 1, request: '647d2300-702c-4b38-8b2f-d56326ae460b' }),
  maxBodyBytes: 8 * 1024,
});

const APP = 'azGDORePK8gMaC0QOYAMyEEuzJnyUi';
const USER = 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG';

/** Pushover's Messages API: token, user and message required; emergency needs retry ≥ 30 and expire ≤ 10800. */
function messagesApi(req: PeerRequest): Answer {
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/1/messages.json');
  assert.equal(req.headers['content-type'], 'application/x-www-form-urlencoded');
  const f = new URLSearchParams(req.body);
  if (f.get('token') !== APP) return json({ token: 'invalid', errors: ['application token is invalid'], status: 0, request: 'r' }, 400);
  if (f.get('user') !== USER) return json({ user: 'invalid', errors: ['user identifier is invalid'], status: 0, request: 'r' }, 400);
  if (!f.get('message')) return json({ message: 'cannot be blank', errors: ['message cannot be blank'], status: 0, request: 'r' }, 400);
  if (f.get('priority') === '2' && (Number(f.get('retry')) < 30 || Number(f.get('expire')) > 10800)) return json({ errors: ['retry must be at least 30 seconds'], status: 0, request: 'r' }, 400);
  return json({ status: 1, request: 'r', ...(f.get('priority') === '2' ? { receipt: 'rLqVuqTRh62UzxtmqiaLzQmVcPgiCy' } : {}) });
}

test('an emergency notification while firing, from the global app token, with the incident as its URL', async () => {
  const s = await fakeHttp(messagesApi);
  try {
    const deps = testDeps({ secrets: { env: { PUSHOVER_TOKEN: APP }, readFile: () => '' } });
    const c = contactNotifier('pushover', USER, deps, globalSchema.parse({ pushover_token_env: 'PUSHOVER_TOKEN' }));
    assert.ok(c.ok);
    // The contact's API URL is Pushover's; point a receiver config at the fake instead.
    const { config } = pushoverSpec.applyGlobal(pushoverConfigSchema.parse({ user_key: USER, api_url: `${s.url}/1/messages.json`, callback: 'https://vigil.example/ack/x' }), globalSchema.parse({ pushover_token_env: 'PUSHOVER_TOKEN' }));
    assert.deepEqual(await pushoverSpec.create(config, deps).notify(SAMPLE_MESSAGE, { signal: new AbortController().signal }), { ok: true });
    const f = Object.fromEntries(new URLSearchParams(s.requests[0]?.body));
    assert.equal(f.title, '[FIRING:1] Conformance (critical)');
    assert.equal(f.priority, '2');
    assert.equal(f.retry, '60');
    assert.equal(f.expire, '3600');
    assert.equal(f.url, 'http://vigil.test/incidents/7');
    assert.equal(f.callback, 'https://vigil.example/ack/x');
    assert.match(f.message ?? '', /^conformance test\n\nAlerts Firing:\nLabels:\n - alertname = Conformance[\s\S]*Acknowledge: http:\/\/vigil.test\/ack\/tok1/);
    assert.ok(!s.requests[0]?.url.includes(APP), 'the token is not in the URL');
  } finally {
    await s.close();
  }
});

test('a wrong user key is permanent and says so', async () => {
  const s = await fakeHttp(messagesApi);
  try {
    const n = pushoverSpec.create(pushoverConfigSchema.parse({ api_url: `${s.url}/1/messages.json`, token: APP, user_key: 'someone-else-entirely' }), testDeps());
    assert.deepEqual(await n.notify(SAMPLE_MESSAGE, { signal: new AbortController().signal }), { ok: false, retryable: false, error: `pushover: http://127.0.0.1:${s.port} answered 400: user identifier is invalid` });
  } finally {
    await s.close();
  }
});

test('config errors', () => {
  assert.equal(pushoverConfigSchema.safeParse({ token: 'x' }).error?.issues[0]?.message, 'one of user_key or user_key_file must be configured');
  assert.equal(pushoverConfigSchema.safeParse({ token: 'x', user_key: 'y', html: true, monospace: true }).error?.issues[0]?.message, 'at most one of monospace & html must be configured');
});

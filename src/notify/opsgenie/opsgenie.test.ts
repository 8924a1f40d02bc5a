import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeNotifier, SAMPLE_MESSAGE } from '../describe-notifier.js';
import { globalSchema } from '../global.js';
import { dedupKey } from '../pagerduty/pagerduty.js';
import { testDeps } from '../testing/deps.js';
import { fakeHttp, json } from '../testing/fake-http.js';
import type { Answer, PeerRequest } from '../testing/fake-http.js';
import { opsgenieConfigSchema } from './config.js';
import { opsgenieSpec } from './index.js';

const ACCEPTED = json({ result: 'Request will be processed', took: 0.302, requestId: '43a29c5c-3dbf-4fa4-9c26-f4f71023e120' }, 202);

describeNotifier({
  name: 'opsgenie',
  spec: opsgenieSpec,
  config: (peer, secret) => ({ ...secret('api_key'), api_url: `${peer.url}/` }),
  ok: ACCEPTED,
  maxBodyBytes: 64 * 1024,
});

const KEY = 'eb243592-faa2-4ba2-a551q-1afdf565c889';

/** Opsgenie's Alert API v2: GenieKey auth, JSON, alias-addressed actions. */
function alertApi(req: PeerRequest): Answer {
  if (req.headers.authorization !== `GenieKey ${KEY}`) return json({ message: 'Could not authenticate', took: 0, requestId: 'r' }, 401);
  assert.match(String(req.headers['content-type']), /^application\/json/);
  const body = JSON.parse(req.body) as Record<string, unknown>;
  if (req.method === 'POST' && req.url === '/v2/alerts') {
    if (typeof body.message !== 'string' || body.message.length === 0 || body.message.length > 130) return json({ message: 'Request body is not processable', errors: { message: 'Message can not be empty.' }, took: 0, requestId: 'r' }, 422);
    assert.ok(typeof body.alias === 'string' && body.alias.length <= 512);
    for (const v of Object.values(body.details as Record<string, unknown>)) assert.equal(typeof v, 'string');
    return ACCEPTED;
  }
  assert.match(req.url, /^\/v2\/alerts\/[0-9a-f]{64}\/(close|acknowledge|message|description)\?identifierType=alias$/);
  return ACCEPTED;
}

const signal = () => new AbortController().signal;
const build = (cfg: Record<string, unknown>, global: Record<string, unknown> = {}) => {
  const { config, problems } = opsgenieSpec.applyGlobal(opsgenieConfigSchema.parse(cfg), globalSchema.parse(global));
  assert.deepEqual(problems, []);
  return opsgenieSpec.create(config, testDeps());
};

test('create with the group alias, then close it by alias once resolved; acknowledge in between', async () => {
  const s = await fakeHttp(alertApi);
  try {
    const n = build({ responders: [{ name: 'shop,payments', type: 'teams' }, { username: 'alice@example.com', type: 'User' }], tags: 'shop, critical', priority: 'P1' }, { opsgenie_api_url: `${s.url}/`, opsgenie_api_key: KEY });
    assert.deepEqual(await n.notify(SAMPLE_MESSAGE, { signal: signal() }), { ok: true });
    assert.deepEqual(await n.notify({ ...SAMPLE_MESSAGE, acknowledged: true }, { signal: signal() }), { ok: true });
    const resolved = { ...SAMPLE_MESSAGE, alerts: SAMPLE_MESSAGE.alerts.map((a) => ({ ...a, status: 'resolved' as const })) };
    assert.deepEqual(await n.notify(resolved, { signal: signal() }), { ok: true });
    const alias = dedupKey(SAMPLE_MESSAGE.groupKey);
    assert.deepEqual(
      s.requests.map((r) => `${r.method} ${r.url}`),
      ['POST /v2/alerts', `POST /v2/alerts/${alias}/acknowledge?identifierType=alias`, `POST /v2/alerts/${alias}/close?identifierType=alias`],
    );
    const create = JSON.parse(s.requests[0]?.body ?? '') as Record<string, unknown>;
    assert.equal(create.alias, alias);
    assert.equal(create.message, '[FIRING:1] Conformance (critical)');
    assert.equal(create.source, 'http://vigil.test/incidents/7');
    assert.deepEqual(create.details, { alertname: 'Conformance', severity: 'critical' });
    assert.deepEqual(create.responders, [{ name: 'shop', type: 'team' }, { name: 'payments', type: 'team' }, { username: 'alice@example.com', type: 'user' }]);
    assert.deepEqual(create.tags, ['shop', ' critical']);
    assert.equal(create.priority, 'P1');
    assert.match(String(create.description), /^conformance test\nAlerts Firing:\nLabels:\n - alertname = Conformance/);
    assert.deepEqual(JSON.parse(s.requests[2]?.body ?? ''), { source: 'http://vigil.test/incidents/7' });
  } finally {
    await s.close();
  }
});

test('update_alerts also updates the message and the description', async () => {
  const s = await fakeHttp(alertApi);
  try {
    assert.deepEqual(await build({ api_key: KEY, api_url: `${s.url}/`, update_alerts: true }).notify(SAMPLE_MESSAGE, { signal: signal() }), { ok: true });
    const alias = dedupKey(SAMPLE_MESSAGE.groupKey);
    assert.deepEqual(
      s.requests.map((r) => `${r.method} ${r.url}`),
      ['POST /v2/alerts', `PUT /v2/alerts/${alias}/message?identifierType=alias`, `PUT /v2/alerts/${alias}/description?identifierType=alias`],
    );
  } finally {
    await s.close();
  }
});

test('a refused key is permanent and quotes Opsgenie’s message', async () => {
  const s = await fakeHttp(alertApi);
  try {
    const r = await build({ api_key: 'wrong-key', api_url: `${s.url}/` }).notify(SAMPLE_MESSAGE, { signal: signal() });
    assert.deepEqual(r, { ok: false, retryable: false, error: `opsgenie: http://127.0.0.1:${s.port} answered 401: Could not authenticate` });
  } finally {
    await s.close();
  }
});

test('config: responders need an id, name or username and a known type; no key anywhere is a problem', () => {
  assert.match(opsgenieConfigSchema.safeParse({ responders: [{ type: 'team' }] }).error?.issues[0]?.message ?? '', /at least one of id, username or name/);
  assert.match(opsgenieConfigSchema.safeParse({ responders: [{ name: 'x', type: 'squad' }] }).error?.issues[0]?.message ?? '', /does not match valid options/);
  const { problems } = opsgenieSpec.applyGlobal(opsgenieConfigSchema.parse({}), globalSchema.parse({}));
  assert.match(problems[0]?.message ?? '', /no global OpsGenie API Key/);
});

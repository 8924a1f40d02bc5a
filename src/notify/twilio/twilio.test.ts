import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contactNotifier } from '../contact.js';
import { describeNotifier, SAMPLE_MESSAGE } from '../describe-notifier.js';
import { globalSchema } from '../global.js';
import { testDeps } from '../testing/deps.js';
import { fakeHttp, json } from '../testing/fake-http.js';
import type { Answer, PeerRequest } from '../testing/fake-http.js';
import { twilioConfigSchema } from './config.js';
import { twilioSpec } from './index.js';

for (const mode of ['sms', 'voice'] as const) {
  describeNotifier({
    name: `twilio (${mode})`,
    spec: twilioSpec,
    config: (peer, secret) => ({ mode, to: '+15551230001', from: '+15550000000', account_sid: 'AC0123', ...secret('auth_token'), api_url: peer.url }),
    ok: json({ sid: 'SM0001', status: 'queued' }, 201),
    maxBodyBytes: 16 * 1024,
  });
}

const ACCOUNT = 'AC00000000000000000000000000000001';
const TOKEN = 'twilio-auth-token';

/** Twilio's Messages and Calls resources as documented: Basic auth, form-encoded, To/From required. */
function twilioApi(req: PeerRequest): Answer {
  assert.equal(req.method, 'POST');
  const m = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/.exec(req.url);
  assert.ok(m, `path ${req.url}`);
  assert.equal(req.headers['content-type'], 'application/x-www-form-urlencoded');
  if (req.headers.authorization !== `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}` || m[1] !== ACCOUNT) {
    return json({ code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 }, 401);
  }
  const form = new URLSearchParams(req.body);
  if (!form.get('To')) return json({ code: 21604, message: "A 'To' phone number is required.", status: 400 }, 400);
  if (!/^\+[1-9]\d{6,14}$/.test(form.get('To') ?? '')) return json({ code: 21211, message: `The 'To' number ${form.get('To')} is not a valid phone number.`, status: 400 }, 400);
  if (!form.get('From') && !form.get('MessagingServiceSid')) return json({ code: 21603, message: "A 'From' phone number is required.", status: 400 }, 400);
  if (m[2] === 'Messages') {
    if (!form.get('Body')) return json({ code: 21602, message: 'Message body is required.', status: 400 }, 400);
    return json({ sid: 'SM0001', status: 'queued', body: form.get('Body') }, 201);
  }
  if (!form.get('Twiml') && !form.get('Url')) return json({ code: 21205, message: 'Url parameter is required.', status: 400 }, 400);
  return json({ sid: 'CA0001', status: 'queued' }, 201);
}

const signal = () => new AbortController().signal;

test('SMS: the subject with the ack and incident links, from the global account', async () => {
  const s = await fakeHttp(twilioApi);
  try {
    const global = globalSchema.parse({ twilio_api_url: s.url, twilio_account_sid: ACCOUNT, twilio_auth_token_env: 'TWILIO_TOKEN', twilio_from: '+15550000000' });
    const c = contactNotifier('sms', '+15551230001', testDeps({ secrets: { env: { TWILIO_TOKEN: TOKEN }, readFile: () => '' } }), global);
    assert.ok(c.ok);
    if (!c.ok) return;
    assert.deepEqual(await c.notifier.notify(SAMPLE_MESSAGE, { signal: signal() }), { ok: true });
    const form = new URLSearchParams(s.requests[0]?.body);
    assert.equal(s.requests[0]?.url, `/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
    assert.equal(form.get('To'), '+15551230001');
    assert.equal(form.get('From'), '+15550000000');
    assert.equal(form.get('Body'), '[FIRING:1] Conformance (critical)\nAck: http://vigil.test/ack/tok1\nhttp://vigil.test/incidents/7');
  } finally {
    await s.close();
  }
});

test('voice: a call whose TwiML says the alert twice, escaped', async () => {
  const s = await fakeHttp(twilioApi);
  try {
    const cfg = twilioConfigSchema.parse({ mode: 'voice', to: '+15551230001', from: '+15550000000', account_sid: ACCOUNT, auth_token: TOKEN, api_url: s.url, say_voice: 'Polly.Joanna' });
    const msg = { ...SAMPLE_MESSAGE, alerts: [{ ...SAMPLE_MESSAGE.alerts[0]!, annotations: { summary: 'disk < 5% & falling' } }] };
    assert.deepEqual(await twilioSpec.create(cfg, testDeps()).notify(msg, { signal: signal() }), { ok: true });
    assert.equal(s.requests[0]?.url, `/2010-04-01/Accounts/${ACCOUNT}/Calls.json`);
    assert.equal(
      new URLSearchParams(s.requests[0]?.body).get('Twiml'),
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say voice="Polly.Joanna" loop="2">This is Vigil. 1 alert is firing for Conformance. disk &lt; 5% &amp; falling</Say></Response>',
    );
  } finally {
    await s.close();
  }
});

test('Twilio’s error answer is quoted; a bad number is permanent, a wrong token too', async () => {
  const s = await fakeHttp(twilioApi);
  try {
    const bad = twilioSpec.create(twilioConfigSchema.parse({ to: '555', from: '+15550000000', account_sid: ACCOUNT, auth_token: TOKEN, api_url: s.url }), testDeps());
    assert.deepEqual(await bad.notify(SAMPLE_MESSAGE, { signal: signal() }), {
      ok: false,
      retryable: false,
      error: `twilio: http://127.0.0.1:${s.port} answered 400: 21211 The 'To' number 555 is not a valid phone number.`,
    });
    const wrong = twilioSpec.create(twilioConfigSchema.parse({ to: '+15551230001', from: '+15550000000', account_sid: ACCOUNT, auth_token: 'nope-nope', api_url: s.url }), testDeps());
    assert.deepEqual(await wrong.notify(SAMPLE_MESSAGE, { signal: signal() }), { ok: false, retryable: false, error: `twilio: http://127.0.0.1:${s.port} answered 401: 20003 Authenticate` });
  } finally {
    await s.close();
  }
});

test('config: account, token and sender are required somewhere; messaging_service_sid only for SMS', () => {
  const { problems } = twilioSpec.applyGlobal(twilioConfigSchema.parse({ to: '+1555' }), globalSchema.parse({}));
  assert.deepEqual(problems.map((p) => p.path.join('.')), ['account_sid', 'auth_token', 'from']);
  assert.match(twilioConfigSchema.safeParse({ to: '+1', mode: 'voice', messaging_service_sid: 'MG1' }).error?.issues[0]?.message ?? '', /for mode sms only/);
  assert.match(twilioConfigSchema.safeParse({ to: '+1', mode: 'fax' }).error?.issues[0]?.message ?? '', /mode must be sms or voice/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeNotifier, SAMPLE_MESSAGE } from '../describe-notifier.js';
import { testDeps } from '../testing/deps.js';
import { fakeHttp } from '../testing/fake-http.js';
import { msteamsv2ConfigSchema } from './config.js';
import { msteamsv2Spec } from './index.js';

describeNotifier({
  name: 'msteamsv2',
  spec: msteamsv2Spec,
  config: (peer, secret) => secret('webhook_url', (s) => `${peer.url}/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=${s}`),
  ok: { status: 202 },
  maxBodyBytes: 28 * 1024,
});

test('an Adaptive Card with the title coloured by status, the alert list and the links as buttons', async () => {
  const s = await fakeHttp((req) => {
    assert.equal(req.method, 'POST');
    assert.match(req.url, /^\/workflows\/abc\/triggers\/manual\/paths\/invoke\?api-version=2016-06-01&sig=/);
    assert.match(String(req.headers['content-type']), /^application\/json/);
    const m = JSON.parse(req.body) as { type: string; attachments: Array<{ contentType: string; content: { type: string; version: string; body: unknown[] } }> };
    assert.equal(m.type, 'message');
    assert.equal(m.attachments[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(m.attachments[0]?.content.type, 'AdaptiveCard');
    return { status: 202 };
  });
  try {
    const n = msteamsv2Spec.create(msteamsv2ConfigSchema.parse({ webhook_url: `${s.url}/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=zzzzzzzz` }), testDeps());
    assert.deepEqual(await n.notify(SAMPLE_MESSAGE, { signal: new AbortController().signal }), { ok: true });
    const content = (JSON.parse(s.requests[0]?.body ?? '') as { attachments: Array<{ contentUrl: null; content: Record<string, unknown> }> }).attachments[0];
    assert.equal(content?.contentUrl, null);
    assert.deepEqual(content?.content.body, [
      { type: 'TextBlock', text: '[FIRING:1] Conformance (critical)', weight: 'Bolder', size: 'Medium', wrap: true, style: 'heading', color: 'Attention' },
      {
        type: 'TextBlock',
        text: '\n\n# Alerts Firing:\n\nLabels:\n  - alertname = Conformance\n  - severity = critical\n\nAnnotations:\n  - summary = conformance test\n\nSource: http://vigil.test/graph\n\n\n\n\n',
        wrap: true,
      },
    ]);
    assert.deepEqual(content?.content.actions, [
      { type: 'Action.OpenUrl', title: 'Acknowledge', url: 'http://vigil.test/ack/tok1' },
      { type: 'Action.OpenUrl', title: 'Open incident', url: 'http://vigil.test/incidents/7' },
    ]);
    assert.deepEqual(content?.content.msteams, { width: 'full' });
  } finally {
    await s.close();
  }
});

test('config: a webhook URL is required', () => {
  assert.match(msteamsv2ConfigSchema.safeParse({}).error?.issues[0]?.message ?? '', /one of webhook_url/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeNotifier, SAMPLE_MESSAGE } from '../describe-notifier.js';
import { globalSchema } from '../global.js';
import type { NotificationMessage } from '../message.js';
import { testDeps } from '../testing/deps.js';
import { fakeHttp, json } from '../testing/fake-http.js';
import type { Answer, PeerRequest } from '../testing/fake-http.js';
import { pagerdutyConfigSchema } from './config.js';
import { pagerdutySpec } from './index.js';
import { dedupKey } from './pagerduty.js';

describeNotifier({
  name: 'pagerduty (Events API v2)',
  spec: pagerdutySpec,
  config: (peer, secret) => ({ ...secret('routing_key'), url: `${peer.url}/v2/enqueue` }),
  ok: json({ status: 'success', message: 'Event processed', dedup_key: 'x' }, 202),
  maxBodyBytes: 512_000,
});

describeNotifier({
  name: 'pagerduty (v1, service_key)',
  spec: pagerdutySpec,
  config: (peer, secret) => ({ ...secret('service_key'), url: `${peer.url}/v2/enqueue` }),
  ok: json({ status: 'success', message: 'Event processed', incident_key: 'x' }),
  maxBodyBytes: 512_000,
  retryStatuses: [403],
});

const ROUTING_KEY = 'R0123456789abcdef0123456789abcde';

/** The Events API v2 as documented: what a valid event must have, and its answers. */
function eventsV2(req: PeerRequest): Answer {
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/v2/enqueue');
  assert.match(String(req.headers['content-type']), /^application\/json/);
  const e = JSON.parse(req.body) as { routing_key?: string; event_action?: string; dedup_key?: string; payload?: { summary?: string; source?: string; severity?: string } };
  const errors: string[] = [];
  if (e.routing_key?.length !== 32) errors.push("Length of 'routing_key' is incorrect (should be 32 characters)");
  if (!['trigger', 'acknowledge', 'resolve'].includes(e.event_action ?? '')) errors.push("'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')");
  if (!e.dedup_key || e.dedup_key.length > 255) errors.push("'dedup_key' is invalid");
  if (e.event_action === 'trigger') {
    if (!e.payload?.summary) errors.push("'payload.summary' is missing or blank");
    if (!e.payload?.source) errors.push("'payload.source' is missing or blank");
    if (!['critical', 'error', 'warning', 'info'].includes(e.payload?.severity ?? '')) errors.push("'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')");
  }
  if (errors.length) return json({ status: 'invalid event', message: 'Event object is invalid', errors }, 400);
  return json({ status: 'success', message: 'Event processed', dedup_key: e.dedup_key }, 202);
}

const signal = () => new AbortController().signal;
const build = (cfg: Record<string, unknown>) => {
  const { config } = pagerdutySpec.applyGlobal(pagerdutyConfigSchema.parse(cfg), globalSchema.parse({}));
  return pagerdutySpec.create(config, testDeps());
};

test('trigger, acknowledge and resolve carry one dedup key per alert group', async () => {
  const s = await fakeHttp(eventsV2);
  try {
    const n = build({ routing_key: ROUTING_KEY, url: `${s.url}/v2/enqueue` });
    const resolved: NotificationMessage = { ...SAMPLE_MESSAGE, alerts: SAMPLE_MESSAGE.alerts.map((a) => ({ ...a, status: 'resolved' as const, endsAt: a.startsAt + 60_000 })) };
    for (const m of [SAMPLE_MESSAGE, { ...SAMPLE_MESSAGE, acknowledged: true }, resolved]) assert.deepEqual(await n.notify(m, { signal: signal() }), { ok: true });
    const events = s.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    assert.deepEqual(events.map((e) => e.event_action), ['trigger', 'acknowledge', 'resolve']);
    assert.deepEqual(new Set(events.map((e) => e.dedup_key)), new Set([dedupKey(SAMPLE_MESSAGE.groupKey)]));
    assert.deepEqual(events[0], {
      routing_key: ROUTING_KEY,
      dedup_key: dedupKey(SAMPLE_MESSAGE.groupKey),
      event_action: 'trigger',
      payload: {
        summary: '[FIRING:1] Conformance (critical)',
        source: 'Vigil',
        severity: 'error',
        custom_details: {
          firing: JSON.stringify([
            {
              status: 'firing',
              labels: { alertname: 'Conformance', severity: 'critical' },
              annotations: { summary: 'conformance test' },
              startsAt: '2026-01-01T00:00:00Z',
              endsAt: '0001-01-01T00:00:00Z',
              generatorURL: 'http://vigil.test/graph',
              fingerprint: '0123456789abcdef',
            },
          ]),
          resolved: '[]',
          num_firing: '1',
          num_resolved: '0',
        },
      },
      client: 'Vigil',
      client_url: 'http://vigil.test/incidents/7',
      links: [
        { href: 'http://vigil.test/ack/tok1', text: 'Acknowledge' },
        { href: 'http://vigil.test/incidents/7', text: 'Open incident' },
      ],
    });
  } finally {
    await s.close();
  }
});

test('PagerDuty’s 400 answer is quoted and not retried', async () => {
  const s = await fakeHttp(eventsV2);
  try {
    const r = await build({ routing_key: 'short', url: `${s.url}/v2/enqueue`, severity: 'bad' }).notify(SAMPLE_MESSAGE, { signal: signal() });
    assert.deepEqual(r, {
      ok: false,
      retryable: false,
      error: `pagerduty: http://127.0.0.1:${s.port} answered 400: Event object is invalid: Length of 'routing_key' is incorrect (should be 32 characters),'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')`,
    });
  } finally {
    await s.close();
  }
});

test('v1: service_key, event_type and incident_key on the generic API path', async () => {
  const s = await fakeHttp((req) => {
    assert.equal(req.url, '/generic/2010-04-15/create_event.json');
    return json({ status: 'success', message: 'Event processed', incident_key: 'k' });
  });
  try {
    assert.deepEqual(await build({ service_key: 'svc-key-1', url: `${s.url}/v2/enqueue` }).notify(SAMPLE_MESSAGE, { signal: signal() }), { ok: true });
    const e = JSON.parse(s.requests[0]?.body ?? '') as Record<string, unknown>;
    assert.equal(e.service_key, 'svc-key-1');
    assert.equal(e.event_type, 'trigger');
    assert.equal(e.incident_key, dedupKey(SAMPLE_MESSAGE.groupKey));
    assert.equal(e.description, '[FIRING:1] Conformance (critical)');
    assert.equal(e.client, 'Vigil');
  } finally {
    await s.close();
  }
});

test('an event over 512 KB loses its custom details instead of being refused', async () => {
  const s = await fakeHttp(eventsV2);
  try {
    const big = { ...SAMPLE_MESSAGE, alerts: Array.from({ length: 400 }, (_, i) => ({ ...SAMPLE_MESSAGE.alerts[0]!, annotations: { d: 'x'.repeat(2000) }, fingerprint: String(i) })) };
    assert.deepEqual(await build({ routing_key: ROUTING_KEY, url: `${s.url}/v2/enqueue` }).notify(big, { signal: signal() }), { ok: true });
    const e = JSON.parse(s.requests[0]?.body ?? '') as { payload: { custom_details: unknown } };
    assert.deepEqual(e.payload.custom_details, { error: 'Custom details have been removed because the original event exceeds the maximum size of 512KB' });
  } finally {
    await s.close();
  }
});

test('config: a key is required; source defaults to client; details keep the defaults beside custom ones', () => {
  assert.equal(pagerdutyConfigSchema.safeParse({}).error?.issues[0]?.message, 'missing service or routing key in PagerDuty config');
  const c = pagerdutyConfigSchema.parse({ routing_key: 'x', client: 'shop', details: { team: 'shop', firing: 'custom' } });
  assert.equal(c.source, 'shop');
  assert.deepEqual(Object.keys(c.details).sort(), ['firing', 'num_firing', 'num_resolved', 'resolved', 'team']);
  assert.equal(c.details.firing, 'custom');
});

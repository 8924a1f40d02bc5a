import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeNotifier, SAMPLE_MESSAGE } from '../describe-notifier.js';
import type { Peer } from '../describe-notifier.js';
import { logSpec } from './index.js';
import { formatLogLine, LogNotifier } from './log.js';

/** The log notifier's "vendor" is the log writer; it has no statuses to answer with. */
function writerPeer(): Peer & { lines: string[] } {
  const lines: string[] = [];
  return { url: '', port: 0, lines, received: () => lines, answer: () => undefined, close: async () => undefined };
}

describeNotifier({
  name: 'log',
  spec: logSpec,
  config: () => ({}),
  peer: async () => writerPeer(),
  deps: (peer) => ({ logLine: (l) => (peer as ReturnType<typeof writerPeer>).lines.push(l) }),
  maxBodyBytes: 4096,
  statuses: false,
  templated: false,
});

test('a throwing writer is a retryable failure', async () => {
  const n = new LogNotifier({ send_resolved: true }, () => {
    throw new Error('disk full');
  });
  assert.deepEqual(await n.notify(SAMPLE_MESSAGE, { signal: new AbortController().signal }), { ok: false, retryable: true, error: 'log: disk full' });
});

test('one readable line per notification', async () => {
  const lines: string[] = [];
  const n = new LogNotifier({ send_resolved: true }, (l) => lines.push(l));
  const alert = {
    status: 'firing' as const,
    labels: { alertname: 'shop-api-health', service: 'shop-api', severity: 'critical' },
    annotations: { summary: 'status 503 (expected 200)' },
    startsAt: 0,
    endsAt: 0,
    generatorURL: '',
    fingerprint: 'f',
  };
  assert.deepEqual(await n.notify({ receiver: 'ops-webhook', groupKey: 'k', groupLabels: {}, alerts: [alert] }, { signal: new AbortController().signal }), { ok: true });
  assert.deepEqual(lines, ['[FIRING:1] shop-api-health (service=shop-api severity=critical) -> receiver ops-webhook: status 503 (expected 200)']);
});

test('a resolved alert reads as recovered, with how long it failed, not as the failure again', () => {
  const failing = {
    status: 'resolved' as const,
    labels: { alertname: 'shop-api-health', service: 'shop-api', severity: 'critical' },
    annotations: { summary: 'shop-api-health is failing', description: 'status 503 (expected 200)' },
    startsAt: Date.UTC(2026, 0, 1, 4, 37, 8),
    endsAt: Date.UTC(2026, 0, 1, 4, 37, 49),
    generatorURL: '',
    fingerprint: 'f',
  };
  assert.equal(
    formatLogLine({ receiver: 'console', groupKey: 'k', groupLabels: {}, alerts: [failing] }),
    '[RESOLVED] shop-api-health (service=shop-api severity=critical) -> receiver console: recovered after 41s (was: status 503 (expected 200))',
  );
  const long = { ...failing, endsAt: failing.startsAt + 3 * 3600_000 + 20 * 60_000 + 17_000 };
  assert.match(formatLogLine({ receiver: 'console', groupKey: 'k', groupLabels: {}, alerts: [long] }), /recovered after 3h20m \(was:/);
  const two = [failing, { ...failing, labels: { ...failing.labels, service: 'cart' }, fingerprint: 'g' }];
  assert.equal(formatLogLine({ receiver: 'console', groupKey: 'k', groupLabels: {}, alerts: two }), '[RESOLVED] shop-api-health (severity=critical) -> receiver console: 2 alerts recovered');
  assert.equal(
    formatLogLine({ ...SAMPLE_MESSAGE, alerts: SAMPLE_MESSAGE.alerts.map((a) => ({ ...a, status: 'resolved' as const })) }),
    '[RESOLVED] Conformance (severity=critical) -> receiver conformance: recovered (was: conformance test)',
  );
});

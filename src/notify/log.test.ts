import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeNotifier, SAMPLE_MESSAGE } from './describe-notifier.js';
import { formatLogLine, LogNotifier } from './log.js';

describeNotifier({
  name: 'log',
  outcomes: ['ok', 'retryable'],
  async make(outcome) {
    return {
      notifier: new LogNotifier({ send_resolved: true }, () => {
        if (outcome !== 'ok') throw new Error('disk full');
      }),
    };
  },
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
  assert.equal(
    formatLogLine({ ...SAMPLE_MESSAGE, alerts: SAMPLE_MESSAGE.alerts.map((a) => ({ ...a, status: 'resolved' as const })) }),
    '[RESOLVED] Conformance (severity=critical) -> receiver conformance: conformance test',
  );
});

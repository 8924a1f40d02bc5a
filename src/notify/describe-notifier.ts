import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NotificationMessage } from './message.js';
import type { Notifier, NotifyResult } from './notifier.js';

/** A delivery outcome a harness can arrange for its notifier. */
export type Outcome = 'ok' | 'retryable' | 'permanent';

export interface NotifierHarness {
  readonly name: string;
  /** The outcomes this notifier type can produce (a log notifier has no permanent failure). */
  readonly outcomes: readonly Outcome[];
  /**
   * A notifier whose next delivery ends in `outcome`, configured with `secret` as a credential
   * (token, password, URL userinfo). `cleanup` releases servers and the like.
   */
  make(outcome: Outcome, secret: string): Promise<{ notifier: Notifier; cleanup?: () => Promise<void> }>;
}

export const SAMPLE_MESSAGE: NotificationMessage = {
  receiver: 'conformance',
  groupKey: '{}:{alertname="Conformance"}',
  groupLabels: { alertname: 'Conformance' },
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'Conformance', severity: 'critical' },
      annotations: { summary: 'conformance test' },
      startsAt: Date.UTC(2026, 0, 1),
      endsAt: 0,
      generatorURL: 'http://vigil.test/graph',
      fingerprint: '0123456789abcdef',
    },
  ],
};

/**
 * The contract every notifier's test runs: the retryable flag follows the outcome, notify()
 * never throws (also when aborted), and no error text carries the configured secret.
 */
export function describeNotifier(harness: NotifierHarness): void {
  const secret = 's3cr3t-Token-Xy9';
  const run = async (outcome: Outcome, signal = new AbortController().signal): Promise<NotifyResult> => {
    const { notifier, cleanup } = await harness.make(outcome, secret);
    try {
      return await notifier.notify(SAMPLE_MESSAGE, { signal });
    } finally {
      await cleanup?.();
    }
  };

  describe(`notifier conformance: ${harness.name}`, () => {
    for (const outcome of harness.outcomes) {
      test(`${outcome}: result and retry flag`, async () => {
        const r = await run(outcome);
        if (outcome === 'ok') {
          assert.deepEqual(r, { ok: true });
          return;
        }
        assert.equal(r.ok, false);
        if (r.ok) return;
        assert.equal(r.retryable, outcome === 'retryable', `retryable for ${outcome}: ${r.error}`);
        assert.ok(r.error.length > 0);
        assert.ok(!r.error.includes(secret), `error leaks the secret: ${r.error}`);
        assert.doesNotThrow(() => JSON.stringify(r));
      });
    }

    test('an aborted delivery resolves (never throws) and leaks no secret', async () => {
      const ac = new AbortController();
      ac.abort();
      const outcome = harness.outcomes[0] ?? 'ok';
      const r = await run(outcome, ac.signal);
      if (!r.ok) {
        assert.equal(r.retryable, true);
        assert.ok(!r.error.includes(secret), `error leaks the secret: ${r.error}`);
      }
    });
  });
}

import { newMatcher } from '../model/matcher.js';
import { isStaleNaN } from '../model/sample.js';
import type { Queryable } from '../storage/index.js';
import type { AlertingRule } from './alerting-rule.js';
import { labelsKey } from './labels-util.js';

/**
 * Restores how long pending alerts had been pending before a restart, from the
 * ALERTS_FOR_STATE series written before it (Prometheus's Group.RestoreForState):
 *
 * - only rules whose `for` is at least `forGracePeriod`, and only series with a sample within
 *   `outageTolerance` before now; a stale last sample means the alert was not active;
 * - an alert that would fire within the grace period is pushed back so it fires
 *   `forGracePeriod` from now; otherwise its pending time is shifted by the downtime.
 *
 * Every rule is marked restored afterwards, so its ALERTS series are written from then on.
 */
export async function restoreForState(
  rules: readonly AlertingRule[],
  queryable: Queryable,
  now: number,
  outageToleranceMs: number,
  forGracePeriodMs: number,
  onError: (msg: string, err: unknown) => void,
): Promise<void> {
  const mint = now - outageToleranceMs;
  let querier;
  try {
    querier = await queryable.querier(mint, now);
  } catch (e) {
    onError('failed to get querier to restore alert state', e);
    for (const r of rules) r.restored = true;
    return;
  }
  try {
    for (const rule of rules) {
      const hold = rule.holdMs;
      if (hold < forGracePeriodMs) {
        rule.restored = true;
        continue;
      }
      let series;
      try {
        const matchers = Object.entries(rule.forStateMatchers()).map(([k, v]) => newMatcher('=', k, v));
        series = await querier.select(matchers, { start: mint, end: now });
      } catch (e) {
        onError(`failed to restore 'for' state of ${rule.name}`, e);
        rule.restored = true;
        continue;
      }
      const byLabels = new Map<string, { t: number; v: number }>();
      for (const s of series) {
        const n = s.timestamps.length;
        if (n === 0) continue;
        const l: Record<string, string> = { ...s.labels };
        delete l['__name__'];
        byLabels.set(labelsKey(l), { t: s.timestamps[n - 1] as number, v: s.values[n - 1] as number });
      }
      for (const a of rule.active.values()) {
        const last = byLabels.get(labelsKey(a.labels));
        if (!last || isStaleNaN(last.v)) continue;
        const downAt = Math.floor(last.t / 1000) * 1000;
        let activeAt = last.v * 1000;
        const remaining = hold - (downAt - activeAt);
        if (remaining <= 0) {
          // It was firing when the server went down: the next evaluation fires it again.
        } else if (remaining < forGracePeriodMs) activeAt = now + forGracePeriodMs - hold;
        else activeAt += now - downAt;
        a.activeAt = activeAt;
      }
      rule.restored = true;
    }
  } finally {
    querier.close();
  }
}

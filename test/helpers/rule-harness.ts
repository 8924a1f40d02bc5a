import { FakeClock } from '../../src/model/clock.js';
import { MemoryQueryable } from '../../src/storage/memory.js';
import { Engine, formatExpr, parseExpr } from '../../src/promql/index.js';
import { RuleManager, type RuleSettings } from '../../src/rules/index.js';
import type { QueryFn, RuleAlertOut } from '../../src/rules/index.js';

/** A rule manager over an in-memory store and the real PromQL engine, driven by a fake clock. */
export function harness(opts: { start?: number; settings?: Partial<RuleSettings>; store?: MemoryQueryable; clock?: FakeClock } = {}) {
  const clock = opts.clock ?? new FakeClock(opts.start ?? Date.UTC(2026, 0, 1));
  const store = opts.store ?? new MemoryQueryable();
  const engine = new Engine();
  const query: QueryFn = async (expr, t) => {
    const r = await engine.instantQuery(store, expr, t);
    if (r.resultType === 'vector') return r.result.map((s) => ({ labels: s.labels, t: s.t, v: s.v }));
    if (r.resultType === 'scalar') return [{ labels: {}, t: r.result.t, v: r.result.v }];
    throw new Error('rule result is not a vector or scalar');
  };
  const sent: Array<{ at: number; alerts: readonly RuleAlertOut[] }> = [];
  let t = 0;
  const manager = new RuleManager({
    query,
    parseExpr: (s) => formatExpr(parseExpr(s)),
    appendable: store,
    restoreFrom: store,
    notify: (alerts) => sent.push({ at: clock.now(), alerts }),
    clock,
    now: () => t,
    settings: {
      evaluationIntervalMs: 60_000,
      externalLabels: {},
      outageToleranceMs: 3600_000,
      forGracePeriodMs: 600_000,
      resendDelayMs: 60_000,
      queryOffsetMs: 0,
      ...opts.settings,
    },
  });
  return { clock, store, manager, sent, query, tick: (ms: number) => (t += ms) };
}

import type { Clock, TimerHandle } from '../model/clock.js';
import type { Labels } from '../model/labels.js';
import { staleNaN } from '../model/sample.js';
import type { Appendable, Queryable } from '../storage/index.js';
import { AlertingRule } from './alerting-rule.js';
import { evalSlot, groupOffsetNs } from './eval-offset.js';
import { labelsKey } from './labels-util.js';
import { restoreForState } from './restore.js';
import type { RuleBase } from './rule.js';
import { queryEscape } from '../template/index.js';
import type { NotifyFn, QueryFn, QuerySample, RulesLogger } from './types.js';

/** What every group of one manager shares. */
export interface GroupDeps {
  readonly clock: Clock;
  readonly query: QueryFn;
  readonly appendable: Appendable;
  /** Where ALERTS_FOR_STATE is read back from to restore `for` state; absent: no restore. */
  readonly restoreFrom?: Queryable;
  readonly notify: NotifyFn;
  readonly logger: RulesLogger;
  readonly externalLabels: Labels;
  readonly externalURL?: URL;
  readonly resendDelayMs: number;
  readonly outageToleranceMs: number;
  readonly forGracePeriodMs: number;
  /** Wall-clock time for measuring evaluation durations (ms, fractional). */
  readonly now: () => number;
  readonly onTemplateError: (err: Error, group: Group, rule: RuleBase) => void;
}

/** Counters and gauges Prometheus exports per group (prometheus_rule_group_*), read by the metrics. */
export interface GroupCounters {
  evaluations: number;
  failures: number;
  iterations: number;
  missed: number;
  samples: number;
}

/**
 * A rule group: its rules evaluated one after another at the group's interval, at the slot its
 * hash gives it. Keeps what Prometheus keeps between evaluations: the series each rule wrote
 * (to write staleness markers when they vanish), and its rules' alerts.
 */
export class Group {
  readonly key: string;
  readonly offsetNs: bigint;
  /** Per rule: the series it wrote last time, by label key. */
  seriesInPreviousEval: Array<Map<string, Labels>>;
  /** Series of rules that are gone; marked stale at the next evaluation. */
  staleSeries: Labels[] = [];
  /** Seconds the last evaluation took. */
  evaluationTime = 0;
  /** Wall-clock start of the last evaluation (ms, 0 = never). */
  lastEvaluation = 0;
  /** The slot of the last evaluation (ms). */
  lastEvalTimestamp = 0;
  readonly counters: GroupCounters = { evaluations: 0, failures: 0, iterations: 0, missed: 0, samples: 0 };
  shouldRestore: boolean;
  private timer: TimerHandle | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;
  private abort = new AbortController();
  private readonly pendingCommits = new Set<Promise<void>>();

  constructor(
    readonly name: string,
    readonly file: string,
    readonly intervalMs: number,
    readonly queryOffsetMs: number,
    readonly limit: number,
    readonly rules: readonly RuleBase[],
    private readonly deps: GroupDeps,
    shouldRestore: boolean,
  ) {
    this.key = `${file};${name}`;
    this.offsetNs = groupOffsetNs(file, name, intervalMs);
    this.seriesInPreviousEval = rules.map(() => new Map());
    this.shouldRestore = shouldRestore;
  }

  /** The latest slot at or before `t` (ms). */
  evalTimestamp(t: number): number {
    return evalSlot(t, this.intervalMs, this.offsetNs);
  }

  /** Starts the loop: the first evaluation at the next slot, then one per interval. */
  start(): void {
    let slot = this.evalTimestamp(this.deps.clock.now()) + this.intervalMs;
    let restorePending = this.shouldRestore;
    const tick = (): void => {
      this.timer = undefined;
      if (this.stopped) return;
      const now = this.deps.clock.now();
      const missed = Math.floor((now - slot) / this.intervalMs);
      if (missed > 0) {
        this.counters.missed += missed;
        this.counters.iterations += missed;
        slot += missed * this.intervalMs;
      }
      const at = slot;
      this.running = this.iterate(at).then(async () => {
        // Prometheus restores after the second evaluation: the first may lack recent data.
        if (restorePending && at !== firstSlot) {
          restorePending = false;
          await this.restore(this.deps.clock.now());
        }
        if (this.stopped) return;
        slot = at + this.intervalMs;
        this.timer = this.deps.clock.setTimeout(tick, slot - this.deps.clock.now());
      });
    };
    const firstSlot = slot;
    this.timer = this.deps.clock.setTimeout(tick, slot - this.deps.clock.now());
  }

  /** Stops the loop and waits for an evaluation in progress (its queries are cancelled). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.abort.abort();
    await this.running?.catch(() => undefined);
    await this.flushed();
  }

  /** One scheduled evaluation with its bookkeeping (DefaultEvalIterationFunc). */
  async iterate(ts: number): Promise<void> {
    this.counters.iterations++;
    const start = this.deps.now();
    const wall = this.deps.clock.now();
    await this.eval(ts);
    this.evaluationTime = (this.deps.now() - start) / 1000;
    this.lastEvaluation = wall;
    this.lastEvalTimestamp = ts;
  }

  /** Evaluates every rule in order at slot `ts`, appends their output, and marks vanished series stale. */
  async eval(ts: number): Promise<void> {
    const { deps } = this;
    let samples = 0;
    for (let i = 0; i < this.rules.length; i++) {
      if (this.stopped) break;
      const rule = this.rules[i] as RuleBase;
      const start = deps.now();
      const wall = deps.clock.now();
      this.counters.evaluations++;
      let vector: QuerySample[];
      try {
        vector = await rule.eval({
          ts,
          queryOffset: this.queryOffsetMs,
          query: deps.query,
          limit: this.limit,
          signal: this.abort.signal,
          onTemplateError: (err, r) => deps.onTemplateError(err, this, r),
          ...(deps.externalURL ? { externalURL: deps.externalURL } : {}),
        });
      } catch (e) {
        rule.health = 'err';
        rule.lastError = (e as Error).message;
        this.counters.failures++;
        if (!this.abort.signal.aborted) deps.logger.warn({ group: this.name, file: this.file, rule: rule.name, err: (e as Error).message }, 'evaluating rule failed');
        rule.evaluationTime = (deps.now() - start) / 1000;
        rule.lastEvaluation = wall;
        continue;
      }
      rule.health = 'ok';
      rule.lastError = undefined;
      samples += vector.length;
      if (rule instanceof AlertingRule) this.sendAlerts(rule, ts);
      this.append(i, rule, vector, ts);
      rule.evaluationTime = (deps.now() - start) / 1000;
      rule.lastEvaluation = wall;
    }
    this.counters.samples = samples;
    this.cleanupStaleSeries(ts);
  }

  /** Resolves once every commit started so far has settled (tests, and stop()). */
  async flushed(): Promise<void> {
    while (this.pendingCommits.size > 0) await Promise.all([...this.pendingCommits]);
  }

  private sendAlerts(rule: AlertingRule, ts: number): void {
    const url = `${this.deps.externalURL ? externalURLString(this.deps.externalURL) : ''}/graph?g0.expr=${queryEscape(rule.expr)}&g0.tab=1`;
    const alerts = rule.alertsToSend(ts, this.deps.resendDelayMs, this.intervalMs, this.deps.externalLabels, url);
    if (alerts.length > 0) this.deps.notify(alerts, { group: this.name, file: this.file, rule: rule.name, expr: rule.expr });
  }

  /**
   * Appends a rule's output and staleness markers for its series that vanished. The commit makes
   * the samples visible at once (the next rule may read them); its durability (the WAL sync) is
   * not waited for — Prometheus's evaluation does not wait for one either — and a commit that
   * fails later marks the rule unhealthy and restores what it wrote before.
   */
  private append(i: number, rule: RuleBase, vector: readonly QuerySample[], ts: number): void {
    const { deps } = this;
    const app = deps.appendable.appender();
    const returned = new Map<string, Labels>();
    let rejected = 0;
    let firstError: string | undefined;
    for (const s of vector) {
      try {
        app.append(s.labels, s.t, s.v);
        returned.set(labelsKey(s.labels), s.labels);
      } catch (e) {
        rejected++;
        firstError ??= (e as Error).message;
      }
    }
    if (firstError !== undefined) {
      rule.health = 'err';
      rule.lastError = firstError;
      deps.logger.warn({ group: this.name, rule: rule.name, dropped: rejected, err: firstError }, 'rule evaluation results discarded');
    }
    const prev = this.seriesInPreviousEval[i] as Map<string, Labels>;
    const stale = staleNaN();
    for (const [k, l] of prev) {
      if (returned.has(k)) continue;
      try {
        app.append(l, ts - this.queryOffsetMs, stale);
      } catch {
        // Out of order or duplicate: another rule writes this series now.
      }
    }
    this.seriesInPreviousEval[i] = returned;
    this.track(
      app.commit().catch((e: unknown) => {
        if (this.seriesInPreviousEval[i] === returned) this.seriesInPreviousEval[i] = prev;
        rule.health = 'err';
        rule.lastError = (e as Error).message;
        this.counters.failures++;
        deps.logger.warn({ group: this.name, rule: rule.name, err: (e as Error).message }, 'rule sample appending failed');
      }),
    );
  }

  private track(p: Promise<void>): void {
    this.pendingCommits.add(p);
    void p.finally(() => this.pendingCommits.delete(p));
  }

  /** Writes staleness markers for the series of rules that no longer exist. */
  cleanupStaleSeries(ts: number): void {
    if (this.staleSeries.length === 0) return;
    const app = this.deps.appendable.appender();
    const stale = staleNaN();
    for (const l of this.staleSeries) {
      try {
        app.append(l, ts - this.queryOffsetMs, stale);
      } catch {
        // Expected when another rule now writes the series.
      }
    }
    const marked = this.staleSeries;
    this.staleSeries = [];
    this.track(
      app.commit().catch((e: unknown) => {
        this.staleSeries = [...marked, ...this.staleSeries];
        this.deps.logger.warn({ group: this.name, err: (e as Error).message }, 'stale sample appending for previous configuration failed');
      }),
    );
  }

  /** Restores the `for` state of this group's alerts from ALERTS_FOR_STATE (see restore.ts). */
  async restore(now: number): Promise<void> {
    this.shouldRestore = false;
    const alerting = this.rules.filter((r): r is AlertingRule => r instanceof AlertingRule);
    if (!this.deps.restoreFrom) {
      for (const r of alerting) r.restored = true;
      return;
    }
    await restoreForState(alerting, this.deps.restoreFrom, now, this.deps.outageToleranceMs, this.deps.forGracePeriodMs, (msg, err) =>
      this.deps.logger.error({ group: this.name, err }, msg),
    );
  }

  /** Takes over a replaced group's state, as Prometheus's Group.CopyState. */
  copyState(from: Group): void {
    Object.assign(this.counters, from.counters);
    this.evaluationTime = from.evaluationTime;
    this.lastEvaluation = from.lastEvaluation;
    const byKey = new Map<string, number[]>();
    from.rules.forEach((r, i) => byKey.set(r.nameAndLabels(), [...(byKey.get(r.nameAndLabels()) ?? []), i]));
    this.rules.forEach((r, i) => {
      const idx = byKey.get(r.nameAndLabels());
      if (!idx || idx.length === 0) return;
      const fi = idx.shift() as number;
      this.seriesInPreviousEval[i] = from.seriesInPreviousEval[fi] as Map<string, Labels>;
      const old = from.rules[fi];
      if (r instanceof AlertingRule && old instanceof AlertingRule) for (const [k, a] of old.active) r.active.set(k, a);
    });
    this.staleSeries = [...from.staleSeries];
    for (const [, idx] of byKey) for (const fi of idx) for (const l of (from.seriesInPreviousEval[fi] as Map<string, Labels>).values()) this.staleSeries.push(l);
  }

  /** Every series this group's rules wrote last time (to mark stale when the group is removed). */
  allSeries(): Labels[] {
    return [...this.staleSeries, ...this.seriesInPreviousEval.flatMap((m) => [...m.values()])];
  }

  /** Whether `other` is the same group (a reload keeps this one running then). */
  equals(other: Group): boolean {
    return (
      this.name === other.name &&
      this.file === other.file &&
      this.intervalMs === other.intervalMs &&
      this.limit === other.limit &&
      this.queryOffsetMs === other.queryOffsetMs &&
      this.rules.length === other.rules.length &&
      this.rules.every((r, i) => r.identity() === (other.rules[i] as RuleBase).identity())
    );
  }
}

function externalURLString(u: URL): string {
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

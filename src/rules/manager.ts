import type { Clock } from '../model/clock.js';
import type { Labels } from '../model/labels.js';
import { staleNaN } from '../model/sample.js';
import type { Appendable, Queryable } from '../storage/index.js';
import { AlertingRule } from './alerting-rule.js';
import { Group, type GroupDeps } from './group.js';
import { mergeLabels } from './labels-util.js';
import { RecordingRule } from './recording-rule.js';
import type { RuleBase } from './rule.js';
import { formatIssue, validateGroups, type GroupSpec, type SpecIssue } from './spec.js';
import { nopLogger, type NotifyFn, type ParseExprFn, type QueryFn, type RulesLogger } from './types.js';

export interface RuleManagerOptions {
  readonly query: QueryFn;
  readonly parseExpr: ParseExprFn;
  readonly appendable: Appendable;
  /** Where ALERTS_FOR_STATE is read back to restore `for` state after a restart. */
  readonly restoreFrom?: Queryable;
  readonly notify: NotifyFn;
  readonly clock: Clock;
  readonly logger?: RulesLogger;
  /** Defaults of the `rules:` section; see RuleSettings. */
  readonly settings: RuleSettings;
  /** For measuring evaluation durations; default performance.now(). */
  readonly now?: () => number;
  /** Called for every template expansion that failed (the rule still evaluates). */
  readonly onTemplateError?: (err: Error, group: string, rule: string) => void;
}

/** The `rules:` settings, with Prometheus's `--rules.alert.*` meanings. Durations in ms. */
export interface RuleSettings {
  readonly evaluationIntervalMs: number;
  readonly externalLabels: Labels;
  readonly externalURL?: URL;
  readonly outageToleranceMs: number;
  readonly forGracePeriodMs: number;
  readonly resendDelayMs: number;
  /** Default `query_offset` of groups that set none. */
  readonly queryOffsetMs: number;
}

export const DEFAULT_SETTINGS: RuleSettings = {
  evaluationIntervalMs: 60_000,
  externalLabels: {},
  outageToleranceMs: 3600_000,
  forGracePeriodMs: 600_000,
  resendDelayMs: 60_000,
  queryOffsetMs: 0,
};

/** Groups that failed validation: nothing was changed. */
export class RuleLoadError extends Error {
  override name = 'RuleLoadError';
  constructor(readonly issues: readonly string[]) {
    super(`error loading rules: ${issues.join('; ')}`);
  }
}

/**
 * Runs rule groups (Prometheus's rules.Manager). Groups come from named sources — rule files,
 * and whatever else generates groups (SLOs) — and `update(source, groups)` replaces one
 * source's groups: unchanged groups keep running, changed ones take over their predecessor's
 * state, removed ones stop and have their series marked stale two intervals later. A source
 * whose groups do not validate changes nothing.
 */
export class RuleManager {
  private groupsByKey = new Map<string, { group: Group; source: string }>();
  private started = false;
  private stopped = false;
  private restoredOnce = false;
  private deps: GroupDeps;
  private settings: RuleSettings;
  private readonly specsBySource = new Map<string, readonly GroupSpec[]>();
  private readonly pendingStale = new Set<ReturnType<Clock['setTimeout']>>();

  constructor(private readonly opts: RuleManagerOptions) {
    this.settings = opts.settings;
    this.deps = this.makeDeps(opts.settings);
  }

  private makeDeps(s: RuleSettings): GroupDeps {
    const opts = this.opts;
    const logger = opts.logger ?? nopLogger;
    return {
      clock: opts.clock,
      query: opts.query,
      appendable: opts.appendable,
      ...(opts.restoreFrom ? { restoreFrom: opts.restoreFrom } : {}),
      notify: opts.notify,
      logger,
      externalLabels: s.externalLabels,
      ...(s.externalURL ? { externalURL: s.externalURL } : {}),
      resendDelayMs: s.resendDelayMs,
      outageToleranceMs: s.outageToleranceMs,
      forGracePeriodMs: s.forGracePeriodMs,
      now: opts.now ?? (() => performance.now()),
      onTemplateError: (err, g, r) => {
        logger.warn({ group: g.name, rule: r.name, err: err.message }, 'expanding alert template failed');
        opts.onTemplateError?.(err, g.name, r.name);
      },
    };
  }

  /**
   * Applies new settings (a reload of the `rules:` section). When they differ, every group is
   * rebuilt with them and takes over its predecessor's state, as a changed group does.
   */
  async reconfigure(settings: RuleSettings): Promise<void> {
    const same = JSON.stringify({ ...settings, externalURL: settings.externalURL?.href }) === JSON.stringify({ ...this.settings, externalURL: this.settings.externalURL?.href });
    if (same) return;
    this.settings = settings;
    this.deps = this.makeDeps(settings);
    for (const [source, specs] of this.specsBySource) await this.update(source, specs, true);
  }

  /** Validates groups without loading them: Prometheus's messages, one per problem. */
  check(groups: readonly GroupSpec[]): SpecIssue[] {
    return validateGroups(groups, this.opts.parseExpr);
  }

  /** Builds rule objects for groups (already validated). */
  private build(specs: readonly GroupSpec[], shouldRestore: boolean): Group[] {
    const s = this.settings;
    const externalURL = s.externalURL ? `${s.externalURL.origin}${s.externalURL.pathname.replace(/\/+$/, '')}` : '';
    return specs.map((g) => {
      const rules: RuleBase[] = g.rules.map((r) => {
        const expr = this.opts.parseExpr(r.expr);
        const labels = mergeLabels(g.labels, r.labels);
        if (r.alert) {
          return new AlertingRule({
            name: r.alert,
            expr,
            holdMs: r.for ?? 0,
            keepFiringForMs: r.keepFiringFor ?? 0,
            labels,
            annotations: { ...(r.annotations ?? {}) },
            externalLabels: s.externalLabels,
            externalURL,
            restored: !shouldRestore,
          });
        }
        return new RecordingRule(r.record as string, expr, labels);
      });
      return new Group(g.name, g.file, g.interval || s.evaluationIntervalMs, g.queryOffset ?? s.queryOffsetMs, g.limit ?? 0, rules, this.deps, shouldRestore);
    });
  }

  /**
   * Replaces the groups of `source` with `specs`. Throws RuleLoadError (and changes nothing) when
   * any group is invalid. Groups restore their `for` state only on the manager's first load.
   */
  async update(source: string, specs: readonly GroupSpec[], rebuildAll = false): Promise<void> {
    if (this.stopped) return;
    const issues = this.check(specs);
    if (issues.length > 0) throw new RuleLoadError(issues.map((i) => `${specs[i.groupIndex]?.file ?? ''}: ${formatIssue(i)}`));
    for (const g of specs) {
      const other = this.groupsByKey.get(`${g.file};${g.name}`);
      if (other && other.source !== source) throw new RuleLoadError([`${g.file}: group "${g.name}" is already loaded from ${other.source}`]);
    }
    const shouldRestore = !this.restoredOnce;
    this.restoredOnce = true;
    this.specsBySource.set(source, specs);
    const fresh = this.build(specs, shouldRestore);
    const next = new Map<string, { group: Group; source: string }>();
    for (const [k, v] of this.groupsByKey) if (v.source !== source) next.set(k, v);
    const stops: Array<Promise<void>> = [];
    for (const g of fresh) {
      const old = this.groupsByKey.get(g.key);
      if (old && !rebuildAll && old.group.equals(g)) {
        next.set(g.key, old);
        continue;
      }
      next.set(g.key, { group: g, source });
      stops.push(
        (async () => {
          if (old) {
            await old.group.stop();
            g.copyState(old.group);
          }
          if (this.started && !this.stopped) g.start();
        })(),
      );
    }
    const freshKeys = new Set(fresh.map((g) => g.key));
    for (const [k, v] of this.groupsByKey) {
      if (v.source !== source || freshKeys.has(k)) continue;
      stops.push(v.group.stop().then(() => this.markStaleLater(v.group)));
    }
    this.groupsByKey = next;
    await Promise.all(stops);
  }

  /** A removed group's series are marked stale after two of its intervals (renamed rules take over first). */
  private markStaleLater(g: Group): void {
    const series = g.allSeries();
    if (series.length === 0) return;
    const at = this.opts.clock.now();
    const h = this.opts.clock.setTimeout(() => {
      this.pendingStale.delete(h);
      if (this.stopped) return;
      const app = this.opts.appendable.appender();
      const stale = staleNaN();
      for (const l of series) {
        try {
          app.append(l, at, stale);
        } catch {
          // Another rule writes the series now.
        }
      }
      app.commit().catch((e: unknown) => this.deps.logger.warn({ group: g.name, err: (e as Error).message }, 'stale sample appending for removed group failed'));
    }, 2 * g.intervalMs);
    this.pendingStale.add(h);
  }

  /**
   * Builds groups without running them (promtool's LoadGroups), for callers that evaluate them
   * themselves (`vigil rules test`): validated, alerting rules already restored. Throws RuleLoadError.
   */
  loadGroups(specs: readonly GroupSpec[]): Group[] {
    const issues = this.check(specs);
    if (issues.length > 0) throw new RuleLoadError(issues.map((i) => `${specs[i.groupIndex]?.file ?? ''}: ${formatIssue(i)}`));
    return this.build(specs, false);
  }

  /** Starts evaluating (until then groups only load: storage may still be replaying). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    for (const { group } of this.groupsByKey.values()) group.start();
  }

  /** Evaluation defaults in effect. */
  get currentSettings(): RuleSettings {
    return this.settings;
  }

  /** Stops every group and waits for evaluations in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const h of this.pendingStale) this.opts.clock.clearTimeout(h);
    this.pendingStale.clear();
    await Promise.all([...this.groupsByKey.values()].map(({ group }) => group.stop()));
  }

  /** All groups, sorted by file then name (as /api/v1/rules lists them). */
  groups(): Group[] {
    return [...this.groupsByKey.values()]
      .map((v) => v.group)
      .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Every alerting rule of every group. */
  alertingRules(): AlertingRule[] {
    return this.groups().flatMap((g) => g.rules.filter((r): r is AlertingRule => r instanceof AlertingRule));
  }
}

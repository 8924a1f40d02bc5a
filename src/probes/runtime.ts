import type { Clock } from '../model/clock.js';
import type { Appendable } from '../storage/appender.js';
import type { Alert, AlertIntake } from '../model/alert.js';
import type { Log } from '../model/log.js';
import { Scheduler } from './scheduler.js';
import { activeAlert, applyResult, initialCheckState, restoreCheckState } from './check-state.js';
import type { CheckEvent, CheckState } from './check-state.js';
import { runProbe } from './run-check.js';
import { writeResultsSamples, type ResultSamples } from './samples.js';
import type { CheckConfig } from './config.js';
import type { ProbeResult } from './probe.js';
import type { CheckStore, StoredResult, StoredState, Uptime } from './check-store.js';

/** What the runtime counts; the app's metrics registry implements it. */
export interface CheckMetrics {
  checkRun(check: string, success: boolean): void;
  probeDuration(type: string, seconds: number): void;
  scheduleLag(seconds: number): void;
}

/** A check's state now, as the API and UI show it. */
export interface CheckStatus {
  readonly check: CheckConfig;
  readonly state: 'up' | 'down' | 'failing' | 'pending';
  readonly firing: boolean;
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
  readonly last: { readonly t: number; readonly success: boolean; readonly durationMs: number; readonly message: string } | undefined;
  readonly uptime: Uptime;
}

/** Checks are an alert source that reports resolution itself. */
const SOURCE = { name: 'checks', holdsUntilResolved: true } as const;

export interface CheckRuntimeOptions {
  readonly checks: readonly CheckConfig[];
  readonly clock: Clock;
  readonly store: CheckStore;
  readonly sink: Appendable;
  readonly metrics: CheckMetrics;
  readonly logger: Log;
  readonly concurrency: number;
  readonly generatorURL: (check: CheckConfig) => string;
  /** The alert pipeline's intake; a transition is accepted there before the new state is persisted. */
  readonly intake: AlertIntake;
  /** How often buffered results are written, ms. */
  readonly flushEvery?: number;
  /**
   * How often the state of a check that stays healthy is saved, ms (default 60 s). Such a
   * result changes only its success count; every other change (a failure, firing, resolving, a
   * recovery under way) is saved at the next flush, and everything at stop().
   */
  readonly stateSaveEvery?: number;
  /**
   * Least time between two commits of probe samples while results keep coming, ms (default
   * 200): at thousands of results a second they share a few commits (and WAL syncs) a second.
   * A result after a quiet spell is committed at once.
   */
  readonly samplesEvery?: number;
}

interface Live {
  state: CheckState;
  last: { t: number; result: ProbeResult } | undefined;
  /** When the state was last handed to the store. */
  savedAt: number;
  /** The state changed since, in a way that waits for stateSaveEvery or stop(). */
  unsaved: boolean;
}

/** A change that a restart must not lose: anything but one more success of a healthy check. */
function mustSave(prev: CheckState, next: CheckState): boolean {
  return next.firing || next.consecutiveFailures > 0 || prev.firing || prev.consecutiveFailures > 0 || prev.lastFailure !== next.lastFailure || prev.failingSince !== next.failingSince;
}

/**
 * Runs the configured checks and turns their results into history, samples and alert
 * events. Results and changed states are buffered and written in one transaction per flush;
 * samples go to the metrics store in one commit per event-loop turn; a state change that
 * fires or resolves an alert is handled and persisted at once.
 */
export class CheckRuntime {
  private readonly live = new Map<string, Live>();
  private readonly scheduler: Scheduler<CheckConfig>;
  private buffer: StoredResult[] = [];
  private dirty = new Set<string>();
  private samples: ResultSamples[] = [];
  /** The running samples write, if any: one commit in flight, the next takes all that arrived meanwhile. */
  private samplesWrite: Promise<void> | undefined;
  private readonly urls = new WeakMap<CheckConfig, string>();
  /** Ends the pause between two samples commits early (stop). */
  private wakeSamples: (() => void) | undefined;
  private flushTimer: ReturnType<typeof setInterval> | undefined;
  private chain: Promise<void> = Promise.resolve();
  private running = false;

  constructor(private readonly opts: CheckRuntimeOptions) {
    this.scheduler = new Scheduler<CheckConfig>({
      clock: opts.clock,
      concurrency: opts.concurrency,
      run: (check, signal) => runProbe(check, opts.clock, signal),
      onResult: (check, result, scheduledAt, startedAt) => this.onResult(check, result, scheduledAt, startedAt),
      onError: (check, err) => opts.logger.error({ check: check.name, err }, 'check result handling failed'),
    });
  }

  get isRunning(): boolean {
    return this.running;
  }

  /**
   * Restores persisted state. The alerts that were firing are handed to the pipeline again
   * (it normally has them already; this covers a database restored without them).
   */
  async restore(): Promise<void> {
    const states = await this.opts.store.loadStates();
    const firing: Alert[] = [];
    const now = this.opts.clock.now();
    for (const check of this.opts.checks) {
      const state = states.has(check.name) ? restoreCheckState(states.get(check.name)) : initialCheckState;
      const last = (await this.opts.store.results(check.name, { limit: 1 }))[0];
      this.live.set(check.name, {
        savedAt: states.has(check.name) ? now : -Infinity,
        unsaved: false,
        state,
        last: last ? { t: last.t, result: { success: last.success, durationMs: last.durationMs, message: last.message, metrics: {} } } : undefined,
      });
      const a = activeAlert(state, check, now, this.opts.generatorURL(check));
      if (a) firing.push(a);
    }
    if (firing.length > 0) await this.opts.intake(firing, SOURCE);
  }

  start(): void {
    this.running = true;
    this.scheduler.update(this.opts.checks);
    this.scheduler.start();
    this.flushTimer = setInterval(() => void this.flush(), this.opts.flushEvery ?? 1000);
    this.flushTimer.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeSamples?.();
    await this.scheduler.stop();
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.writeSamples();
    await this.samplesWrite;
    await this.chain;
    for (const [name, l] of this.live) if (l.unsaved) this.dirty.add(name);
    await this.flush();
  }

  private onResult(check: CheckConfig, result: ProbeResult, scheduledAt: number, startedAt: number): void {
    const t = this.opts.clock.now();
    const m = this.opts.metrics;
    m.checkRun(check.name, result.success);
    m.probeDuration(check.type, result.durationMs / 1000);
    m.scheduleLag(Math.max(0, startedAt - scheduledAt) / 1000);
    let live = this.live.get(check.name);
    if (live === undefined) this.live.set(check.name, (live = { state: initialCheckState, last: undefined, savedAt: -Infinity, unsaved: false }));
    live.last = { t, result };
    this.buffer.push({ check: check.name, t, success: result.success, durationMs: result.durationMs, message: result.message });
    if (this.samples.push({ check, result, t }) === 1) setImmediate(() => this.writeSamples());
    const prev = live.state;
    const { state, event } = applyResult(prev, check, result, t, this.generatorURL(check));
    live.state = state;
    if (!event) {
      // Saving every result's state was a JSON document and a row upsert per check per second.
      if (mustSave(prev, state) || t - live.savedAt >= (this.opts.stateSaveEvery ?? 60_000)) this.dirty.add(check.name);
      else live.unsaved = true;
      return;
    }
    this.opts.logger.info({ check: check.name, alert: event.kind, message: result.message }, `check ${check.name} ${event.kind === 'firing' ? 'is failing: alert firing' : 'recovered: alert resolved'}`);
    // Events are handled in order, each persisted once handled.
    this.chain = this.chain
      .then(() => this.deliver(event))
      .then(() => this.opts.store.saveState(check.name, state, t))
      .catch((err) => this.opts.logger.error({ err, check: check.name }, 'alert event handling failed'));
  }

  private generatorURL(check: CheckConfig): string {
    let url = this.urls.get(check);
    if (url === undefined) this.urls.set(check, (url = this.opts.generatorURL(check)));
    return url;
  }

  /**
   * Commits the results waiting, then whatever arrived during that commit and the pause after
   * it (samplesEvery), and so on: one commit (and one WAL sync) in flight at a time, so at
   * thousands of results a second the samples share a few commits instead of each event-loop
   * turn starting a sync of its own.
   */
  private writeSamples(): void {
    if (this.samplesWrite !== undefined || this.samples.length === 0) return;
    this.samplesWrite = this.drainSamples().finally(() => (this.samplesWrite = undefined));
  }

  private async drainSamples(): Promise<void> {
    const { clock } = this.opts;
    while (this.samples.length > 0) {
      const batch = this.samples;
      this.samples = [];
      const started = clock.now();
      try {
        await writeResultsSamples(this.opts.sink, batch);
      } catch (err) {
        this.opts.logger.warn({ err, results: batch.length, check: batch[0]?.check.name }, 'writing probe samples failed');
      }
      const pause = started + (this.opts.samplesEvery ?? 200) - clock.now();
      if (this.samples.length > 0 && this.running && pause > 0) {
        await new Promise<void>((resolve) => {
          const timer = clock.setTimeout(() => this.wakeSamples?.(), pause);
          this.wakeSamples = () => {
            clock.clearTimeout(timer);
            this.wakeSamples = undefined;
            resolve();
          };
        });
      }
    }
  }

  private async deliver(event: CheckEvent): Promise<void> {
    const r = await this.opts.intake([event.alert], SOURCE);
    if (r.errors.length > 0) throw new Error(`check alert rejected by the pipeline: ${r.errors.join('; ')}`);
  }

  /** Writes buffered results and changed states, in one transaction. */
  async flush(): Promise<void> {
    const batch = this.buffer;
    this.buffer = [];
    const names = [...this.dirty];
    this.dirty.clear();
    const now = this.opts.clock.now();
    const states: StoredState[] = [];
    for (const n of names) {
      const l = this.live.get(n);
      if (!l) continue;
      states.push({ check: n, state: l.state, at: now });
      l.savedAt = now;
      l.unsaved = false;
    }
    try {
      await this.opts.store.record(batch, states);
    } catch (err) {
      this.opts.logger.error({ err, results: batch.length }, 'writing check results failed; will retry');
      this.buffer = [...batch, ...this.buffer];
      for (const n of names) this.dirty.add(n);
    }
  }

  async statuses(): Promise<CheckStatus[]> {
    const now = this.opts.clock.now();
    const out: CheckStatus[] = [];
    for (const c of this.opts.checks) {
      const l = this.live.get(c.name);
      const s = l?.state ?? initialCheckState;
      const last = l?.last;
      out.push({
        check: c,
        state: !last ? 'pending' : s.firing ? 'down' : last.result.success ? 'up' : 'failing',
        firing: s.firing,
        consecutiveFailures: s.consecutiveFailures,
        consecutiveSuccesses: s.consecutiveSuccesses,
        last: last ? { t: last.t, success: last.result.success, durationMs: last.result.durationMs, message: last.result.message } : undefined,
        uptime: await this.opts.store.uptime(c.name, now),
      });
    }
    return out;
  }

  results(check: string, opts: { limit: number; before?: number }): Promise<StoredResult[]> {
    return this.opts.store.results(check, opts);
  }

  /** Drops history past retention. */
  prune(now: number): Promise<void> {
    return this.opts.store.prune(now);
  }

  has(name: string): boolean {
    return this.opts.checks.some((c) => c.name === name);
  }
}

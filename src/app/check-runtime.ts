import type { Clock } from '../model/clock.js';
import type { Appendable } from '../storage/appender.js';
import {
  Scheduler,
  activeAlert,
  applyResult,
  initialCheckState,
  restoreCheckState,
  runCheck,
  writeResultSamples,
  type CheckConfig,
  type CheckEvent,
  type CheckState,
  type ProbeResult,
} from '../probes/index.js';
import type { SqlCheckStore, StoredResult } from '../db/check-store.js';
import type { CheckView } from '../api/index.js';
import type { Alert } from '../model/alert.js';
import type { VigilMetrics } from './metrics.js';
import type { Logger } from './logger.js';

export interface CheckRuntimeOptions {
  readonly checks: readonly CheckConfig[];
  readonly clock: Clock;
  readonly store: SqlCheckStore;
  readonly sink: Appendable;
  readonly metrics: VigilMetrics;
  readonly logger: Logger;
  readonly concurrency: number;
  readonly generatorURL: (check: CheckConfig) => string;
  /** Alert transitions; awaited before the new state is persisted. */
  readonly onEvent: (ev: CheckEvent) => Promise<void>;
  /** How often buffered results are written, ms. */
  readonly flushEvery?: number;
}

interface Live {
  state: CheckState;
  last: { t: number; result: ProbeResult } | undefined;
}

/**
 * Runs the configured checks and turns their results into history, samples and alert
 * events. Results are buffered and written in one transaction per flush; a state change
 * that fires or resolves an alert is handled and persisted at once.
 */
export class CheckRuntime {
  private readonly live = new Map<string, Live>();
  private readonly scheduler: Scheduler<CheckConfig>;
  private buffer: StoredResult[] = [];
  private dirty = new Set<string>();
  private flushTimer: ReturnType<typeof setInterval> | undefined;
  private chain: Promise<void> = Promise.resolve();
  private running = false;

  constructor(private readonly opts: CheckRuntimeOptions) {
    this.scheduler = new Scheduler<CheckConfig>({
      clock: opts.clock,
      concurrency: opts.concurrency,
      run: (check, signal) => runCheck(check, { clock: opts.clock, signal }),
      onResult: (check, result, scheduledAt, startedAt) => this.onResult(check, result, scheduledAt, startedAt),
      onError: (check, err) => opts.logger.error({ check: check.name, err }, 'check result handling failed'),
    });
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Restores persisted state; returns the alerts that were firing so the pipeline can resume them. */
  async restore(): Promise<Alert[]> {
    const states = await this.opts.store.loadStates();
    const firing: Alert[] = [];
    const now = this.opts.clock.now();
    for (const check of this.opts.checks) {
      const state = states.has(check.name) ? restoreCheckState(states.get(check.name)) : initialCheckState;
      const last = (await this.opts.store.results(check.name, { limit: 1 }))[0];
      this.live.set(check.name, {
        state,
        last: last ? { t: last.t, result: { success: last.success, durationMs: last.durationMs, message: last.message, metrics: {} } } : undefined,
      });
      const a = activeAlert(state, check, now, this.opts.generatorURL(check));
      if (a) firing.push(a);
    }
    return firing;
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
    await this.scheduler.stop();
    if (this.flushTimer) clearInterval(this.flushTimer);
    await this.chain;
    await this.flush();
  }

  private onResult(check: CheckConfig, result: ProbeResult, scheduledAt: number, startedAt: number): void {
    const t = this.opts.clock.now();
    const m = this.opts.metrics;
    m.checksRun.inc({ check: check.name, result: result.success ? 'success' : 'failure' });
    m.probeDuration.observe({ type: check.type }, result.durationMs / 1000);
    m.scheduleLag.observe(Math.max(0, startedAt - scheduledAt) / 1000);
    const live = this.live.get(check.name) ?? { state: initialCheckState, last: undefined };
    this.live.set(check.name, live);
    live.last = { t, result };
    this.buffer.push({ check: check.name, t, success: result.success, durationMs: result.durationMs, message: result.message });
    void writeResultSamples(this.opts.sink, check, result, t).catch((err) => this.opts.logger.warn({ err, check: check.name }, 'writing probe samples failed'));
    const { state, event } = applyResult(live.state, check, result, t, this.opts.generatorURL(check));
    live.state = state;
    if (!event) {
      this.dirty.add(check.name);
      return;
    }
    this.opts.logger.info({ check: check.name, alert: event.kind, message: result.message }, `check ${check.name} ${event.kind === 'firing' ? 'is failing: alert firing' : 'recovered: alert resolved'}`);
    // Events are handled in order, each persisted once handled.
    this.chain = this.chain
      .then(() => this.opts.onEvent(event))
      .then(() => this.opts.store.saveState(check.name, state, t))
      .catch((err) => this.opts.logger.error({ err, check: check.name }, 'alert event handling failed'));
  }

  /** Writes buffered results and changed states. */
  async flush(): Promise<void> {
    const batch = this.buffer;
    this.buffer = [];
    const names = [...this.dirty];
    this.dirty.clear();
    try {
      await this.opts.store.record(batch);
      const now = this.opts.clock.now();
      for (const n of names) {
        const l = this.live.get(n);
        if (l) await this.opts.store.saveState(n, l.state, now);
      }
    } catch (err) {
      this.opts.logger.error({ err, results: batch.length }, 'writing check results failed; will retry');
      this.buffer = [...batch, ...this.buffer];
      for (const n of names) this.dirty.add(n);
    }
  }

  async views(): Promise<CheckView[]> {
    const now = this.opts.clock.now();
    const out: CheckView[] = [];
    for (const c of this.opts.checks) {
      const l = this.live.get(c.name);
      const s = l?.state ?? initialCheckState;
      const up = await this.opts.store.uptime(c.name, now);
      const last = l?.last;
      out.push({
        name: c.name,
        service: c.service,
        type: c.type,
        interval_ms: c.interval,
        state: !last ? 'pending' : s.firing ? 'down' : last.result.success ? 'up' : 'failing',
        alert_firing: s.firing,
        consecutive_failures: s.consecutiveFailures,
        consecutive_successes: s.consecutiveSuccesses,
        last_result: last ? { at: new Date(last.t).toISOString(), success: last.result.success, duration_ms: Math.round(last.result.durationMs * 1000) / 1000, message: last.result.message } : null,
        uptime: up,
      });
    }
    return out;
  }

  has(name: string): boolean {
    return this.opts.checks.some((c) => c.name === name);
  }
}

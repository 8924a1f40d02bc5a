import type { Clock, TimerHandle } from '../model/clock.js';
import type { ProbeResult } from './probe.js';
import { ProbeTimeoutError, abortMessage, failure } from './probe.js';

/** What the scheduler needs of a check (CheckConfig has it); times in ms. */
export interface SchedulableCheck {
  readonly name: string;
  readonly interval: number;
  readonly timeout: number;
}

export interface SchedulerOptions<C extends SchedulableCheck> {
  readonly clock: Clock;
  /** Runs at most this many checks at once, across all checks. */
  readonly concurrency: number;
  /**
   * Fraction of its interval (0–1, default 1: the whole interval, as Prometheus spreads scrapes) over which a check's phase is spread. The
   * offset comes from a hash of the check name, so it is stable across restarts and
   * checks sharing an interval do not all fire at the same instant.
   */
  readonly jitter?: number;
  /** Must settle promptly once `signal` aborts (the scheduler aborts on timeout and stop). */
  run(check: C, signal: AbortSignal): Promise<ProbeResult>;
  /** Every finished run, including timeouts; startedAt - scheduledAt is the scheduling lag. */
  onResult(check: C, result: ProbeResult, scheduledAt: number, startedAt: number): void;
  /** A tick that found the previous run of the same check still queued or running. */
  onSkip?(check: C, scheduledAt: number): void;
  /** onResult threw; the scheduler carries on. */
  onError?(check: C, error: unknown): void;
}

interface Entry<C> {
  check: C;
  readonly key: string;
  live: boolean;
  timer: TimerHandle | undefined;
  nextDue: number;
  state: 'idle' | 'queued' | 'running';
  /** A tick that arrived as the running run hit its deadline; it runs as soon as that run ends. */
  deferred: number | undefined;
}

interface Run<C> {
  readonly entry: Entry<C>;
  readonly controller: AbortController;
  readonly deadline: number;
  cancelled: boolean;
}

/** Aborts runs that stop() or update() cancel; their results are not reported. */
class CancelledError extends Error {
  override name = 'CancelledError';
}

/** FNV-1a, then murmur3's finalizer: plain FNV clumps similar short names (c1, c2, …) together. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Runs every check on its own fixed-rate interval. A run takes one of `concurrency` slots and
 * holds it until it settles or its timeout fires (then a timeout result is reported and
 * the slot freed at once), so a slow target never delays other checks' ticks; only a full
 * set of slots makes a run wait, and that wait shows as lag. A tick that finds its check's
 * previous run still queued or running is skipped. Missed ticks are not replayed.
 */
export class Scheduler<C extends SchedulableCheck> {
  private readonly entries = new Map<string, Entry<C>>();
  private readonly queue: Array<{ entry: Entry<C>; scheduledAt: number }> = [];
  private readonly runs = new Set<Run<C>>();
  /** The probes' own promises, which may outlive a timed-out run; stop() waits for them. */
  private readonly pending = new Set<Promise<unknown>>();
  private active = 0;
  private started = false;
  private readonly jitter: number;

  constructor(private readonly opts: SchedulerOptions<C>) {
    if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) throw new RangeError('concurrency must be an integer ≥ 1');
    this.jitter = opts.jitter ?? 1;
    if (!(this.jitter >= 0 && this.jitter <= 1)) throw new RangeError('jitter must be between 0 and 1');
  }

  /** The stable delay of a check's first run after start (and its phase thereafter). */
  offsetOf(check: SchedulableCheck): number {
    return Math.floor((hash32(check.name) / 2 ** 32) * this.jitter * check.interval);
  }

  /** Replaces the set of checks. Unchanged checks keep their schedule and any run in flight. */
  update(checks: readonly C[]): void {
    const incoming = new Map<string, C>();
    for (const c of checks) {
      if (incoming.has(c.name)) throw new Error(`duplicate check name ${JSON.stringify(c.name)}`);
      if (!(c.interval > 0)) throw new RangeError(`check ${JSON.stringify(c.name)}: interval must be positive`);
      incoming.set(c.name, c);
    }
    for (const [name, entry] of this.entries) {
      const c = incoming.get(name);
      if (c === undefined || JSON.stringify(c) !== entry.key) this.remove(entry);
    }
    for (const [name, c] of incoming) {
      const existing = this.entries.get(name);
      if (existing) {
        existing.check = c;
        continue;
      }
      const entry: Entry<C> = { check: c, key: JSON.stringify(c), live: true, timer: undefined, nextDue: 0, state: 'idle', deferred: undefined };
      this.entries.set(name, entry);
      if (this.started) this.schedule(entry, this.opts.clock.now() + this.offsetOf(c));
    }
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const now = this.opts.clock.now();
    for (const entry of this.entries.values()) this.schedule(entry, now + this.offsetOf(entry.check));
  }

  /** Cancels every timer, aborts runs in flight and resolves once their promises have settled. */
  async stop(): Promise<void> {
    this.started = false;
    for (const entry of this.entries.values()) {
      this.cancelTimer(entry);
      entry.deferred = undefined;
    }
    for (const { entry } of this.queue) entry.state = 'idle';
    this.queue.length = 0;
    for (const run of this.runs) this.cancel(run);
    await Promise.allSettled([...this.pending]);
  }

  stats(): { checks: number; running: number; queued: number } {
    return { checks: this.entries.size, running: this.active, queued: this.queue.length };
  }

  private remove(entry: Entry<C>): void {
    entry.live = false;
    this.cancelTimer(entry);
    this.entries.delete(entry.check.name);
    const i = this.queue.findIndex((q) => q.entry === entry);
    if (i >= 0) this.queue.splice(i, 1);
    for (const run of this.runs) if (run.entry === entry) this.cancel(run);
  }

  private cancel(run: Run<C>): void {
    run.cancelled = true;
    run.controller.abort(new CancelledError('check run cancelled'));
  }

  private cancelTimer(entry: Entry<C>): void {
    if (entry.timer) this.opts.clock.clearTimeout(entry.timer);
    entry.timer = undefined;
  }

  private schedule(entry: Entry<C>, due: number): void {
    entry.nextDue = due;
    entry.timer = this.opts.clock.setTimeout(() => this.tick(entry), due - this.opts.clock.now());
  }

  private tick(entry: Entry<C>): void {
    entry.timer = undefined;
    if (!entry.live || !this.started) return;
    const scheduledAt = entry.nextDue;
    const interval = entry.check.interval;
    const now = this.opts.clock.now();
    let next = scheduledAt + interval;
    if (next <= now) next += Math.ceil((now - next + 1) / interval) * interval;
    this.schedule(entry, next);
    if (entry.state === 'running' && entry.deferred === undefined) {
      // With timeout == interval (the default up to 10s) the deadline and the next tick
      // coincide: end the old run now and start the new one right after, rather than skip.
      const run = [...this.runs].find((r) => r.entry === entry);
      if (run && run.deadline <= now) {
        entry.deferred = scheduledAt;
        run.controller.abort(new ProbeTimeoutError(entry.check.timeout));
        return;
      }
    }
    if (entry.state !== 'idle') {
      this.opts.onSkip?.(entry.check, scheduledAt);
      return;
    }
    entry.state = 'queued';
    this.queue.push({ entry, scheduledAt });
    this.pump();
  }

  private pump(): void {
    while (this.started && this.active < this.opts.concurrency) {
      const job = this.queue.shift();
      if (!job) return;
      void this.execute(job.entry, job.scheduledAt);
    }
  }

  private async execute(entry: Entry<C>, scheduledAt: number): Promise<void> {
    const { clock } = this.opts;
    const check = entry.check;
    this.active++;
    entry.state = 'running';
    const startedAt = clock.now();
    const controller = new AbortController();
    const run: Run<C> = { entry, controller, deadline: startedAt + check.timeout, cancelled: false };
    this.runs.add(run);
    const timer = clock.setTimeout(() => controller.abort(new ProbeTimeoutError(check.timeout)), check.timeout);
    const work = Promise.resolve()
      .then(() => this.opts.run(check, controller.signal))
      .catch((err: unknown) => failure(clock.now() - startedAt, `probe error: ${err instanceof Error ? err.message : String(err)}`));
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
    const aborted = new Promise<ProbeResult>((resolve) => {
      const onAbort = () => resolve(failure(clock.now() - startedAt, abortMessage(controller.signal, check.timeout)));
      if (controller.signal.aborted) onAbort();
      else controller.signal.addEventListener('abort', onAbort, { once: true });
    });
    const result = await Promise.race([work, aborted]);
    clock.clearTimeout(timer);
    this.runs.delete(run);
    this.active--;
    if (entry.state === 'running') entry.state = 'idle';
    if (!run.cancelled && entry.live) {
      try {
        this.opts.onResult(check, result, scheduledAt, startedAt);
      } catch (err) {
        this.opts.onError?.(check, err);
      }
    }
    const deferred = entry.deferred;
    entry.deferred = undefined;
    if (deferred !== undefined && entry.live && this.started && entry.state === 'idle') {
      entry.state = 'queued';
      this.queue.push({ entry, scheduledAt: deferred });
    }
    this.pump();
  }
}

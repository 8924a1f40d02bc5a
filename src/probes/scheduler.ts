import type { Clock } from '../model/clock.js';
import type { ProbeResult } from './probe.js';
import { ProbeTimeoutError, abortMessage, failure } from './probe.js';
import { DueQueue, type DueSlot } from './due-queue.js';

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
  /** The next tick in the due queue. */
  slot: DueSlot | undefined;
  nextDue: number;
  state: 'idle' | 'queued' | 'running';
  /** When the tick that queued it was due (state 'queued'). */
  queuedFor: number;
  /** The run in flight (state 'running'). */
  run: Run<C> | undefined;
  /** A tick that arrived as the running run hit its deadline; it runs as soon as that run ends. */
  deferred: number | undefined;
  /** tick() bound to this entry once, not once per tick. */
  readonly fire: () => void;
}

interface Run<C> {
  readonly entry: Entry<C>;
  readonly check: C;
  readonly controller: AbortController;
  readonly scheduledAt: number;
  readonly startedAt: number;
  readonly deadline: number;
  deadlineSlot: DueSlot | undefined;
  cancelled: boolean;
  settled: boolean;
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
 *
 * Ticks and deadlines share one DueQueue (one clock timer for all checks), and a run's result
 * is handled as soon as the probe settles or its deadline passes, with no timer, promise race
 * or listener of its own: at thousands of checks a second this bookkeeping was a large part of
 * the event loop's work.
 */
export class Scheduler<C extends SchedulableCheck> {
  private readonly entries = new Map<string, Entry<C>>();
  /** Entries waiting for a slot, oldest first, from queueHead on. */
  private queue: Array<Entry<C>> = [];
  private queueHead = 0;
  private readonly runs = new Set<Run<C>>();
  private readonly due: DueQueue;
  /** Probe promises not yet settled (a timed-out probe may outlive its run); stop() waits for them. */
  private probesInFlight = 0;
  private probesDone: Array<() => void> = [];
  private active = 0;
  private started = false;
  private readonly jitter: number;

  constructor(private readonly opts: SchedulerOptions<C>) {
    if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) throw new RangeError('concurrency must be an integer ≥ 1');
    this.jitter = opts.jitter ?? 1;
    if (!(this.jitter >= 0 && this.jitter <= 1)) throw new RangeError('jitter must be between 0 and 1');
    this.due = new DueQueue(opts.clock);
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
      const entry: Entry<C> = {
        check: c,
        key: JSON.stringify(c),
        live: true,
        slot: undefined,
        nextDue: 0,
        state: 'idle',
        queuedFor: 0,
        run: undefined,
        deferred: undefined,
        fire: () => this.tick(entry),
      };
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

  /** Cancels every tick, aborts runs in flight and resolves once their probes have settled. */
  async stop(): Promise<void> {
    this.started = false;
    for (const entry of this.entries.values()) {
      entry.slot = undefined;
      entry.deferred = undefined;
    }
    this.due.clear();
    for (let i = this.queueHead; i < this.queue.length; i++) (this.queue[i] as Entry<C>).state = 'idle';
    this.queue = [];
    this.queueHead = 0;
    for (const run of this.runs) this.cancel(run);
    if (this.probesInFlight > 0) await new Promise<void>((resolve) => this.probesDone.push(resolve));
  }

  stats(): { checks: number; running: number; queued: number } {
    return { checks: this.entries.size, running: this.active, queued: this.queue.length - this.queueHead };
  }

  private remove(entry: Entry<C>): void {
    entry.live = false;
    this.cancelTick(entry);
    this.entries.delete(entry.check.name);
    const i = this.queue.indexOf(entry, this.queueHead);
    if (i >= 0) this.queue.splice(i, 1);
    if (entry.run) this.cancel(entry.run);
  }

  /** Ends a run for stop() or update(); its result is not reported. */
  private cancel(run: Run<C>): void {
    run.cancelled = true;
    this.abort(run, new CancelledError('check run cancelled'));
  }

  /** Aborts the probe and ends the run now with the abort's result; the probe settles later. */
  private abort(run: Run<C>, reason: Error): void {
    if (run.settled) return;
    run.controller.abort(reason);
    this.settle(run, failure(this.opts.clock.now() - run.startedAt, abortMessage(run.controller.signal, run.check.timeout)));
  }

  private cancelTick(entry: Entry<C>): void {
    if (entry.slot) this.due.cancel(entry.slot);
    entry.slot = undefined;
  }

  private schedule(entry: Entry<C>, due: number): void {
    entry.nextDue = due;
    entry.slot = this.due.add(due, entry.fire);
  }

  private tick(entry: Entry<C>): void {
    entry.slot = undefined;
    if (!entry.live || !this.started) return;
    const scheduledAt = entry.nextDue;
    const interval = entry.check.interval;
    const now = this.opts.clock.now();
    let next = scheduledAt + interval;
    if (next <= now) next += Math.ceil((now - next + 1) / interval) * interval;
    this.schedule(entry, next);
    const run = entry.run;
    if (entry.state === 'running' && entry.deferred === undefined && run && run.deadline <= now) {
      // With timeout == interval (the default up to 10s) the deadline and the next tick
      // coincide: end the old run now and start the new one right after, rather than skip.
      entry.deferred = scheduledAt;
      this.abort(run, new ProbeTimeoutError(entry.check.timeout));
      return;
    }
    if (entry.state !== 'idle') {
      this.opts.onSkip?.(entry.check, scheduledAt);
      return;
    }
    this.enqueue(entry, scheduledAt);
    this.pump();
  }

  private enqueue(entry: Entry<C>, scheduledAt: number): void {
    entry.state = 'queued';
    entry.queuedFor = scheduledAt;
    this.queue.push(entry);
  }

  private pump(): void {
    while (this.started && this.active < this.opts.concurrency && this.queueHead < this.queue.length) {
      const entry = this.queue[this.queueHead++] as Entry<C>;
      if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.queueHead);
        this.queueHead = 0;
      }
      this.execute(entry, entry.queuedFor);
    }
    if (this.queueHead === this.queue.length && this.queueHead > 0) {
      this.queue.length = 0;
      this.queueHead = 0;
    }
  }

  private execute(entry: Entry<C>, scheduledAt: number): void {
    const { clock } = this.opts;
    const check = entry.check;
    this.active++;
    entry.state = 'running';
    const startedAt = clock.now();
    const run: Run<C> = {
      entry,
      check,
      controller: new AbortController(),
      scheduledAt,
      startedAt,
      deadline: startedAt + check.timeout,
      deadlineSlot: undefined,
      cancelled: false,
      settled: false,
    };
    entry.run = run;
    this.runs.add(run);
    run.deadlineSlot = this.due.add(run.deadline, () => this.abort(run, new ProbeTimeoutError(check.timeout)));
    this.probesInFlight++;
    let work: Promise<ProbeResult>;
    try {
      work = this.opts.run(check, run.controller.signal);
    } catch (err) {
      work = Promise.reject(err);
    }
    work.then(
      (result) => this.probeSettled(run, result),
      (err: unknown) => this.probeSettled(run, failure(clock.now() - startedAt, `probe error: ${err instanceof Error ? err.message : String(err)}`)),
    );
  }

  private probeSettled(run: Run<C>, result: ProbeResult): void {
    this.settle(run, result);
    if (--this.probesInFlight === 0 && this.probesDone.length > 0) {
      const waiters = this.probesDone;
      this.probesDone = [];
      for (const w of waiters) w();
    }
  }

  /** The run's one result: the probe's, or its abort's if that came first. */
  private settle(run: Run<C>, result: ProbeResult): void {
    if (run.settled) return;
    run.settled = true;
    const entry = run.entry;
    if (run.deadlineSlot) this.due.cancel(run.deadlineSlot);
    this.runs.delete(run);
    if (entry.run === run) entry.run = undefined;
    this.active--;
    if (entry.state === 'running') entry.state = 'idle';
    if (!run.cancelled && entry.live) {
      try {
        this.opts.onResult(run.check, result, run.scheduledAt, run.startedAt);
      } catch (err) {
        this.opts.onError?.(run.check, err);
      }
    }
    const deferred = entry.deferred;
    entry.deferred = undefined;
    if (deferred !== undefined && entry.live && this.started && entry.state === 'idle') this.enqueue(entry, deferred);
    this.pump();
  }
}

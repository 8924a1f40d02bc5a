import type { Clock, TimerHandle } from '../model/clock.js';
import type { NotificationMessage } from './message.js';
import { errorMessage } from './notifier.js';
import type { Notifier, NotifyResult } from './notifier.js';
import type { NewJob, OutboxJob, OutboxStore } from './outbox-store.js';
import type { Integrations } from './integrations.js';
import type { DeliveryOutcome } from '../model/notification.js';

/** Whether a job's notification carried a firing alert (`msg`: its payload, when already parsed). */
function jobStatus(job: NewJob, msg?: NotificationMessage): 'firing' | 'resolved' {
  try {
    const m = msg ?? (JSON.parse(job.payload) as NotificationMessage);
    return m.alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved';
  } catch {
    return 'firing';
  }
}

/** A job handed over before its commit (Outbox.handOffUncommitted). */
interface EarlyJob {
  /** Both dropped once delivered: the message holds every alert's view while the outcome waits for the database. */
  job: NewJob | undefined;
  msg: NotificationMessage | undefined;
  /** Its position in what `stored` gives. */
  readonly index: number;
  readonly stored: Promise<readonly OutboxJob[] | undefined>;
  started: boolean;
}

/** The integration type of outbox jobs that page one person (see OutboxOptions.pager). */
export const PAGE_INTEGRATION = 'page';

export interface BackoffOptions {
  /** First retry delay cap, ms. Default 1s. */
  readonly initialBackoff?: number;
  /** Largest delay cap, ms. Default 5m. */
  readonly maxBackoff?: number;
}

/**
 * Exponential backoff with full jitter: a uniform delay in [0, min(max, initial·2^(attempts-1))].
 * `attempts` counts the attempts made so far (≥ 1).
 */
export function backoffDelay(attempts: number, opts: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = opts.initialBackoff ?? 1000;
  const max = opts.maxBackoff ?? 300_000;
  const cap = Math.min(max, initial * 2 ** Math.max(0, attempts - 1));
  return Math.floor(random() * cap);
}

export interface OutboxOptions extends BackoffOptions {
  readonly store: OutboxStore;
  readonly clock: Clock;
  readonly integrations: Integrations;
  /**
   * Delivers jobs of integration type `page` (PAGE_INTEGRATION): pages to one person, written
   * by the escalation engine. Without it such jobs fail permanently.
   */
  readonly pager?: Notifier;
  /**
   * Deliverers of other modules' own job types (the status page's subscriber notices): a job
   * whose integration type is a key here is handed its stored payload. Same retries, backoff
   * and give-up as every job.
   */
  readonly deliverers?: Readonly<Record<string, (payload: string, ctx: { readonly signal: AbortSignal }) => Promise<NotifyResult>>>;
  /** Deliveries in flight at once. Default 4. */
  readonly concurrency?: number;
  /** Give up on a job this long after it was enqueued, ms. Default 1h. */
  readonly maxAge?: number;
  /** How often due jobs are looked for when nothing wakes the worker, ms. Default 1s. */
  readonly pollInterval?: number;
  readonly random?: () => number;
  readonly onSent?: (job: OutboxJob) => void | Promise<void>;
  /** The job failed permanently or grew older than maxAge (the incident timeline records it). */
  readonly onGiveUp?: (job: OutboxJob, error: string) => void | Promise<void>;
  /**
   * Every attempt's outcome in the pipeline's vocabulary: sent (with the true attempt count),
   * retry (a failed attempt that will be tried again; `firstFailure` on the job's first), failed.
   */
  readonly onOutcome?: (d: DeliveryOutcome) => void | Promise<void>;
  /** Store or hook failures; the worker keeps running. */
  readonly onError?: (err: unknown) => void;
}

/**
 * The durable delivery worker. Guarantee: at-least-once. A job is marked sent only after its
 * notifier reported success, so a crash (even SIGKILL) at any point leaves an unsent job
 * pending and the next process delivers it. The price: a crash after the peer accepted the
 * notification but before markSent is durable delivers it once more. Nothing else duplicates.
 */
export class Outbox {
  private integrations: Integrations;
  /** Jobs being delivered or having their outcome recorded: never started twice. */
  private readonly inFlight = new Map<number, Promise<void>>();
  /** Deliveries talking to a peer now (the concurrency bound; recording an outcome holds no slot). */
  private delivering = 0;
  /** Jobs handed over by their writer (handOff), delivered before the store is asked for more. */
  private readonly ready = new Map<number, OutboxJob>();
  /** The messages of handed-off jobs, as planned: their payloads need not be parsed back. */
  private readonly messages = new WeakMap<OutboxJob, NotificationMessage>();
  /** Jobs handed over before their writer committed them (handOffUncommitted), not started yet. */
  private readonly early = new Set<EarlyJob>();
  /** Deliveries of such jobs whose id is not known yet (their commit is pending). */
  private readonly earlyInFlight = new Set<Promise<void>>();
  /** Ids of jobs finished lately, so a late handOff of one cannot deliver it again. */
  private readonly finished = new Set<number>();
  /** Whether the store may hold due jobs not seen yet (someone enqueued, a poll is due, a read came back full). */
  private look = true;
  private running = false;
  private ticking = false;
  private again = false;
  private timer: TimerHandle | undefined;
  private abort = new AbortController();

  constructor(private readonly opts: OutboxOptions) {
    this.integrations = opts.integrations;
  }

  /** Swaps the integrations after a config reload; pending jobs of removed ones fail permanently. */
  setIntegrations(integrations: Integrations): void {
    this.integrations = integrations;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.wake();
  }

  /** Stops polling and waits for deliveries in flight to finish and be recorded. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) this.opts.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all([...this.inFlight.values(), ...this.earlyInFlight]);
  }

  /** Durably enqueues one job and wakes the worker. */
  async enqueue(job: NewJob): Promise<OutboxJob> {
    const stored = await this.opts.store.enqueue(job);
    this.wake();
    return stored;
  }

  /**
   * Enqueues a notification for every integration of its receiver (send_resolved applied);
   * resolves once all jobs are durable. The dispatcher's notify function.
   */
  async enqueueNotification(msg: NotificationMessage): Promise<OutboxJob[]> {
    const jobs = this.plan(msg);
    const stored: OutboxJob[] = [];
    for (const j of jobs) stored.push(await this.opts.store.enqueue(j));
    if (stored.length > 0) this.wake();
    return stored;
  }

  /**
   * The jobs a notification becomes (one per integration of its receiver, send_resolved
   * applied), for a caller that stores them in its own transaction and then calls poke().
   */
  plan(msg: NotificationMessage): NewJob[] {
    return this.integrations.plan(msg, this.opts.clock.now());
  }

  /** Jobs were stored by someone else (in their own transaction): look for them now. */
  poke(): void {
    this.wake();
  }

  /**
   * Jobs just stored (committed) by someone else, as the store returned them: they are
   * delivered without asking the store for them first. `messages[i]`, when given, is job i's
   * payload as an object (what plannedMessage() returns for the job planned), used instead
   * of parsing the payload back (a job handed off without its payload needs it; without one it
   * is left for the store to return). The store stays the truth — a job
   * handed over and lost by a crash is found pending by the next process.
   */
  handOff(jobs: readonly OutboxJob[], messages?: ReadonlyArray<NotificationMessage | undefined>): void {
    let look = false;
    jobs.forEach((j, i) => {
      if (this.inFlight.has(j.id) || this.finished.has(j.id)) return;
      const m = messages?.[i];
      if (!m && j.payload === '') {
        look = true;
        return;
      }
      this.ready.set(j.id, j);
      if (m) this.messages.set(j, m);
    });
    this.wake(look);
  }

  /**
   * Jobs their writer is still committing, with their messages: delivered now, while the
   * commit waits for its turn on the database, instead of after it. Each job's outcome (sent,
   * retry, failed) is recorded once `stored` gives the jobs as committed (in the order given),
   * so a sent mark never precedes its job's row. If the commit fails (`stored` gives
   * undefined), nothing is recorded: the writer has not logged the notification either and
   * sends it again, as after a crash between delivery and the sent mark (at-least-once). A job
   * without a message, or of a type delivered from its stored payload, waits for the commit
   * and is handed off then.
   */
  handOffUncommitted(jobs: readonly NewJob[], messages: ReadonlyArray<NotificationMessage | undefined>, stored: Promise<readonly OutboxJob[] | undefined>): void {
    const later: number[] = [];
    jobs.forEach((job, index) => {
      const msg = messages[index];
      if (!msg || job.integrationType === PAGE_INTEGRATION || this.opts.deliverers?.[job.integrationType]) {
        later.push(index);
        return;
      }
      const e: EarlyJob = { job, msg, index, stored, started: false };
      this.early.add(e);
      // Not started by the time it committed: delivered as a committed job.
      void stored.then((list) => {
        if (e.started) return;
        this.early.delete(e);
        const real = list?.[index];
        if (real) this.handOff([real], [msg]);
      });
    });
    if (later.length > 0) {
      void stored.then((list) => {
        if (!list) return;
        this.handOff(
          later.flatMap((i) => (list[i] ? [list[i]] : [])),
          later.flatMap((i) => (list[i] ? [messages[i]] : [])),
        );
      });
    }
    if (this.early.size > 0) this.wake(false);
  }

  depth(): Promise<number> {
    return this.opts.store.depth();
  }

  /** Runs a tick now; `look`: the store may have new due jobs (otherwise only handed-off ones start). */
  private wake(look = true): void {
    if (look) this.look = true;
    if (!this.running) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    if (this.timer) this.opts.clock.clearTimeout(this.timer);
    this.timer = this.opts.clock.setTimeout(() => void this.tick(), 0);
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (!this.running) return;
    this.ticking = true;
    try {
      const concurrency = this.opts.concurrency ?? 4;
      for (const e of this.early) {
        if (this.delivering >= concurrency) break;
        this.early.delete(e);
        this.beginEarly(e);
      }
      for (const job of this.ready.values()) {
        if (this.delivering >= concurrency) break;
        this.ready.delete(job.id);
        this.begin(job);
      }
      const free = concurrency - this.delivering;
      if (free > 0 && this.ready.size === 0 && this.look) {
        this.look = false;
        // Jobs in flight are not read again: a notification's payload is tens of KB.
        const due = await this.opts.store.due(this.opts.clock.now(), free, new Set(this.inFlight.keys()));
        const fresh = due.filter((j) => !this.inFlight.has(j.id) && !this.ready.has(j.id));
        // A full answer may leave more behind: look again when a slot frees.
        if (due.length >= free) this.look = true;
        for (const job of fresh.slice(0, free)) this.begin(job);
      }
    } catch (err) {
      this.opts.onError?.(err);
    } finally {
      this.ticking = false;
    }
    if (!this.running) return;
    if (this.again) {
      this.again = false;
      this.wake(false);
    } else {
      this.timer = this.opts.clock.setTimeout(() => {
        this.look = true;
        void this.tick();
      }, this.opts.pollInterval ?? 1000);
    }
  }

  /** Takes a delivery slot; the function returned gives it back (once, however often called). */
  private takeSlot(): () => void {
    this.delivering++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.delivering--;
      this.wake(false);
    };
  }

  private begin(job: OutboxJob): void {
    const release = this.takeSlot();
    const p = this.deliver(job, release)
      .catch((err) => this.opts.onError?.(err))
      .finally(() => {
        release();
        this.inFlight.delete(job.id);
        this.finished.add(job.id);
        if (this.finished.size > 10_000) this.finished.delete(this.finished.values().next().value as number);
      });
    this.inFlight.set(job.id, p);
  }

  private beginEarly(e: EarlyJob): void {
    e.started = true;
    const release = this.takeSlot();
    let id: number | undefined;
    const p = this.deliverEarly(e, release)
      .catch((err) => this.opts.onError?.(err))
      .finally(() => {
        release();
        this.earlyInFlight.delete(p);
        if (id === undefined) return;
        this.inFlight.delete(id);
        this.finished.add(id);
        if (this.finished.size > 10_000) this.finished.delete(this.finished.values().next().value as number);
      });
    this.earlyInFlight.add(p);
    // Once committed, the job is in flight under its id: a read of due jobs or a handOff leaves it alone.
    // (Registered before deliverEarly waits for `stored`, so it runs first.)
    void e.stored.then((list) => {
      const real = list?.[e.index];
      if (!real) return;
      id = real.id;
      this.inFlight.set(id, p);
    });
  }

  /** Delivers a job not yet committed, then records its outcome once it is (see handOffUncommitted). */
  private async deliverEarly(e: EarlyJob, release: () => void): Promise<void> {
    const job = e.job as NewJob;
    const integ = this.integrations.get(job.receiver, job.integrationType, job.integrationIndex);
    let result: NotifyResult;
    if (!integ) {
      result = { ok: false, retryable: false, error: `${job.integrationType}[${job.integrationIndex}] of receiver "${job.receiver}" is no longer configured` };
    } else {
      try {
        result = await integ.notifier.notify(e.msg as NotificationMessage, { signal: this.abort.signal });
      } catch (err) {
        result = { ok: false, retryable: true, error: errorMessage(err) };
      }
    }
    release();
    const status = jobStatus(job, e.msg);
    e.job = undefined;
    e.msg = undefined;
    const real = (await e.stored)?.[e.index];
    if (real) await this.settle(real, result, status);
  }

  /** Delivers one job, calls `release` once the peer answered, then records the outcome. */
  private async deliver(job: OutboxJob, release: () => void): Promise<void> {
    const integ =
      job.integrationType === PAGE_INTEGRATION && this.opts.pager
        ? { notifier: this.opts.pager }
        : this.integrations.get(job.receiver, job.integrationType, job.integrationIndex);
    let result: NotifyResult;
    let msg: NotificationMessage | undefined;
    const own = this.opts.deliverers?.[job.integrationType];
    if (own) {
      try {
        result = await own(job.payload, { signal: this.abort.signal });
      } catch (err) {
        result = { ok: false, retryable: true, error: errorMessage(err) };
      }
    } else if (!integ) {
      result = { ok: false, retryable: false, error: `${job.integrationType}[${job.integrationIndex}] of receiver "${job.receiver}" is no longer configured` };
    } else {
      try {
        msg = this.messages.get(job) ?? (JSON.parse(job.payload) as NotificationMessage);
        this.messages.delete(job);
        result = await integ.notifier.notify(msg, { signal: this.abort.signal });
      } catch (err) {
        result = { ok: false, retryable: true, error: errorMessage(err) };
      }
    }
    release();
    const status = jobStatus(job, msg);
    // Not kept while the outcome waits for the database.
    msg = undefined;
    await this.settle(job, result, status);
  }

  /** Records an attempt's outcome: sent, retry with backoff, or given up. */
  private async settle(job: OutboxJob, result: NotifyResult, status: 'firing' | 'resolved'): Promise<void> {
    const now = this.opts.clock.now();
    const attempts = job.attempts + 1;
    const outcome = (o: DeliveryOutcome['outcome'], extra: Partial<DeliveryOutcome> = {}): DeliveryOutcome => ({
      outcome: o,
      receiver: job.receiver,
      integration: `${job.integrationType}[${job.integrationIndex}]`,
      groupKey: job.groupKey,
      fingerprints: job.fingerprints,
      status,
      attempts,
      at: now,
      ...extra,
    });
    if (result.ok) {
      await this.opts.store.markSent(job.id, now);
      await this.opts.onSent?.({ ...job, attempts, status: 'sent', finishedAt: now });
      await this.opts.onOutcome?.(outcome('sent'));
      return;
    }
    const deadline = job.createdAt + (this.opts.maxAge ?? 3600_000);
    if (result.retryable && now < deadline) {
      const next = Math.min(now + backoffDelay(attempts, this.opts, this.opts.random), deadline);
      await this.opts.store.markRetry(job.id, next, result.error, attempts);
      await this.opts.onOutcome?.(outcome('retry', { error: result.error, firstFailure: attempts === 1 }));
      return;
    }
    const error = result.retryable ? `gave up after ${attempts} attempts: ${result.error}` : result.error;
    await this.opts.store.markFailed(job.id, now, error);
    await this.opts.onGiveUp?.({ ...job, attempts, status: 'failed', lastError: error, finishedAt: now }, error);
    await this.opts.onOutcome?.(outcome('failed', { error }));
  }
}

import type { Clock, TimerHandle } from '../model/clock.js';
import type { AlertStateStore } from './alert-state-store.js';
import type { StoredAlert } from './intake.js';

export interface WriteBehindOptions {
  readonly clock: Clock;
  /** How long an accepted alert may wait in memory before it is written, ms (> 0). */
  readonly interval: number;
  /** A failed write; its alerts are kept and written with the next batch. */
  readonly onError?: (err: unknown) => void;
}

/**
 * Keeps the alert store's writes behind intake: save() only notes the alert (the newest copy
 * per fingerprint) and returns at once; every `interval` the notes go to the inner (durable)
 * store in one write. An accepted alert is therefore durable within `interval`, and a crash
 * (SIGKILL, power loss) loses at most the alert updates of the last interval — which the next
 * resend of the sender (Prometheus resends firing alerts every minute) restores. Alertmanager
 * keeps alerts in memory only. flush() writes what is pending now (at stop).
 */
export class WriteBehindAlertStore implements AlertStateStore {
  private pending = new Map<string, StoredAlert>();
  private timer: TimerHandle | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly inner: AlertStateStore,
    private readonly opts: WriteBehindOptions,
  ) {
    if (!(opts.interval > 0)) throw new Error(`write-behind interval must be positive, got ${opts.interval}`);
  }

  save(alerts: readonly StoredAlert[]): Promise<void> {
    for (const a of alerts) this.pending.set(a.fingerprint, a);
    if (this.pending.size > 0 && this.timer === undefined) {
      this.timer = this.opts.clock.setTimeout(() => {
        this.timer = undefined;
        this.flush().catch(() => undefined);
      }, this.opts.interval);
    }
    return Promise.resolve();
  }

  /** Writes every alert noted so far; resolves once they are durable (rejects if the write failed). */
  flush(): Promise<void> {
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    const write = this.writing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.inner.save(batch);
      } catch (err) {
        // Not lost: back in line unless a newer copy arrived meanwhile, written at the next interval.
        const newer = this.pending;
        this.pending = new Map(batch.map((a) => [a.fingerprint, a]));
        for (const [fp, a] of newer) this.pending.set(fp, a);
        this.save([]);
        this.opts.onError?.(err);
        throw err;
      }
    });
    this.writing = write.catch(() => undefined);
    return write;
  }

  /** What was persisted, with what is still waiting to be written on top. */
  async all(): Promise<StoredAlert[]> {
    await this.writing;
    const byFp = new Map((await this.inner.all()).map((a) => [a.fingerprint, a]));
    for (const [fp, a] of this.pending) byFp.set(fp, a);
    return [...byFp.values()];
  }

  async pruneResolved(before: number): Promise<void> {
    await this.flush();
    await this.inner.pruneResolved(before);
  }
}

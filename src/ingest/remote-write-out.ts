import type { Clock, TimerHandle } from '../model/clock.js';
import { fingerprint, type Labels } from '../model/labels.js';
import type { Sample } from '../model/sample.js';
import type { Appendable, Appender } from '../storage/appender.js';
import { encodeWriteRequest, toProtoLabels, type TimeSeries } from './remote-write.js';
import { authorizationHeader, type RemoteWriteConfig } from '../scrape/index.js';

/** The parsed `remote_write` entry (scrape/remote-write-config.ts). */
export type RemoteWriteTarget = Omit<RemoteWriteConfig, 'write_relabel_configs' | 'name'>;

export interface RemoteWriteQueueOptions {
  readonly config: RemoteWriteTarget;
  readonly clock: Clock;
  readonly fetch?: typeof globalThis.fetch;
  /** write_relabel_configs, compiled by the caller (scrape/'s relabel()); undefined drops the sample. */
  readonly relabel?: (labels: Labels) => Labels | undefined;
  readonly userAgent?: string;
}

export interface RemoteWriteStats {
  /** Samples waiting (including a batch being retried). */
  readonly pending: number;
  readonly sent: number;
  readonly retries: number;
  /** Samples given up, by reason: `queue_full`, `http_<status>` for a 4xx, `shutdown`. */
  readonly dropped: Readonly<Record<string, number>>;
  readonly lastError: string;
}

type Outcome = 'ok' | 'retry' | 'drop';


/** Groups a batch into one TimeSeries per label set, samples in arrival order. */
export function toTimeSeries(batch: readonly Sample[]): TimeSeries[] {
  const bySeries = new Map<string, { labels: Labels; samples: Array<{ value: number; timestamp: number }> }>();
  for (const s of batch) {
    const key = fingerprint(s.labels);
    let e = bySeries.get(key);
    if (!e) bySeries.set(key, (e = { labels: s.labels, samples: [] }));
    e.samples.push({ value: s.v, timestamp: s.t });
  }
  return [...bySeries.values()].map((e) => ({ labels: toProtoLabels(e.labels), samples: e.samples }));
}

/**
 * Ships samples to a remote-write 1.0 endpoint, one batch in flight at a time. A batch goes
 * when max_samples_per_send samples wait or batch_send_deadline after the oldest arrived.
 * 5xx, 429, network errors and timeouts are retried with exponential backoff (min_backoff
 * doubling up to max_backoff) for as long as it takes; other 4xx drop the batch. Memory is
 * bounded: beyond `capacity` waiting samples the oldest are dropped and counted.
 */
export class RemoteWriteQueue implements Appendable {
  private queue: Sample[] = [];
  private retryBatch: Sample[] | undefined;
  private inflight: Promise<void> | undefined;
  private deadlineTimer: TimerHandle | undefined;
  private backoffTimer: TimerHandle | undefined;
  private backoff: number;
  private stopping = false;
  private sent = 0;
  private retries = 0;
  private lastError = '';
  private readonly dropped: Record<string, number> = {};
  private readonly fetchFn: typeof globalThis.fetch;

  constructor(private readonly opts: RemoteWriteQueueOptions) {
    this.backoff = opts.config.queue_config.min_backoff;
    this.fetchFn = opts.fetch ?? globalThis.fetch;
  }

  /** Samples appended are queued on commit (so a rolled-back scrape sends nothing). */
  appender(): Appender {
    let pending: Sample[] = [];
    return {
      append: (labels, t, v) => {
        pending.push({ labels, t, v });
      },
      commit: async () => {
        const batch = pending;
        pending = [];
        this.push(batch);
      },
      rollback: () => {
        pending = [];
      },
    };
  }

  push(samples: readonly Sample[]): void {
    if (this.stopping) {
      this.drop('shutdown', samples.length);
      return;
    }
    for (const s of samples) {
      const labels = this.opts.relabel ? this.opts.relabel(s.labels) : s.labels;
      if (labels) this.queue.push(labels === s.labels ? s : { labels, t: s.t, v: s.v });
    }
    const over = this.queue.length - this.opts.config.queue_config.capacity;
    if (over > 0) {
      this.queue.splice(0, over);
      this.drop('queue_full', over);
    }
    this.maybeSend(false);
  }

  stats(): RemoteWriteStats {
    return {
      pending: this.queue.length + (this.retryBatch?.length ?? 0),
      sent: this.sent,
      retries: this.retries,
      dropped: { ...this.dropped },
      lastError: this.lastError,
    };
  }

  /** Resolves when no request is in flight. */
  async settle(): Promise<void> {
    while (this.inflight) await this.inflight;
  }

  /**
   * Sends everything still queued, without retrying: a batch that fails now is dropped as
   * `shutdown` rather than holding the process up.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.clearTimer('deadlineTimer');
    if (this.backoffTimer) {
      this.clearTimer('backoffTimer');
      this.maybeSend(true);
    }
    this.maybeSend(true);
    while (this.inflight) {
      await this.inflight;
      this.maybeSend(true);
    }
  }

  private drop(reason: string, n: number): void {
    if (n > 0) this.dropped[reason] = (this.dropped[reason] ?? 0) + n;
  }

  private clearTimer(which: 'deadlineTimer' | 'backoffTimer'): void {
    const t = this[which];
    if (t) this.opts.clock.clearTimeout(t);
    this[which] = undefined;
  }

  private maybeSend(force: boolean): void {
    if (this.inflight || this.backoffTimer) return;
    const { max_samples_per_send: max, batch_send_deadline } = this.opts.config.queue_config;
    if (!this.retryBatch) {
      if (this.queue.length === 0) return;
      if (!force && this.queue.length < max) {
        this.deadlineTimer ??= this.opts.clock.setTimeout(() => {
          this.deadlineTimer = undefined;
          this.maybeSend(true);
        }, batch_send_deadline);
        return;
      }
      this.clearTimer('deadlineTimer');
      this.retryBatch = this.queue.splice(0, max);
    }
    const batch = this.retryBatch;
    this.inflight = this.send(batch).then((outcome) => {
      this.inflight = undefined;
      if (outcome === 'retry' && !this.stopping) {
        this.retries++;
        const { min_backoff, max_backoff } = this.opts.config.queue_config;
        this.backoffTimer = this.opts.clock.setTimeout(() => {
          this.backoffTimer = undefined;
          this.maybeSend(true);
        }, this.backoff);
        this.backoff = Math.min(Math.max(this.backoff * 2, min_backoff), max_backoff);
        return;
      }
      if (outcome === 'retry') this.drop('shutdown', batch.length);
      this.retryBatch = undefined;
      this.backoff = this.opts.config.queue_config.min_backoff;
      if (!this.stopping) this.maybeSend(this.queue.length >= this.opts.config.queue_config.max_samples_per_send);
    });
  }

  private async send(batch: Sample[]): Promise<Outcome> {
    const cfg = this.opts.config;
    const ac = new AbortController();
    let timedOut = false;
    const timer = this.opts.clock.setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, cfg.remote_timeout);
    try {
      const body = encodeWriteRequest({ timeseries: toTimeSeries(batch) });
      const headers: Record<string, string> = {
        ...cfg.headers,
        'Content-Encoding': 'snappy',
        'Content-Type': 'application/x-protobuf',
        'X-Prometheus-Remote-Write-Version': '0.1.0',
        'User-Agent': this.opts.userAgent ?? 'Vigil',
      };
      const auth = await authorizationHeader(cfg);
      if (auth !== undefined) headers['Authorization'] = auth;
      // Settles on abort even if the fetch implementation does not, so the queue never stalls.
      const aborted = new Promise<never>((_, reject) => {
        if (ac.signal.aborted) reject(new Error('aborted'));
        ac.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      });
      aborted.catch(() => undefined);
      const res = await Promise.race([this.fetchFn(cfg.url, { method: 'POST', headers, body, signal: ac.signal }), aborted]);
      const text = await Promise.race([res.text(), aborted]).catch(() => '');
      if (res.status >= 200 && res.status < 300) {
        this.sent += batch.length;
        return 'ok';
      }
      this.lastError = `server returned HTTP status ${res.status}: ${text.slice(0, 200).trim()}`;
      if (res.status === 429 || res.status >= 500) return 'retry';
      this.drop(`http_${res.status}`, batch.length);
      return 'drop';
    } catch (e) {
      this.lastError = timedOut ? `request timed out after ${cfg.remote_timeout}ms` : (e as Error).message;
      return 'retry';
    } finally {
      this.opts.clock.clearTimeout(timer);
    }
  }
}

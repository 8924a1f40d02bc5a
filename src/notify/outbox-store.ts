/**
 * Durable delivery jobs. A job is one notification for one integration of one receiver; its
 * payload is the JSON of a NotificationMessage. Every field is plain JSON so any store
 * (SQLite, PostgreSQL, memory) can hold it.
 */
export interface NewJob {
  readonly receiver: string;
  /** Integration type (`webhook`, `log`) and index among the receiver's integrations of that type. */
  readonly integrationType: string;
  readonly integrationIndex: number;
  readonly groupKey: string;
  /** Fingerprints of the alerts in the payload. */
  readonly fingerprints: readonly string[];
  readonly payload: string;
  readonly createdAt: number;
}

export type JobStatus = 'pending' | 'sent' | 'failed';

export interface OutboxJob extends NewJob {
  readonly id: number;
  readonly status: JobStatus;
  /** Delivery attempts made so far. */
  readonly attempts: number;
  /** When the job is due (ms); equals createdAt for a new job. */
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
  /** When it was sent or given up (ms). */
  readonly finishedAt: number | null;
}

/**
 * Contract: enqueue() is durable when it resolves; due() returns pending jobs with
 * nextAttemptAt <= now, earliest first (a store shared by replicas should lease what it
 * returns); markSent/markRetry/markFailed are durable when they resolve. depth() counts
 * pending jobs.
 */
export interface OutboxStore {
  enqueue(job: NewJob): Promise<OutboxJob>;
  /** `skip`: ids of jobs being delivered, left out (their payloads need not be read again). */
  due(now: number, limit: number, skip?: ReadonlySet<number>): Promise<OutboxJob[]>;
  markSent(id: number, now: number): Promise<void>;
  markRetry(id: number, nextAttemptAt: number, error: string, attempts: number): Promise<void>;
  markFailed(id: number, now: number, error: string): Promise<void>;
  depth(): Promise<number>;
}

/** For tests and single-process use without a database; survives only as long as the object. */
export class InMemoryOutboxStore implements OutboxStore {
  private readonly jobs = new Map<number, OutboxJob>();
  private nextId = 1;

  async enqueue(job: NewJob): Promise<OutboxJob> {
    const stored: OutboxJob = {
      ...structuredClone(job),
      id: this.nextId++,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: job.createdAt,
      lastError: null,
      finishedAt: null,
    };
    this.jobs.set(stored.id, stored);
    return structuredClone(stored);
  }

  async due(now: number, limit: number, skip?: ReadonlySet<number>): Promise<OutboxJob[]> {
    return [...this.jobs.values()]
      .filter((j) => j.status === 'pending' && j.nextAttemptAt <= now && !skip?.has(j.id))
      .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id)
      .slice(0, Math.max(0, limit))
      .map((j) => structuredClone(j));
  }

  async markSent(id: number, now: number): Promise<void> {
    this.update(id, { status: 'sent', finishedAt: now });
  }

  async markRetry(id: number, nextAttemptAt: number, error: string, attempts: number): Promise<void> {
    this.update(id, { nextAttemptAt, lastError: error, attempts });
  }

  async markFailed(id: number, now: number, error: string): Promise<void> {
    this.update(id, { status: 'failed', finishedAt: now, lastError: error });
  }

  async depth(): Promise<number> {
    return [...this.jobs.values()].filter((j) => j.status === 'pending').length;
  }

  /** Every job, for inspection. */
  all(): OutboxJob[] {
    return [...this.jobs.values()].map((j) => structuredClone(j));
  }

  private update(id: number, patch: Partial<OutboxJob>): void {
    const j = this.jobs.get(id);
    if (!j) throw new Error(`outbox job ${id} not found`);
    this.jobs.set(id, { ...j, ...patch });
  }
}

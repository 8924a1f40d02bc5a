import type { Subscriber } from './subscriber-store.js';

/** One outbox job of a status page notice (the notify module's NewJob fits). */
export interface NoticeJob {
  readonly receiver: string;
  readonly integrationType: string;
  readonly integrationIndex: number;
  readonly groupKey: string;
  readonly fingerprints: readonly string[];
  readonly payload: string;
  readonly createdAt: number;
}

/**
 * The record of notices that must go out once each (maintenance scheduled, started, completed):
 * `once` records a notice's key and queues its jobs for the confirmed subscribers in one
 * transaction, so a notice is never lost between the two and never queued twice — not after a
 * restart, not when two events race. store/sql-notice-log.ts on SQL; memory in tests.
 */
export interface NoticeLog {
  /** Whether any notice about `subject` (a maintenance window's id) was recorded. */
  sentAbout(subject: string): Promise<boolean>;
  /**
   * Records `key` (about `subject`) and queues the jobs `jobs` makes for the confirmed
   * subscribers, or does nothing when `key` was recorded before. True when recorded now.
   */
  once(key: string, subject: string, at: number, jobs: (confirmed: readonly Subscriber[]) => NoticeJob[]): Promise<boolean>;
}

export class MemoryNoticeLog implements NoticeLog {
  readonly keys = new Map<string, { subject: string; at: number }>();
  readonly jobs: NoticeJob[] = [];

  constructor(private readonly subscribers: { confirmed(): Promise<Subscriber[]> }) {}

  async sentAbout(subject: string): Promise<boolean> {
    return [...this.keys.values()].some((k) => k.subject === subject);
  }

  async once(key: string, subject: string, at: number, jobs: (confirmed: readonly Subscriber[]) => NoticeJob[]): Promise<boolean> {
    if (this.keys.has(key)) return false;
    this.keys.set(key, { subject, at });
    const confirmed = await this.subscribers.confirmed();
    for (const j of jobs(confirmed)) this.jobs.push(j);
    return true;
  }
}

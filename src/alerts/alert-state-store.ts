import type { StoredAlert } from './intake.js';

/**
 * Durable copy of the alerts the pipeline holds, so a restart resumes the same alerts (same
 * startsAt, same resolve deadlines) instead of forgetting or re-firing them. save() is durable
 * when it resolves, unless the store writes behind (write-behind-store.ts: durable within its
 * interval, and at flush()). Implemented on SQL in store/, in memory for tests.
 */
export interface AlertStateStore {
  save(alerts: readonly StoredAlert[]): Promise<void>;
  all(): Promise<StoredAlert[]>;
  /** Forgets resolved alerts whose endsAt is before `before`. */
  pruneResolved(before: number): Promise<void>;
  /** A store that writes behind: writes what it holds back now (the pipeline's stop). */
  flush?(): Promise<void>;
}

export class InMemoryAlertStateStore implements AlertStateStore {
  private readonly alerts = new Map<string, StoredAlert>();

  async save(alerts: readonly StoredAlert[]): Promise<void> {
    for (const a of alerts) this.alerts.set(a.fingerprint, a);
  }

  async all(): Promise<StoredAlert[]> {
    return [...this.alerts.values()];
  }

  async pruneResolved(before: number): Promise<void> {
    for (const [fp, a] of this.alerts) if (a.endsAt !== 0 && a.endsAt < before) this.alerts.delete(fp);
  }
}

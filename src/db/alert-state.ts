import type { Alert } from '../model/alert.js';
import type { NotificationLog, NotificationLogEntry } from '../alerting/index.js';
import type { Db } from './database.js';

/**
 * Alerts the pipeline holds, kept durably so a restart resumes with the same firing
 * alerts (and the same startsAt) instead of forgetting or re-firing them.
 */
export class SqlAlertStore {
  constructor(private readonly db: Db) {}

  async save(fp: string, a: Alert): Promise<void> {
    const values = {
      labels: JSON.stringify(a.labels),
      annotations: JSON.stringify(a.annotations),
      starts_at: a.startsAt,
      ends_at: a.endsAt,
      generator_url: a.generatorURL,
      updated_at: a.updatedAt,
    };
    await this.db
      .insertInto('alerts')
      .values({ fingerprint: fp, ...values })
      .onConflict((oc) => oc.column('fingerprint').doUpdateSet(values))
      .execute();
  }

  async all(): Promise<Alert[]> {
    const rows = await this.db.selectFrom('alerts').selectAll().execute();
    return rows.map((r) => ({
      labels: JSON.parse(r.labels) as Record<string, string>,
      annotations: JSON.parse(r.annotations) as Record<string, string>,
      startsAt: Number(r.starts_at),
      endsAt: Number(r.ends_at),
      generatorURL: r.generator_url,
      updatedAt: Number(r.updated_at),
    }));
  }

  /** Forgets resolved alerts older than `before` (they have been notified by then). */
  async pruneResolved(before: number): Promise<void> {
    await this.db.deleteFrom('alerts').where('ends_at', '!=', 0).where('ends_at', '<', before).execute();
  }
}

/**
 * The notification log on SQL. Reads are served from memory (loaded at start) so the
 * dispatcher's flush path does no query; writes go through to the table.
 */
export class SqlNotificationLog implements NotificationLog {
  private readonly cache = new Map<string, NotificationLogEntry>();

  private constructor(private readonly db: Db) {}

  static async open(db: Db): Promise<SqlNotificationLog> {
    const log = new SqlNotificationLog(db);
    for (const r of await db.selectFrom('nflog').selectAll().execute()) {
      log.cache.set(`${r.receiver}\u0000${r.group_key}`, JSON.parse(r.entry) as NotificationLogEntry);
    }
    return log;
  }

  get(receiver: string, groupKey: string): NotificationLogEntry | undefined {
    return this.cache.get(`${receiver}\u0000${groupKey}`);
  }

  async set(receiver: string, groupKey: string, entry: NotificationLogEntry): Promise<void> {
    const value = JSON.stringify({ firing: [...entry.firing], resolved: [...entry.resolved], sentAt: entry.sentAt });
    await this.db
      .insertInto('nflog')
      .values({ receiver, group_key: groupKey, entry: value, updated_at: entry.sentAt })
      .onConflict((oc) => oc.columns(['receiver', 'group_key']).doUpdateSet({ entry: value, updated_at: entry.sentAt }))
      .execute();
    this.cache.set(`${receiver}\u0000${groupKey}`, JSON.parse(value) as NotificationLogEntry);
  }
}

import type { Kysely } from 'kysely';
import type { NotificationLog, NotificationLogEntry } from '../../alerting/index.js';
import type { AlertTables } from './tables.js';
import { GroupCommit } from '../../model/group-commit.js';
import { stringifyFlat } from '../../model/flat-json.js';

/** Work done inside the log's transaction (the transaction is typed by its owner). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type InTransaction = (tx: Kysely<any>) => Promise<void>;

/**
 * Work that many log entries' transactions share: when several entries commit together, `run`
 * is called once with the items of all of them that have the same `run` (one multi-row insert
 * instead of one statement per entry).
 */
export interface BatchedWork<T> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly run: (tx: Kysely<any>, items: readonly T[]) => Promise<void>;
  readonly item: T;
}

interface Row {
  receiver: string;
  group_key: string;
  entry: string;
  updated_at: number;
}

/**
 * The notification log on SQL. Reads are served from memory (loaded at start) so the
 * dispatcher's flush path does no query; writes go through to the table.
 */
export class SqlNotificationLog implements NotificationLog {
  private readonly cache = new Map<string, NotificationLogEntry>();

  /** Many groups flush at once; their log entries (and what goes with them) share one transaction. */
  private readonly writer: GroupCommit<{ row: Row; also?: InTransaction | BatchedWork<unknown> }>;

  private constructor(private readonly db: Kysely<AlertTables>) {
    this.writer = new GroupCommit((items) =>
      this.db.transaction().execute(async (tx) => {
        const batches = new Map<BatchedWork<unknown>['run'], unknown[]>();
        for (const { also } of items) {
          if (typeof also === 'function') await also(tx);
          else if (also) {
            const list = batches.get(also.run);
            if (list) list.push(also.item);
            else batches.set(also.run, [also.item]);
          }
        }
        for (const [run, list] of batches) await run(tx, list);
        // The same group twice in one batch: the later entry wins (a row may be upserted once per statement).
        const rows = [...new Map(items.map(({ row }) => [`${row.receiver}\u0000${row.group_key}`, row])).values()];
        // 100 rows × 4 columns stays well under SQLite's bound-parameter limit.
        for (let i = 0; i < rows.length; i += 100) {
          await tx
            .insertInto('nflog')
            .values(rows.slice(i, i + 100))
            .onConflict((oc) => oc.columns(['receiver', 'group_key']).doUpdateSet((eb) => ({ entry: eb.ref('excluded.entry'), updated_at: eb.ref('excluded.updated_at') })))
            .execute();
        }
      }),
    );
  }

  static async open(db: Kysely<AlertTables>): Promise<SqlNotificationLog> {
    const log = new SqlNotificationLog(db);
    for (const r of await log.db.selectFrom('nflog').selectAll().execute()) {
      log.cache.set(`${r.receiver}\u0000${r.group_key}`, JSON.parse(r.entry) as NotificationLogEntry);
    }
    return log;
  }

  get(receiver: string, groupKey: string): NotificationLogEntry | undefined {
    return this.cache.get(`${receiver}\u0000${groupKey}`);
  }

  set(receiver: string, groupKey: string, entry: NotificationLogEntry): Promise<void> {
    return this.setWith(receiver, groupKey, entry);
  }

  /**
   * Records the entry in the same transaction as `also` (the notification's outbox jobs), so a
   * crash leaves either both or neither: never a queued notification the log does not know
   * about (sent again after a restart), nor a logged one that was never queued (lost).
   */
  async setWith<T>(receiver: string, groupKey: string, entry: NotificationLogEntry, also?: InTransaction | BatchedWork<T>): Promise<void> {
    // A copy of the lists (the caller's may change), sharing their fingerprint strings: parsing the
    // JSON back made new strings for every fingerprint at every flush.
    const kept: NotificationLogEntry = { firing: [...entry.firing], resolved: [...entry.resolved], sentAt: entry.sentAt };
    const row = { receiver, group_key: groupKey, entry: stringifyFlat(kept), updated_at: entry.sentAt };
    await this.writer.add([also ? { row, also: also as InTransaction | BatchedWork<unknown> } : { row }]);
    this.cache.set(`${receiver}\u0000${groupKey}`, kept);
  }
}

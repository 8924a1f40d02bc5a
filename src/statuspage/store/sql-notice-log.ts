import type { Kysely } from 'kysely';
import type { NoticeJob, NoticeLog } from '../notice-log.js';
import type { Subscriber } from '../subscriber-store.js';
import { subscriberFromRow } from './subscriber-row.js';
import type { StatusTables } from './tables.js';

/** Inserts one outbox job inside the caller's transaction (the notify module's insertOutboxJob). */
// The outbox's tables are not this module's: the transaction is passed untyped.
export type InsertJob = (tx: Kysely<any>, job: NoticeJob) => Promise<unknown>;

/**
 * `statuspage_notices` beside the outbox: a notice's key and its jobs commit together, and the
 * key's primary key makes a second `once` (a restart, a racing event, another replica) a no-op.
 */
export class SqlNoticeLog implements NoticeLog {
  constructor(
    private readonly db: Kysely<StatusTables>,
    private readonly insertJob: InsertJob,
  ) {}

  async sentAbout(subject: string): Promise<boolean> {
    const r = await this.db.selectFrom('statuspage_notices').select('key').where('subject', '=', subject).limit(1).executeTakeFirst();
    return r !== undefined;
  }

  once(key: string, subject: string, at: number, jobs: (confirmed: readonly Subscriber[]) => NoticeJob[]): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const r = await tx.insertInto('statuspage_notices').values({ key, subject, at }).onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0n) !== 1) return false;
      const rows = await tx.selectFrom('statuspage_subscribers').selectAll().where('confirmed_at', 'is not', null).execute();
      for (const j of jobs(rows.map(subscriberFromRow))) await this.insertJob(tx, j);
      return true;
    });
  }
}

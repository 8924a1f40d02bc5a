import type { Kysely, Selectable } from 'kysely';
import type { NewJob, OutboxJob, OutboxStore, JobStatus } from '../outbox-store.js';
import type { OutboxTable, OutboxTables } from './tables.js';
import { GroupCommit } from '../../model/group-commit.js';
import { stringifyFlat } from '../../model/flat-json.js';

type JobBody = Omit<NewJob, 'receiver' | 'createdAt' | 'payload'>;

function toJob(r: Selectable<OutboxTable>): OutboxJob {
  // Rows written before notify_0002 carry the payload inside `job`.
  const body = JSON.parse(r.job) as JobBody & { payload?: string };
  return {
    ...body,
    payload: r.payload ?? body.payload ?? '',
    receiver: r.receiver,
    createdAt: Number(r.created_at),
    id: Number(r.id),
    status: r.status as JobStatus,
    attempts: r.attempts,
    nextAttemptAt: Number(r.next_attempt_at),
    lastError: r.last_error,
    finishedAt: r.done_at === null ? null : Number(r.done_at),
  };
}

/** A new job's row: the payload in its own column, the other fields as JSON in `job`. */
function rowOf(job: NewJob) {
  const { receiver, createdAt, payload, ...body } = job;
  return { receiver, job: stringifyFlat(body), payload, status: 'pending', created_at: createdAt, next_attempt_at: createdAt, attempts: 0, last_error: null, done_at: null };
}

/** Inserts one pending job; `db` may be a transaction, so other tables' changes commit with it. */
// Any table map that has the outbox (Kysely's types are invariant in it, so it is taken untyped).
export async function insertOutboxJob(tx: Kysely<any>, job: NewJob): Promise<OutboxJob> {
  const db = tx as Kysely<OutboxTables>;
  // Only the id comes back: the payload (a whole notification) need not travel twice.
  const row = await db
    .insertInto('outbox')
    .values(rowOf(job))
    .returning('id')
    .executeTakeFirstOrThrow();
  return storedJob(job, Number(row.id), job.payload);
}

/** A job as stored, with `payload` as given (a planned job's payload is made each time it is read). */
function storedJob(job: NewJob, id: number, payload: string): OutboxJob {
  const { receiver, integrationType, integrationIndex, groupKey, fingerprints, createdAt } = job;
  return { receiver, integrationType, integrationIndex, groupKey, fingerprints, payload, createdAt, id, status: 'pending', attempts: 0, nextAttemptAt: createdAt, lastError: null, finishedAt: null };
}

/** Rows per insert statement, and payload characters per statement beyond which it ends early. */
const MAX_ROWS = 100;
const MAX_PAYLOAD = 256 * 1024;

/**
 * Inserts many pending jobs (a group flush of many groups) with one statement per 100 rows, or
 * fewer when their payloads pass 256 KiB: a statement's payloads stay in memory until the
 * database has run it, long enough to be promoted to V8's old generation when a flush's
 * notifications went in statements of 5 MB. Returns the stored jobs, in the order given. Each
 * statement's rows get increasing ids in row order (SQLite's rowids, PostgreSQL's sequence),
 * so its returned ids, sorted, are the rows' ids whatever order RETURNING lists them in.
 * `withPayloads: false`: the jobs returned carry an empty payload (the caller delivers them
 * from their messages; the store has the payloads).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function insertOutboxJobs(tx: Kysely<any>, jobs: readonly NewJob[], opts: { withPayloads?: boolean } = {}): Promise<OutboxJob[]> {
  const db = tx as Kysely<OutboxTables>;
  const out: OutboxJob[] = [];
  for (let i = 0; i < jobs.length; ) {
    const rows = [];
    let size = 0;
    // A planned job's payload is made here, when read: only this statement's exist at a time.
    while (i + rows.length < jobs.length && rows.length < MAX_ROWS && size < MAX_PAYLOAD) {
      const row = rowOf(jobs[i + rows.length] as NewJob);
      size += row.payload.length;
      rows.push(row);
    }
    const chunk = jobs.slice(i, i + rows.length);
    i += rows.length;
    const ids = (await db.insertInto('outbox').values(rows).returning('id').execute()).map((r) => Number(r.id)).sort((a, b) => a - b);
    if (ids.length !== chunk.length) throw new Error(`outbox insert returned ${ids.length} ids for ${chunk.length} rows`);
    chunk.forEach((job, k) => out.push(storedJob(job, ids[k] as number, opts.withPayloads === false ? '' : job.payload)));
  }
  return out;
}

/** A notification's jobs, to be inserted with other notifications' (insertPlannedJobs) and filled in with what was stored. */
export interface PlannedJobs {
  readonly jobs: readonly NewJob[];
  /** The jobs as stored, without their payloads: they are handed to the outbox with their messages (plannedMessage). */
  readonly stored: OutboxJob[];
}

/** Inserts the jobs of many notifications in one go; each item's `stored` gets its own jobs as stored. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function insertPlannedJobs(tx: Kysely<any>, items: readonly PlannedJobs[]): Promise<void> {
  const all = await insertOutboxJobs(tx, items.flatMap((i) => i.jobs), { withPayloads: false });
  let k = 0;
  for (const item of items) for (let j = 0; j < item.jobs.length; j++) item.stored.push(all[k++] as OutboxJob);
}

/**
 * The outbox table. Each method is one statement, committed (synchronous=FULL) before it
 * resolves: a job enqueued survives SIGKILL, and a job is only marked sent after delivery.
 */
export class SqlOutboxStore implements OutboxStore {
  private readonly inserts: GroupCommit<NewJob, OutboxJob>;
  private readonly sent: GroupCommit<{ id: number; now: number }>;

  constructor(private readonly db: Kysely<OutboxTables>) {
    // Jobs enqueued at the same time (many groups flushing together) share one transaction.
    this.inserts = new GroupCommit((jobs) =>
      this.db.transaction().execute(async (tx) => {
        const out: OutboxJob[] = [];
        for (const j of jobs) out.push(await insertOutboxJob(tx, j));
        return out;
      }),
    );
    this.sent = new GroupCommit((marks) =>
      this.db.transaction().execute(async (tx) => {
        // One statement per distinct time (marks committed together mostly share a few), 500 ids each.
        const byTime = new Map<number, number[]>();
        for (const m of marks) {
          const ids = byTime.get(m.now);
          if (ids) ids.push(m.id);
          else byTime.set(m.now, [m.id]);
        }
        for (const [now, ids] of byTime) {
          for (let i = 0; i < ids.length; i += 500) await tx.updateTable('outbox').set({ status: 'sent', done_at: now }).where('id', 'in', ids.slice(i, i + 500)).execute();
        }
      }),
    );
  }

  async enqueue(job: NewJob): Promise<OutboxJob> {
    const [stored] = await this.inserts.add([job]);
    if (!stored) throw new Error('outbox insert returned no row');
    return stored;
  }

  async due(now: number, limit: number, skip?: ReadonlySet<number>): Promise<OutboxJob[]> {
    // Jobs being delivered are left out in SQL while their ids fit in a statement's parameters.
    const ids = skip && skip.size <= 500 ? [...skip] : [];
    let q = this.db.selectFrom('outbox').selectAll().where('status', '=', 'pending').where('next_attempt_at', '<=', now);
    if (ids.length > 0) q = q.where('id', 'not in', ids);
    const rows = await q
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(skip && ids.length === 0 ? limit + skip.size : limit)
      .execute();
    return rows
      .filter((r) => !skip?.has(Number(r.id)))
      .slice(0, limit)
      .map(toJob);
  }

  markSent(id: number, now: number): Promise<void> {
    return this.sent.add([{ id, now }]).then(() => undefined);
  }


  async markRetry(id: number, nextAttemptAt: number, error: string, attempts: number): Promise<void> {
    await this.db.updateTable('outbox').set({ next_attempt_at: nextAttemptAt, last_error: error, attempts }).where('id', '=', id).execute();
  }

  async markFailed(id: number, now: number, error: string): Promise<void> {
    await this.db.updateTable('outbox').set({ status: 'failed', done_at: now, last_error: error }).where('id', '=', id).execute();
  }

  async depth(): Promise<number> {
    const r = await this.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** Forgets finished jobs older than `before`. */
  async prune(before: number): Promise<void> {
    await this.db.deleteFrom('outbox').where('status', '!=', 'pending').where('done_at', '<', before).execute();
  }
}

import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Effects, Escalation, EscalationFilter, EscalationStatus, EscalationStore, Followup, NewEscalation, PagedVia, PageJob } from '../escalation/types.js';
import type { Override } from '../schedule.js';
import { minOf } from '../../model/arrays.js';
import type { OncallTables, EscalationsTable } from './tables.js';

/**
 * Writes one page as an outbox job inside the given transaction (notify's outbox, wired by
 * the composition root), so a step's pages commit with the step or not at all.
 */
export type EnqueuePage = (trx: Kysely<OncallTables>, job: PageJob) => Promise<unknown>;

const OPEN: EscalationStatus[] = ['active', 'acknowledged', 'exhausted'];

function toEscalation(r: Selectable<EscalationsTable>): Escalation {
  return {
    id: Number(r.id),
    receiver: r.receiver,
    groupKey: r.group_key,
    policy: r.policy,
    status: r.status as EscalationStatus,
    level: Number(r.level),
    round: Number(r.round),
    nextAt: r.next_at === null ? null : Number(r.next_at),
    startedAt: Number(r.started_at),
    updatedAt: Number(r.updated_at),
    ackedAt: r.acked_at === null ? null : Number(r.acked_at),
    ackedBy: r.acked_by,
    ackedVia: r.acked_via,
    incidentId: r.incident_id,
    fingerprints: JSON.parse(r.fingerprints) as string[],
    message: r.message,
    version: Number(r.version),
    paged: JSON.parse(r.paged) as PagedVia[],
  };
}

function toRow(p: Partial<NewEscalation>): Partial<Omit<EscalationsTable, 'id'>> {
  const out: Partial<Omit<EscalationsTable, 'id'>> = {};
  if (p.receiver !== undefined) out.receiver = p.receiver;
  if (p.groupKey !== undefined) out.group_key = p.groupKey;
  if (p.policy !== undefined) out.policy = p.policy;
  if (p.status !== undefined) out.status = p.status;
  if (p.level !== undefined) out.level = p.level;
  if (p.round !== undefined) out.round = p.round;
  if (p.nextAt !== undefined) out.next_at = p.nextAt;
  if (p.startedAt !== undefined) out.started_at = p.startedAt;
  if (p.updatedAt !== undefined) out.updated_at = p.updatedAt;
  if (p.ackedAt !== undefined) out.acked_at = p.ackedAt;
  if (p.ackedBy !== undefined) out.acked_by = p.ackedBy;
  if (p.ackedVia !== undefined) out.acked_via = p.ackedVia;
  if (p.incidentId !== undefined) out.incident_id = p.incidentId;
  if (p.fingerprints !== undefined) out.fingerprints = JSON.stringify(p.fingerprints);
  if (p.message !== undefined) out.message = p.message;
  if (p.paged !== undefined) out.paged = JSON.stringify(p.paged);
  return out;
}

/**
 * Escalations in SQL. A step's commit is one transaction: the escalation row (checked against
 * its version), its pages as outbox rows and its follow-ups, so a crash leaves either all of a
 * step or none of it.
 */
export class SqlEscalationStore implements EscalationStore {
  constructor(
    private readonly db: Kysely<OncallTables>,
    private readonly enqueue: EnqueuePage,
  ) {}

  async open(receiver: string, groupKey: string): Promise<Escalation | undefined> {
    const r = await this.db
      .selectFrom('escalations')
      .selectAll()
      .where('receiver', '=', receiver)
      .where('group_key', '=', groupKey)
      .where('status', 'in', OPEN)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return r ? toEscalation(r) : undefined;
  }

  async get(id: number): Promise<Escalation | undefined> {
    const r = await this.db.selectFrom('escalations').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toEscalation(r) : undefined;
  }

  async list(f: EscalationFilter): Promise<Escalation[]> {
    let q = this.db.selectFrom('escalations').selectAll();
    if (f.status === 'open') q = q.where('status', 'in', OPEN);
    if (f.incidentId !== undefined) q = q.where('incident_id', '=', f.incidentId);
    q = q.orderBy('id', 'desc');
    if (f.limit !== undefined) q = q.limit(f.limit);
    return (await q.execute()).map(toEscalation);
  }

  async insert(e: NewEscalation): Promise<Escalation> {
    const row = await this.db
      .insertInto('escalations')
      .values({ ...(toRow(e) as Omit<EscalationsTable, 'id' | 'version'>), version: 1 })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toEscalation(row);
  }

  async commit(id: number, version: number, patch: Partial<NewEscalation>, effects: Effects): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('escalations')
        .set({ ...toRow(patch), version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return false;
      for (const job of effects.pages) await this.enqueue(trx, job);
      for (const f of effects.followups) {
        await trx
          .insertInto('escalation_followups')
          .values({ escalation_id: id, due_at: f.dueAt, person: f.person, channels: JSON.stringify(f.channels), level: f.level, round: f.round })
          .execute();
      }
      if (effects.doneFollowups.length) await trx.deleteFrom('escalation_followups').where('id', 'in', [...effects.doneFollowups]).execute();
      return true;
    });
  }

  async due(now: number, limit: number): Promise<Escalation[]> {
    const rows = await this.db
      .selectFrom('escalations')
      .selectAll()
      .where('status', 'in', ['active', 'acknowledged'])
      .where('next_at', '<=', now)
      .orderBy('next_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toEscalation);
  }

  async followupsDue(now: number, limit: number): Promise<Followup[]> {
    const rows = await this.db.selectFrom('escalation_followups').selectAll().where('due_at', '<=', now).orderBy('due_at').orderBy('id').limit(limit).execute();
    return rows.map((r) => ({
      id: Number(r.id),
      escalationId: Number(r.escalation_id),
      dueAt: Number(r.due_at),
      person: r.person,
      channels: JSON.parse(r.channels) as string[],
      level: Number(r.level),
      round: Number(r.round),
    }));
  }

  async nextDue(): Promise<number | undefined> {
    const a = await this.db
      .selectFrom('escalations')
      .select((eb) => eb.fn.min('next_at').as('t'))
      .where('status', 'in', ['active', 'acknowledged'])
      .executeTakeFirst();
    const b = await this.db.selectFrom('escalation_followups').select((eb) => eb.fn.min('due_at').as('t')).executeTakeFirst();
    const times = [a?.t, b?.t].filter((t) => t !== null && t !== undefined).map(Number);
    return times.length ? minOf(times) : undefined;
  }

  /** Forgets resolved escalations (and their follow-ups) last changed before `before`. */
  async prune(before: number): Promise<void> {
    await this.db.deleteFrom('escalations').where('status', '=', 'resolved').where('updated_at', '<', before).execute();
  }
}

/** Overrides added through the API, kept in memory for schedule math and persisted here. */
export class SqlOverrideStore {
  private cache = new Map<string, Override[]>();

  constructor(private readonly db: Kysely<OncallTables>) {}

  async load(): Promise<void> {
    const rows = await this.db.selectFrom('oncall_overrides').selectAll().orderBy('created_at').orderBy('id').execute();
    this.cache = new Map();
    for (const r of rows) this.push(r.schedule, { id: r.id, person: r.person, start: Number(r.start_at), end: Number(r.end_at) });
  }

  list(schedule: string): readonly Override[] {
    return this.cache.get(schedule) ?? [];
  }

  async add(schedule: string, o: Omit<Override, 'id'>, by: string, now: number): Promise<Override> {
    const id = `ovr_${randomBytes(8).toString('hex')}`;
    await this.db.insertInto('oncall_overrides').values({ id, schedule, person: o.person, start_at: o.start, end_at: o.end, created_at: now, created_by: by }).execute();
    const added = { ...o, id };
    this.push(schedule, added);
    return added;
  }

  /** false when there is no such override on that schedule. */
  async remove(schedule: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('oncall_overrides').where('schedule', '=', schedule).where('id', '=', id).executeTakeFirst();
    this.cache.set(schedule, this.list(schedule).filter((o) => o.id !== id));
    return Number(r.numDeletedRows) === 1;
  }

  private push(schedule: string, o: Override): void {
    const list = this.cache.get(schedule) ?? [];
    list.push(o);
    this.cache.set(schedule, list);
  }
}

/** One-use page links and the key that signs them. */
export class SqlPageLinkStore {
  constructor(private readonly db: Kysely<OncallTables>) {}

  /** The signing key, created on first use and shared by every process on this database. */
  async key(): Promise<Buffer> {
    const existing = await this.db.selectFrom('oncall_keys').select('value').where('name', '=', 'page_links').executeTakeFirst();
    if (existing) return Buffer.from(existing.value, 'base64');
    const key = randomBytes(32);
    await this.db.insertInto('oncall_keys').values({ name: 'page_links', value: key.toString('base64') }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const stored = await this.db.selectFrom('oncall_keys').select('value').where('name', '=', 'page_links').executeTakeFirstOrThrow();
    return Buffer.from(stored.value, 'base64');
  }

  async used(nonce: string): Promise<boolean> {
    return (await this.db.selectFrom('page_link_uses').select('nonce').where('nonce', '=', nonce).executeTakeFirst()) !== undefined;
  }

  /** Marks a link used; false if it already was (a second click, a replay). */
  async use(nonce: string, now: number): Promise<boolean> {
    const r = await this.db.insertInto('page_link_uses').values({ nonce, used_at: now }).onConflict((oc) => oc.column('nonce').doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
}

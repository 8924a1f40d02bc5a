import type { Kysely } from 'kysely';
import type { Silence, SilenceMatcher } from '../silence/silence.js';
import type { SilenceStore } from '../silence/silences.js';
import type { AlertingTables } from './tables.js';

/** Silences on SQL: one row per silence, each change one committed statement. */
export class SqlSilenceStore implements SilenceStore {
  constructor(private readonly db: Kysely<AlertingTables>) {}

  async upsert(s: Silence): Promise<void> {
    const values = {
      matchers: JSON.stringify(s.matchers),
      starts_at: s.startsAt,
      ends_at: s.endsAt,
      updated_at: s.updatedAt,
      created_by: s.createdBy,
      comment: s.comment,
    };
    await this.db
      .insertInto('silences')
      .values({ id: s.id, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.deleteFrom('silences').where('id', 'in', [...ids]).execute();
  }

  async all(): Promise<Silence[]> {
    const rows = await this.db.selectFrom('silences').selectAll().execute();
    return rows.map((r) => ({
      id: r.id,
      matchers: JSON.parse(r.matchers) as SilenceMatcher[],
      startsAt: Number(r.starts_at),
      endsAt: Number(r.ends_at),
      updatedAt: Number(r.updated_at),
      createdBy: r.created_by,
      comment: r.comment,
    }));
  }
}

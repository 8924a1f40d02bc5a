import type { Kysely } from 'kysely';
import type { UpdateStore } from '../update-store.js';
import type { NewPublicUpdate, PublicUpdate, UpdateStatus } from '../types.js';
import type { StatusTables } from './tables.js';

export class SqlUpdateStore implements UpdateStore {
  constructor(private readonly db: Kysely<StatusTables>) {}

  async add(u: NewPublicUpdate): Promise<PublicUpdate> {
    const row = await this.db
      .insertInto('statuspage_updates')
      .values({ incident_id: u.incidentId, status: u.status, message: u.message, title: u.title, author: u.author, at: u.at })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...u, id: Number(row.id) };
  }

  async forIncidents(ids: readonly string[]): Promise<PublicUpdate[]> {
    if (ids.length === 0) return [];
    const out: PublicUpdate[] = [];
    // Bounded IN lists: SQLite allows 32k parameters, PostgreSQL 65k.
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db.selectFrom('statuspage_updates').selectAll().where('incident_id', 'in', ids.slice(i, i + 500)).execute();
      for (const r of rows) out.push({ id: Number(r.id), incidentId: r.incident_id, status: r.status as UpdateStatus, message: r.message, title: r.title, author: r.author, at: Number(r.at) });
    }
    return out;
  }
}

import type { Kysely } from 'kysely';
import type { FeedKind, FeedRef, FeedSecret, FeedSecretStore } from '../calendar-feeds.js';
import type { OncallTables } from './tables.js';

type Row = OncallTables['oncall_calendar_feeds'];
const fromRow = (r: Row): FeedSecret => ({ kind: r.kind as FeedKind, name: r.name, tokenHash: r.token_hash, createdAt: Number(r.created_at), createdBy: r.created_by });

export class SqlCalendarFeedStore implements FeedSecretStore {
  constructor(private readonly db: Kysely<OncallTables>) {}

  async get(f: FeedRef): Promise<FeedSecret | undefined> {
    const r = await this.db.selectFrom('oncall_calendar_feeds').selectAll().where('kind', '=', f.kind).where('name', '=', f.name).executeTakeFirst();
    return r ? fromRow(r) : undefined;
  }

  async put(s: FeedSecret): Promise<void> {
    await this.db
      .insertInto('oncall_calendar_feeds')
      .values({ kind: s.kind, name: s.name, token_hash: s.tokenHash, created_at: s.createdAt, created_by: s.createdBy })
      .onConflict((oc) => oc.columns(['kind', 'name']).doUpdateSet({ token_hash: s.tokenHash, created_at: s.createdAt, created_by: s.createdBy }))
      .execute();
  }

  async remove(f: FeedRef): Promise<boolean> {
    const r = await this.db.deleteFrom('oncall_calendar_feeds').where('kind', '=', f.kind).where('name', '=', f.name).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async list(): Promise<FeedSecret[]> {
    return (await this.db.selectFrom('oncall_calendar_feeds').selectAll().orderBy('kind').orderBy('name').execute()).map(fromRow);
  }
}

import type { Kysely } from 'kysely';
import type { Subscriber, SubscriberChannel, SubscriberStore } from '../subscriber-store.js';
import { subscriberFromRow } from './subscriber-row.js';
import type { StatusTables } from './tables.js';

export class SqlSubscriberStore implements SubscriberStore {
  constructor(private readonly db: Kysely<StatusTables>) {}

  async get(channel: SubscriberChannel, address: string): Promise<Subscriber | undefined> {
    const r = await this.db.selectFrom('statuspage_subscribers').selectAll().where('channel', '=', channel).where('address', '=', address).executeTakeFirst();
    return r ? subscriberFromRow(r) : undefined;
  }

  async byToken(tokenHash: string): Promise<Subscriber | undefined> {
    const r = await this.db.selectFrom('statuspage_subscribers').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return r ? subscriberFromRow(r) : undefined;
  }

  async put(s: Subscriber): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('statuspage_subscribers').where('channel', '=', s.channel).where('address', '=', s.address).execute();
      await tx
        .insertInto('statuspage_subscribers')
        .values({ id: s.id, channel: s.channel, address: s.address, token_hash: s.tokenHash, created_at: s.createdAt, confirmed_at: s.confirmedAt })
        .execute();
    });
  }

  async remove(id: string): Promise<void> {
    await this.db.deleteFrom('statuspage_subscribers').where('id', '=', id).execute();
  }

  async confirmed(): Promise<Subscriber[]> {
    return (await this.db.selectFrom('statuspage_subscribers').selectAll().where('confirmed_at', 'is not', null).execute()).map(subscriberFromRow);
  }

  async all(): Promise<Subscriber[]> {
    return (await this.db.selectFrom('statuspage_subscribers').selectAll().orderBy('created_at').orderBy('id').execute()).map(subscriberFromRow);
  }

  async byId(id: string): Promise<Subscriber | undefined> {
    const r = await this.db.selectFrom('statuspage_subscribers').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? subscriberFromRow(r) : undefined;
  }

  async pendingCount(): Promise<number> {
    const r = await this.db.selectFrom('statuspage_subscribers').select((eb) => eb.fn.countAll<number>().as('n')).where('confirmed_at', 'is', null).executeTakeFirst();
    return Number(r?.n ?? 0);
  }
}

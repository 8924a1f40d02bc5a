import type { Subscriber, SubscriberChannel } from '../subscriber-store.js';
import type { StatusTables } from './tables.js';

type Row = StatusTables['statuspage_subscribers'];
export const subscriberFromRow = (r: Row): Subscriber => ({
  id: r.id,
  channel: r.channel as SubscriberChannel,
  address: r.address,
  tokenHash: r.token_hash,
  createdAt: Number(r.created_at),
  confirmedAt: r.confirmed_at === null ? null : Number(r.confirmed_at),
});

export type SubscriberChannel = 'email' | 'webhook';

export interface Subscriber {
  readonly id: string;
  readonly channel: SubscriberChannel;
  readonly address: string;
  readonly tokenHash: string;
  readonly createdAt: number;
  readonly confirmedAt: number | null;
}

/** Subscribers of the status page (store/sql-subscriber-store.ts on SQL; memory in tests). */
export interface SubscriberStore {
  get(channel: SubscriberChannel, address: string): Promise<Subscriber | undefined>;
  byToken(tokenHash: string): Promise<Subscriber | undefined>;
  /** Inserts, or replaces the row of the same channel and address. */
  put(s: Subscriber): Promise<void>;
  remove(id: string): Promise<void>;
  confirmed(): Promise<Subscriber[]>;
  /** Every subscriber, confirmed or not, oldest first (the admin API). */
  all(): Promise<Subscriber[]>;
  byId(id: string): Promise<Subscriber | undefined>;
  pendingCount(): Promise<number>;
}

export class MemorySubscriberStore implements SubscriberStore {
  readonly rows = new Map<string, Subscriber>();
  async get(channel: SubscriberChannel, address: string) {
    return [...this.rows.values()].find((s) => s.channel === channel && s.address === address);
  }
  async byToken(tokenHash: string) {
    return [...this.rows.values()].find((s) => s.tokenHash === tokenHash);
  }
  async put(s: Subscriber) {
    const old = await this.get(s.channel, s.address);
    if (old) this.rows.delete(old.id);
    this.rows.set(s.id, s);
  }
  async remove(id: string) {
    this.rows.delete(id);
  }
  async confirmed() {
    return [...this.rows.values()].filter((s) => s.confirmedAt !== null);
  }
  async all() {
    return [...this.rows.values()].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }
  async byId(id: string) {
    return this.rows.get(id);
  }
  async pendingCount() {
    return [...this.rows.values()].filter((s) => s.confirmedAt === null).length;
  }
}

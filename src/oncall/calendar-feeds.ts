import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A calendar feed: one schedule's or one person's shifts. */
export type FeedKind = 'schedule' | 'person';

export interface FeedRef {
  readonly kind: FeedKind;
  readonly name: string;
}

/** A feed's secret URL as stored: the secret only as a SHA-256 hash. */
export interface FeedSecret extends FeedRef {
  readonly tokenHash: string;
  readonly createdAt: number;
  readonly createdBy: string;
}

/** Where feed secrets live (store/sql-calendar-feed-store.ts on SQL; memory in tests). */
export interface FeedSecretStore {
  get(feed: FeedRef): Promise<FeedSecret | undefined>;
  /** Inserts or replaces the feed's secret. */
  put(s: FeedSecret): Promise<void>;
  remove(feed: FeedRef): Promise<boolean>;
  list(): Promise<FeedSecret[]>;
}

export class MemoryFeedSecretStore implements FeedSecretStore {
  private readonly rows = new Map<string, FeedSecret>();
  private static key(f: FeedRef): string {
    return `${f.kind}\u0000${f.name}`;
  }
  async get(f: FeedRef) {
    return this.rows.get(MemoryFeedSecretStore.key(f));
  }
  async put(s: FeedSecret) {
    this.rows.set(MemoryFeedSecretStore.key(s), s);
  }
  async remove(f: FeedRef) {
    return this.rows.delete(MemoryFeedSecretStore.key(f));
  }
  async list() {
    return [...this.rows.values()];
  }
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Secret calendar URLs. Calendar apps subscribe to a URL and cannot send an Authorization
 * header, so each feed (a schedule's, a person's) may have one secret of 256 random bits that
 * its URL carries: creating it again replaces it (rotation: the old URL stops working), and it
 * can be revoked. Only a hash is stored; the secret is shown once, when it is made.
 */
export class CalendarFeeds {
  constructor(
    private readonly store: FeedSecretStore,
    private readonly now: () => number,
  ) {}

  /** Makes (or replaces) the feed's secret; returns it — the only time it is seen. */
  async issue(feed: FeedRef, by: string): Promise<{ token: string; secret: FeedSecret }> {
    const token = randomBytes(32).toString('base64url');
    const secret: FeedSecret = { kind: feed.kind, name: feed.name, tokenHash: hash(token), createdAt: this.now(), createdBy: by };
    await this.store.put(secret);
    return { token, secret };
  }

  revoke(feed: FeedRef): Promise<boolean> {
    return this.store.remove(feed);
  }

  list(): Promise<FeedSecret[]> {
    return this.store.list();
  }

  /** Whether `token` is the feed's current secret (compared in constant time). */
  async verify(feed: FeedRef, token: string): Promise<boolean> {
    if (!TOKEN.test(token)) return false;
    const s = await this.store.get(feed);
    if (!s) return false;
    return timingSafeEqual(Buffer.from(s.tokenHash, 'hex'), Buffer.from(hash(token), 'hex'));
  }
}

import { createHash, timingSafeEqual } from 'node:crypto';

export const ROLES = ['viewer', 'responder', 'admin', 'ingest'] as const;
export type Role = (typeof ROLES)[number];

/** What each role may do. `ingest` may only push data (metrics, logs, alerts). */
const RANK: Record<Role, number> = { ingest: 0, viewer: 1, responder: 2, admin: 3 };

export function roleAllows(have: Role, need: Role): boolean {
  if (need === 'ingest') return have === 'ingest' || have === 'admin';
  if (have === 'ingest') return false;
  return RANK[have] >= RANK[need];
}

export interface Principal {
  /** The token's name: what every action records as its actor. */
  readonly name: string;
  readonly role: Role;
}

interface StoredToken {
  readonly name: string;
  readonly role: Role;
  readonly hash: Buffer;
}

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * Bearer tokens, held only as SHA-256 hashes (tokens are long random secrets, so a fast
 * hash suffices) and compared in constant time.
 */
export class TokenVerifier {
  private readonly tokens: StoredToken[];

  constructor(tokens: ReadonlyArray<{ name: string; role: Role; secret: string }>) {
    this.tokens = tokens.map((t) => ({ name: t.name, role: t.role, hash: sha256(t.secret) }));
  }

  get enabled(): boolean {
    return this.tokens.length > 0;
  }

  verify(secret: string): Principal | undefined {
    const h = sha256(secret);
    let found: StoredToken | undefined;
    for (const t of this.tokens) if (timingSafeEqual(t.hash, h)) found = t;
    return found ? { name: found.name, role: found.role } : undefined;
  }
}

/**
 * Failed authentications per client address in a sliding window; past `max` failures the
 * client is refused (429) until the window passes. Bounded: tracks at most `maxClients`.
 */
export class FailureLimiter {
  private failures = new Map<string, number[]>();

  constructor(
    private readonly now: () => number,
    private readonly max = 10,
    private readonly windowMs = 60_000,
    private readonly maxClients = 10_000,
  ) {}

  private recent(client: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const list = (this.failures.get(client) ?? []).filter((t) => t > cutoff);
    if (list.length === 0) this.failures.delete(client);
    else this.failures.set(client, list);
    return list;
  }

  /** Milliseconds until the client may try again, or 0 when it may try now. */
  blockedFor(client: string): number {
    const list = this.recent(client);
    if (list.length < this.max) return 0;
    return (list[list.length - this.max] ?? 0) + this.windowMs - this.now();
  }

  fail(client: string): void {
    if (!this.failures.has(client) && this.failures.size >= this.maxClients) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
    this.failures.set(client, [...this.recent(client), this.now()]);
  }
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

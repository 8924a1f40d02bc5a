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

  /**
   * A short fingerprint of a token's secret (a prefix of its hash): a session records it, so
   * changing or removing the token ends the sessions signed in with it.
   */
  fingerprint(name: string): string | undefined {
    return this.tokens.find((t) => t.name === name)?.hash.subarray(0, 9).toString('base64url');
  }

  /** The principal of the token named `name` if its secret still has this fingerprint. */
  byFingerprint(name: string, fingerprint: string): Principal | undefined {
    const t = this.tokens.find((x) => x.name === name);
    if (!t) return undefined;
    const want = Buffer.from(t.hash.subarray(0, 9).toString('base64url'));
    const got = Buffer.from(fingerprint);
    return want.length === got.length && timingSafeEqual(want, got) ? { name: t.name, role: t.role } : undefined;
  }
}

/**
 * Failed authentications per client address in a sliding window; past `max` failures the
 * client's unproven tokens are refused (429) until the window passes. What is limited is
 * guessing, not the people already using Vigil from that address: a token that
 * authenticated from the address within `trustMs` keeps working while it is blocked, so one
 * misconfigured client (or an attacker) behind the same NAT cannot lock out the rest. A
 * token first presented during the block waits like a guess, so a block never answers
 * whether a guess was right. Bounded: tracks at most `maxClients` addresses each.
 */
export class FailureLimiter {
  private failures = new Map<string, number[]>();
  /** client → token name → when it last authenticated from there. */
  private trusted = new Map<string, Map<string, number>>();

  constructor(
    private readonly now: () => number,
    private readonly max = 10,
    private readonly windowMs = 60_000,
    private readonly maxClients = 10_000,
    private readonly trustMs = 24 * 3600_000,
  ) {}

  private recent(client: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const list = (this.failures.get(client) ?? []).filter((t) => t > cutoff);
    if (list.length === 0) this.failures.delete(client);
    else this.failures.set(client, list);
    return list;
  }

  /**
   * Milliseconds until the client may try again, or 0 when it may try now. With `token` (the
   * name of the principal the request authenticated as), 0 if that token is trusted here.
   */
  blockedFor(client: string, token?: string): number {
    const list = this.recent(client);
    if (list.length < this.max) return 0;
    if (token !== undefined) {
      const seen = this.trusted.get(client)?.get(token);
      if (seen !== undefined && seen > this.now() - this.trustMs) return 0;
    }
    return (list[list.length - this.max] ?? 0) + this.windowMs - this.now();
  }

  fail(client: string): void {
    evictOldest(this.failures, client, this.maxClients);
    this.failures.set(client, [...this.recent(client), this.now()]);
  }

  /** Records that `token` authenticated from `client` (call only when it was not blocked). */
  succeed(client: string, token: string): void {
    evictOldest(this.trusted, client, this.maxClients);
    let names = this.trusted.get(client);
    if (!names) this.trusted.set(client, (names = new Map()));
    names.delete(token); // re-insert: newest last
    names.set(token, this.now());
    if (names.size > 100) names.delete(names.keys().next().value as string);
  }
}

function evictOldest<V>(m: Map<string, V>, key: string, max: number): void {
  if (m.has(key) || m.size < max) return;
  const oldest = m.keys().next().value;
  if (oldest !== undefined) m.delete(oldest);
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * Whether a Host header names this machine by a loopback name or address (`localhost`,
 * `*.localhost`, 127.x, [::1]), with or without a port. The open (token-less) API answers
 * only such requests, so a web page cannot reach it by rebinding its own name to 127.0.0.1.
 */
export function isLoopbackHostHeader(hostHeader: string): boolean {
  const m = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(hostHeader.trim().toLowerCase());
  if (!m?.[1]) return false;
  const host = m[1];
  return isLoopback(host) || host.endsWith('.localhost');
}

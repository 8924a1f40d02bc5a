import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a browser session cookie carries: who signed in (by token name and fingerprint), and when. */
export interface Session {
  /** Random per sign-in; the CSRF token is derived from it, so it survives renewals. */
  readonly id: string;
  readonly name: string;
  readonly fingerprint: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/**
 * Signed, stateless browser sessions: the cookie value is the session as JSON plus an
 * HMAC-SHA256 over it with a server key. Nothing is stored server-side, so sessions survive
 * restarts; changing or removing the token (its fingerprint) ends them, as does the key.
 */
export class SessionCodec {
  constructor(
    private readonly key: Buffer,
    /** How long a session lasts after its last renewal. */
    readonly ttlMs = 7 * 24 * 3600_000,
  ) {
    if (key.length < 32) throw new Error('session key must be at least 32 bytes');
  }

  private mac(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url');
  }

  /** A new session for a token, or `renew` a session: same id, new expiry. */
  issue(who: { name: string; fingerprint: string }, now: number, renew?: Session): { session: Session; cookie: string } {
    const session: Session = {
      id: renew?.id ?? b64(randomBytes(18)),
      name: who.name,
      fingerprint: who.fingerprint,
      issuedAt: now,
      expiresAt: now + this.ttlMs,
    };
    const body = b64(JSON.stringify({ s: session.id, n: session.name, f: session.fingerprint, i: session.issuedAt, e: session.expiresAt }));
    return { session, cookie: `${body}.${this.mac(body)}` };
  }

  /** The session a cookie value carries, or undefined if it is forged, malformed or expired. */
  read(cookie: string, now: number): Session | undefined {
    const dot = cookie.indexOf('.');
    if (dot <= 0 || cookie.length > 2048) return undefined;
    const body = cookie.slice(0, dot);
    const got = Buffer.from(cookie.slice(dot + 1));
    const want = Buffer.from(this.mac(body));
    if (got.length !== want.length || !timingSafeEqual(got, want)) return undefined;
    let raw: unknown;
    try {
      raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    const r = raw as { s?: unknown; n?: unknown; f?: unknown; i?: unknown; e?: unknown };
    if (typeof r.s !== 'string' || typeof r.n !== 'string' || typeof r.f !== 'string' || typeof r.i !== 'number' || typeof r.e !== 'number') return undefined;
    if (r.e <= now) return undefined;
    return { id: r.s, name: r.n, fingerprint: r.f, issuedAt: r.i, expiresAt: r.e };
  }

  /** The CSRF token of a session (or of the open API, `anonymous`): what X-CSRF-Token must carry. */
  csrfToken(sessionId: string): string {
    return this.mac(`csrf:${sessionId}`);
  }

  csrfValid(sessionId: string, token: string | undefined): boolean {
    if (!token) return false;
    const got = Buffer.from(token);
    const want = Buffer.from(this.csrfToken(sessionId));
    return got.length === want.length && timingSafeEqual(got, want);
  }
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring acknowledge and resolve links. A token names the escalation, the person
 * paged, the channel the page went out on, the action and an expiry, signed with HMAC-SHA256
 * under a key only the server holds. Each token has a random nonce; the caller records used
 * nonces so a link works once.
 */
export type LinkAction = 'ack' | 'resolve';

export interface LinkClaims {
  readonly escalation: number;
  readonly person: string;
  readonly channel: string;
  readonly action: LinkAction;
  /** ms since the epoch after which the link no longer works. */
  readonly expires: number;
  readonly nonce: string;
}

export type VerifyResult = { readonly ok: true; readonly claims: LinkClaims } | { readonly ok: false; readonly reason: 'malformed' | 'bad_signature' | 'expired' };

const b64 = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

export class LinkSigner {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new RangeError('link signing key must be at least 32 bytes');
  }

  static newKey(): Buffer {
    return randomBytes(32);
  }

  sign(c: Omit<LinkClaims, 'nonce'>): string {
    const body = b64(JSON.stringify({ e: c.escalation, p: c.person, c: c.channel, a: c.action, x: c.expires, n: randomBytes(12).toString('base64url') }));
    return `${body}.${this.mac(body)}`;
  }

  verify(token: string, now: number): VerifyResult {
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined || body.length > 2000) return { ok: false, reason: 'malformed' };
    const want = Buffer.from(this.mac(body));
    const got = Buffer.from(mac);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return { ok: false, reason: 'bad_signature' };
    let raw: { e?: unknown; p?: unknown; c?: unknown; a?: unknown; x?: unknown; n?: unknown };
    try {
      raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof raw;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (typeof raw.e !== 'number' || typeof raw.p !== 'string' || typeof raw.c !== 'string' || (raw.a !== 'ack' && raw.a !== 'resolve') || typeof raw.x !== 'number' || typeof raw.n !== 'string') {
      return { ok: false, reason: 'malformed' };
    }
    if (now >= raw.x) return { ok: false, reason: 'expired' };
    return { ok: true, claims: { escalation: raw.e, person: raw.p, channel: raw.c, action: raw.a, expires: raw.x, nonce: raw.n } };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(`vigil-page-link:${body}`).digest('base64url');
  }
}

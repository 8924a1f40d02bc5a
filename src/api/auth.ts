import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLoopbackHostHeader, roleAllows, type Principal, type Role, type Session } from '../auth/index.js';
import type { ApiDeps } from './deps.js';
import { HttpError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** The least role a route needs; absent = public (health endpoints, the session, the UI's files). */
    role?: Role;
  }
}

export const ANONYMOUS: Principal = { name: 'anonymous', role: 'admin' };
export const SESSION_COOKIE = 'vigil_session';
/** The CSRF token of the open API: every browser on loopback shares this one. */
export const OPEN_SESSION_ID = 'open';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The Set-Cookie value of a session (HttpOnly, SameSite=Strict; Secure when served over HTTPS); an empty value clears it. */
export function sessionCookie(value: string, ttlMs: number, secure: boolean): string {
  const maxAge = value ? Math.floor(ttlMs / 1000) : 0;
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

/** A request a browser sent (fetch or form): browsers add Origin or Sec-Fetch-Site, curl and the CLI do not. */
const fromBrowser = (req: FastifyRequest) => req.headers.origin !== undefined || req.headers['sec-fetch-site'] !== undefined;

const csrfHeader = (req: FastifyRequest): string | undefined => {
  const v = req.headers['x-csrf-token'];
  return Array.isArray(v) ? v[0] : v;
};

/** A browser request's Origin names this server: its Host header, or server.external_url's host. */
function sameOrigin(req: FastifyRequest, extraHosts: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || origin === 'null') return origin === undefined;
  let host: string;
  try {
    host = new URL(origin).host.toLowerCase();
  } catch {
    return false;
  }
  return host === (req.headers.host ?? '').toLowerCase() || extraHosts.some((h) => h.toLowerCase() === host);
}

/** The Host names the open API answers to: loopback names, and the host of server.external_url. */
export function openHostAllowed(req: FastifyRequest, extraHosts: readonly string[]): boolean {
  const host = req.headers.host;
  if (host === undefined) return true;
  const bare = host.toLowerCase();
  return isLoopbackHostHeader(bare) || extraHosts.some((h) => h.toLowerCase() === bare || bare.startsWith(`${h.toLowerCase()}:`));
}

/**
 * Authentication, in this order:
 * - No tokens configured: the API is open (the server only listens on loopback then) and
 *   everyone acts as `anonymous`. It answers only Host names of this machine, and a
 *   browser's state-changing request must carry the open CSRF token, so no web page can act
 *   through a visitor's browser.
 * - `Authorization: Bearer <token>`: the token's principal.
 * - The `vigil_session` cookie set by signing in (POST /api/v1/session): the token it was
 *   signed in with, if that token still exists unchanged; state-changing requests must carry
 *   the session's CSRF token in X-CSRF-Token.
 * Failed attempts are rate limited per client address; tokens that already authenticated
 * from that address keep working meanwhile (see FailureLimiter).
 */
export function registerAuth(app: FastifyInstance, deps: ApiDeps): void {
  app.decorateRequest('principal', null as unknown as Principal);
  const { verifier, limiter, sessions } = deps.auth;
  const extraHosts = deps.auth.publicHosts ?? [];
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!SAFE_METHODS.has(req.method) && !sameOrigin(req, extraHosts)) {
      throw new HttpError('forbidden', `cross-origin request refused: Origin ${req.headers.origin ?? ''} is not this server (set server.external_url if Vigil is behind a proxy)`);
    }
    if (!verifier.enabled && !openHostAllowed(req, extraHosts)) {
      throw new HttpError('forbidden', `this Vigil has no API tokens, so it answers only requests addressed to this machine (localhost, 127.0.0.1), not to ${JSON.stringify(req.headers.host)}`);
    }
    const need = req.routeOptions.config?.role;
    if (!need) return;
    if (!verifier.enabled) {
      if (!SAFE_METHODS.has(req.method) && fromBrowser(req) && !sessions.csrfValid(OPEN_SESSION_ID, csrfHeader(req))) {
        throw new HttpError('forbidden', 'missing or wrong X-CSRF-Token header (GET /api/v1/session gives the token)');
      }
      req.principal = ANONYMOUS;
      return;
    }
    const header = req.headers.authorization;
    let principal: Principal | undefined;
    let session: Session | undefined;
    if (header) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      principal = m?.[1] ? verifier.verify(m[1]) : undefined;
    } else {
      const cookie = readCookie(req, SESSION_COOKIE);
      session = cookie ? sessions.read(cookie, deps.now()) : undefined;
      principal = session ? verifier.byFingerprint(session.name, session.fingerprint) : undefined;
    }
    // Blocked after too many failures: only tokens already proven from this address pass.
    const wait = limiter.blockedFor(req.ip, principal?.name);
    if (wait > 0) {
      throw new HttpError('too_many_requests', 'too many failed authentications from this address; try again later', { 'retry-after': String(Math.ceil(wait / 1000)) });
    }
    if (header && !principal) {
      limiter.fail(req.ip);
      throw new HttpError('unauthorized', 'invalid bearer token', { 'www-authenticate': 'Bearer realm="vigil"' });
    }
    if (!header && (!session || !principal)) {
      throw new HttpError(
        'unauthorized',
        readCookie(req, SESSION_COOKIE) ? 'your session has expired or its token was changed; sign in again' : 'missing bearer token (Authorization: Bearer <token>) or session (sign in at /)',
        { 'www-authenticate': 'Bearer realm="vigil"' },
      );
    }
    if (!principal) throw new HttpError('unauthorized', 'not signed in');
    if (session) {
      if (!SAFE_METHODS.has(req.method) && !sessions.csrfValid(session.id, csrfHeader(req))) {
        throw new HttpError('forbidden', 'missing or wrong X-CSRF-Token header (GET /api/v1/session gives the token)');
      }
      // Sliding expiry: a session in use is renewed (at most hourly), keeping its id and CSRF token.
      if (deps.now() - session.issuedAt > 3600_000) {
        void reply.header('set-cookie', sessionCookie(sessions.issue(session, deps.now(), session).cookie, sessions.ttlMs, deps.auth.secureCookies));
      }
    }
    if (!roleAllows(principal.role, need)) {
      throw new HttpError('forbidden', `token "${principal.name}" has role ${principal.role}; this needs ${need}`);
    }
    limiter.succeed(req.ip, principal.name);
    req.principal = principal;
  });
}

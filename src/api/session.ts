import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps } from './deps.js';
import { HttpError } from './errors.js';
import { parse } from './validate.js';
import { ANONYMOUS, OPEN_SESSION_ID, SESSION_COOKIE, readCookie, sessionCookie } from './auth.js';
import { signInBody, type SessionView } from './schemas/index.js';

/**
 * Browser sign-in: POST a token, get an HttpOnly session cookie; GET tells the UI how this
 * server authenticates, who the caller is and the CSRF token to send; DELETE signs out.
 * Public routes: they authenticate for themselves.
 */
export function registerSessionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { verifier, limiter, sessions } = deps.auth;
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

  const current = (req: FastifyRequest): SessionView => {
    const base = { version: deps.version };
    if (!verifier.enabled) {
      return { ...base, mode: 'open', authenticated: true, name: ANONYMOUS.name, role: ANONYMOUS.role, csrf_token: sessions.csrfToken(OPEN_SESSION_ID), expires_at: null };
    }
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    const viaBearer = bearer ? verifier.verify(bearer) : undefined;
    if (viaBearer) return { ...base, mode: 'token', authenticated: true, name: viaBearer.name, role: viaBearer.role, csrf_token: null, expires_at: null };
    const cookie = readCookie(req, SESSION_COOKIE);
    const session = cookie ? sessions.read(cookie, deps.now()) : undefined;
    const who = session ? verifier.byFingerprint(session.name, session.fingerprint) : undefined;
    if (!session || !who) return { ...base, mode: 'token', authenticated: false, name: null, role: null, csrf_token: null, expires_at: null };
    return {
      ...base,
      mode: 'token',
      authenticated: true,
      name: who.name,
      role: who.role,
      csrf_token: sessions.csrfToken(session.id),
      expires_at: new Date(session.expiresAt).toISOString(),
    };
  };

  app.get('/api/v1/session', async (req, reply): Promise<SessionView> => {
    noStore(reply);
    return current(req);
  });

  app.post('/api/v1/session', async (req, reply): Promise<SessionView> => {
    noStore(reply);
    if (!verifier.enabled) return current(req);
    const wait = limiter.blockedFor(req.ip);
    if (wait > 0) throw new HttpError('too_many_requests', 'too many failed sign-ins; try again later', { 'retry-after': String(Math.ceil(wait / 1000)) });
    const { token } = parse(signInBody, req.body, 'body');
    const who = verifier.verify(token.trim());
    const fingerprint = who ? verifier.fingerprint(who.name) : undefined;
    if (!who || !fingerprint) {
      limiter.fail(req.ip);
      throw new HttpError('unauthorized', 'that token is not valid here');
    }
    if (who.role === 'ingest') throw new HttpError('forbidden', `token "${who.name}" has role ingest, which can only push data; sign in with a viewer, responder or admin token`);
    limiter.succeed(req.ip, who.name);
    const { session, cookie } = sessions.issue({ name: who.name, fingerprint }, deps.now());
    void reply.header('set-cookie', sessionCookie(cookie, sessions.ttlMs, deps.auth.secureCookies));
    req.log.info({ actor: who.name }, 'signed in');
    return {
      version: deps.version,
      mode: 'token',
      authenticated: true,
      name: who.name,
      role: who.role,
      csrf_token: sessions.csrfToken(session.id),
      expires_at: new Date(session.expiresAt).toISOString(),
    };
  });

  app.delete('/api/v1/session', async (_req, reply) => {
    noStore(reply);
    void reply.header('set-cookie', sessionCookie('', 0, deps.auth.secureCookies));
    return reply.status(204).send();
  });
}

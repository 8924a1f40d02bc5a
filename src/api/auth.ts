import type { FastifyInstance, FastifyRequest } from 'fastify';
import { roleAllows, type Principal, type Role } from '../auth/index.js';
import type { ApiDeps } from './deps.js';
import { HttpError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** The least role a route needs; absent = public (health endpoints only). */
    role?: Role;
  }
}

const ANONYMOUS: Principal = { name: 'anonymous', role: 'admin' };

/**
 * Bearer-token authentication. With no tokens configured the API is open (the server
 * refuses to bind anywhere but loopback in that case) and actions are recorded as
 * `anonymous`. Failed attempts are rate limited per client address; tokens that already
 * authenticated from that address keep working meanwhile (see FailureLimiter).
 */
export function registerAuth(app: FastifyInstance, deps: ApiDeps): void {
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (req: FastifyRequest) => {
    const need = req.routeOptions.config.role;
    if (!need) return;
    const { verifier, limiter } = deps.auth;
    if (!verifier.enabled) {
      req.principal = ANONYMOUS;
      return;
    }
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const principal = m?.[1] ? verifier.verify(m[1]) : undefined;
    // Blocked after too many failures: only tokens already proven from this address pass.
    const wait = limiter.blockedFor(req.ip, principal?.name);
    if (wait > 0) {
      throw new HttpError('too_many_requests', 'too many failed authentications from this address; try again later', {
        'retry-after': String(Math.ceil(wait / 1000)),
      });
    }
    if (!principal) {
      limiter.fail(req.ip);
      throw new HttpError('unauthorized', header ? 'invalid bearer token' : 'missing bearer token (Authorization: Bearer <token>)', {
        'www-authenticate': 'Bearer realm="vigil"',
      });
    }
    if (!roleAllows(principal.role, need)) {
      throw new HttpError('forbidden', `token "${principal.name}" has role ${principal.role}; this needs ${need}`);
    }
    limiter.succeed(req.ip, principal.name);
    req.principal = principal;
  });
}

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { DomainError } from '../model/errors.js';

/** An error the HTTP layer itself raises (auth, rate limit) with its status. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/** `body.severity: Invalid option: expected one of …` — one line per problem. */
export function zodMessage(err: ZodError, where: string): string {
  return err.issues.map((i) => `${formatPath([where, ...i.path])}: ${i.message}`).join('; ');
}

const DOMAIN_STATUS = { not_found: 404, conflict: 409, invalid: 400 } as const;

/** The one place where errors become HTTP responses: `{"error": code, "message": …}`. */
export function errorHandler(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): void {
  if (err instanceof HttpError) {
    void reply.status(err.statusCode).headers(err.headers).send({ error: err.code, message: err.message });
    return;
  }
  if (err instanceof DomainError) {
    void reply.status(DOMAIN_STATUS[err.kind]).send({ error: err.kind, message: err.message });
    return;
  }
  if (err instanceof ZodError) {
    void reply.status(400).send({ error: 'bad_request', message: zodMessage(err, 'request') });
    return;
  }
  const fe = err as FastifyError;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fastify's own client errors: malformed JSON, unsupported media type, body too large.
    void reply.status(fe.statusCode).send({ error: 'bad_request', message: fe.message });
    return;
  }
  req.log.error({ err }, 'request failed');
  void reply.status(500).send({ error: 'internal', message: 'internal server error (see the server log for the request id)' });
}

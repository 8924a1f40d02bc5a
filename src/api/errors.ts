import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { DomainError } from '../model/errors.js';
import { ERROR_STATUS, type ErrorCode } from './schemas/errors.js';
import { zodMessage } from './messages.js';

export { formatPath, zodMessage } from './messages.js';

/** An error the HTTP layer itself raises (auth, rate limit, bad input) with its code. */
export class HttpError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = ERROR_STATUS[code];
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The error body of a route that speaks another product's API: Prometheus's
     * `{status, errorType, error}`, plain text (Loki, remote-write), OTLP's Status. Absent:
     * Vigil's `{"error": code, "message": …}`.
     */
    errorShape?: 'prometheus' | 'text' | 'otlp';
  }
}

const DOMAIN_CODE = { not_found: 'not_found', conflict: 'conflict', invalid: 'bad_request' } as const satisfies Record<DomainError['kind'], ErrorCode>;

/** Fastify's own client errors (malformed JSON, body too large, unknown media type), said plainly. */
function fastifyClientError(fe: FastifyError): { code: ErrorCode; message: string } {
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'payload_too_large', message: 'the request body is larger than this endpoint accepts' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'unsupported_media_type', message: `${fe.message.replace(/^Unsupported Media Type:?\s*/i, 'Content-Type ')} is not accepted here; send application/json` };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'bad_request', message: 'the request says Content-Type: application/json but has no body; send {} or leave the header out' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 'bad_request', message: 'the Content-Length header does not match the body' };
    default:
      if (fe instanceof SyntaxError || /JSON/.test(fe.message)) return { code: 'bad_request', message: `the request body is not valid JSON: ${fe.message}` };
      return { code: fe.statusCode === 413 ? 'payload_too_large' : fe.statusCode === 415 ? 'unsupported_media_type' : 'bad_request', message: fe.message };
  }
}

/** Every error as a code (which fixes the status) and a message for people. */
function classify(err: FastifyError | Error): { code: ErrorCode; message: string; headers: Record<string, string> } | undefined {
  if (err instanceof HttpError) return { code: err.code, message: err.message, headers: err.headers };
  if (err instanceof DomainError) return { code: DOMAIN_CODE[err.kind], message: err.message, headers: {} };
  if (err instanceof ZodError) return { code: 'bad_request', message: zodMessage(err, 'request'), headers: {} };
  const fe = err as FastifyError;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) return { ...fastifyClientError(fe), headers: {} };
  return undefined;
}

const PROMETHEUS_TYPE: Partial<Record<ErrorCode, string>> = { bad_request: 'bad_data', not_found: 'not_found', internal: 'internal', unavailable: 'unavailable' };
const OTLP_CODE: Partial<Record<ErrorCode, number>> = { bad_request: 3, unauthorized: 16, forbidden: 7, not_found: 5, too_many_requests: 8, overloaded: 8, internal: 13, unavailable: 14 };

/** The one place where errors become HTTP responses, in the shape of the API the route belongs to. */
export function errorHandler(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): void {
  let e = classify(err);
  if (!e) {
    req.log.error({ err }, 'request failed');
    e = { code: 'internal', message: `internal server error (request id ${req.id}; see the server log)`, headers: {} };
  }
  void reply.status(ERROR_STATUS[e.code]).headers(e.headers);
  switch (req.routeOptions.config?.errorShape) {
    case 'prometheus':
      void reply.send({ status: 'error', errorType: PROMETHEUS_TYPE[e.code] ?? e.code, error: e.message });
      return;
    case 'text':
      void reply.type('text/plain; charset=utf-8').send(e.message);
      return;
    case 'otlp':
      void reply.send({ code: OTLP_CODE[e.code] ?? 2, message: e.message });
      return;
    case undefined:
      void reply.send({ error: e.code, message: e.message });
      return;
    default: {
      const never: never = req.routeOptions.config.errorShape;
      return never;
    }
  }
}

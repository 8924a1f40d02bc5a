import { z } from 'zod';

/** Every error code Vigil's own API answers with, and the HTTP status each goes with. */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  overloaded: 429,
  /** The client closed the request before the answer (nginx's 499): nobody reads it. */
  canceled: 499,
  internal: 500,
  unavailable: 503,
  /** The work ran past its time limit (a query's timeout). */
  timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * The one error body of Vigil's own API (everything but the Prometheus, Loki, OTLP and
 * Alertmanager APIs, which keep their own): a stable code and a message for people.
 */
export const apiErrorSchema = z.strictObject({
  error: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

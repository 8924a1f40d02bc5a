import { z } from 'zod';

export const ROLE_VALUES = ['viewer', 'responder', 'admin', 'ingest'] as const;

/**
 * GET /api/v1/session: how this server authenticates (`open`: no tokens configured, loopback
 * only, everyone acts as `anonymous` admin; `token`: sign in with an API token) and who the
 * caller is. `csrf_token` goes in the X-CSRF-Token header of every state-changing request a
 * browser makes.
 */
export const sessionSchema = z.object({
  mode: z.enum(['open', 'token']),
  authenticated: z.boolean(),
  name: z.string().nullable(),
  role: z.enum(ROLE_VALUES).nullable(),
  csrf_token: z.string().nullable(),
  /** When the session cookie expires (token mode). */
  expires_at: z.string().nullable(),
  version: z.string(),
});
export type SessionView = z.infer<typeof sessionSchema>;

export const signInBody = z.strictObject({ token: z.string().min(1, 'must not be empty').max(4096) });
export type SignInBody = z.input<typeof signInBody>;

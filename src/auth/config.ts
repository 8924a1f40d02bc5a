import { z } from 'zod';
import { nameSchema } from '../model/schema.js';
import { ROLES } from './tokens.js';

/**
 * `server.tokens` in vigil.yml: tokens are named in config; their secrets come from the
 * environment so the file can be committed. The config never holds a secret.
 */
export const tokenConfigSchema = z.strictObject({
  name: nameSchema,
  role: z.enum(ROLES),
  secret_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'),
});

export type TokenConfig = z.output<typeof tokenConfigSchema>;

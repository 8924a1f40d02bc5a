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

export type TokenSecrets =
  | { readonly ok: true; readonly tokens: Array<{ name: string; role: TokenConfig['role']; secret: string }> }
  | { readonly ok: false; readonly errors: string[] };

/**
 * Reads each token's secret from the environment. `vigil server` refuses to start and
 * `vigil check-config` reports the same problems, each with its path.
 */
export function resolveTokenSecrets(tokens: readonly TokenConfig[], env: Readonly<Record<string, string | undefined>>): TokenSecrets {
  const errors: string[] = [];
  const out = tokens.map((t, i) => {
    const secret = env[t.secret_env];
    if (!secret) errors.push(`server.tokens[${i}] (${t.name}): environment variable ${t.secret_env} is not set`);
    else if (secret.length < 16) errors.push(`server.tokens[${i}] (${t.name}): the secret in ${t.secret_env} is shorter than 16 characters`);
    return { name: t.name, role: t.role, secret: secret ?? '' };
  });
  return errors.length ? { ok: false, errors } : { ok: true, tokens: out };
}

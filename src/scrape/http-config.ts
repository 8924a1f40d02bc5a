import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/**
 * The HTTP client keys Prometheus shares between scrape_configs and remote_write
 * (common/config.HTTPClientConfig): at most one of authorization, bearer_token(_file) and
 * basic_auth. Secrets may come from files, read at request time so rotation needs no reload.
 */
export const basicAuthSchema = z
  .strictObject({
    username: z.string().min(1, 'basic_auth needs a username'),
    password: z.string().optional(),
    password_file: z.string().min(1).optional(),
  })
  .refine((b) => !(b.password !== undefined && b.password_file !== undefined), {
    message: 'at most one of basic_auth password and password_file may be set',
  });

export const authorizationSchema = z
  .strictObject({
    type: z
      .string()
      .default('Bearer')
      .refine((t) => t.toLowerCase() !== 'basic', { message: 'authorization type "Basic" is not allowed: use basic_auth' }),
    credentials: z.string().optional(),
    credentials_file: z.string().min(1).optional(),
  })
  .refine((a) => !(a.credentials !== undefined && a.credentials_file !== undefined), {
    message: 'at most one of authorization credentials and credentials_file may be set',
  });

export const httpClientShape = {
  authorization: authorizationSchema.optional(),
  bearer_token: z.string().min(1).optional(),
  bearer_token_file: z.string().min(1).optional(),
  basic_auth: basicAuthSchema.optional(),
};

export interface HttpAuthConfig {
  authorization?: { type: string; credentials?: string | undefined; credentials_file?: string | undefined } | undefined;
  bearer_token?: string | undefined;
  bearer_token_file?: string | undefined;
  basic_auth?: { username: string; password?: string | undefined; password_file?: string | undefined } | undefined;
}

/** The message for a config that sets more than one auth method, or undefined when it is fine. */
export function authConflict(c: HttpAuthConfig): string | undefined {
  const set = [
    c.authorization && 'authorization',
    c.bearer_token !== undefined && 'bearer_token',
    c.bearer_token_file !== undefined && 'bearer_token_file',
    c.basic_auth && 'basic_auth',
  ].filter((x): x is string => typeof x === 'string');
  return set.length > 1 ? `at most one of ${set.join(', ')} may be set` : undefined;
}

async function secret(value: string | undefined, file: string | undefined): Promise<string> {
  if (file !== undefined) return (await readFile(file, 'utf8')).trim();
  return value ?? '';
}

/** The Authorization header value for `c`, or undefined when it configures none. */
export async function authorizationHeader(c: HttpAuthConfig): Promise<string | undefined> {
  if (c.basic_auth) {
    const pw = await secret(c.basic_auth.password, c.basic_auth.password_file);
    return `Basic ${Buffer.from(`${c.basic_auth.username}:${pw}`).toString('base64')}`;
  }
  if (c.authorization) {
    return `${c.authorization.type} ${await secret(c.authorization.credentials, c.authorization.credentials_file)}`;
  }
  if (c.bearer_token !== undefined || c.bearer_token_file !== undefined) {
    return `Bearer ${await secret(c.bearer_token, c.bearer_token_file)}`;
  }
  return undefined;
}

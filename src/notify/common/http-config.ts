import { z } from 'zod';
import type { TlsOptions } from './http-client.js';
import { atMostOneSource, readOptionalSecret, secretShape } from './secrets.js';
import type { Redactor, SecretReader } from './secrets.js';

/**
 * `http_config`, the subset of Prometheus's HTTPClientConfig that notifiers use: one way to
 * authenticate (basic_auth, authorization or bearer_token), tls_config, follow_redirects.
 * Every secret also takes `_file` and `_env`. Keys Vigil does not implement (proxy_url,
 * oauth2, http_headers) are errors, not silently ignored.
 */
const basicAuthSchema = z
  .strictObject({
    username: z.string().optional(),
    username_file: z.string().min(1).optional(),
    ...secretShape('password'),
  })
  .superRefine(atMostOneSource('password'))
  .refine((b) => !(b.username !== undefined && b.username_file !== undefined), { message: 'at most one of username & username_file must be configured' });

const authorizationSchema = z
  .strictObject({
    type: z.string().min(1).default('Bearer'),
    ...secretShape('credentials'),
  })
  .superRefine(atMostOneSource('credentials'))
  .refine((a) => a.type.toLowerCase() !== 'basic', { message: 'authorization type cannot be set to "basic", use "basic_auth" instead' });

const tlsVersion = z.enum(['TLS10', 'TLS11', 'TLS12', 'TLS13']);

export const tlsConfigSchema = z
  .strictObject({
    ca: z.string().optional(),
    ca_file: z.string().min(1).optional(),
    cert: z.string().optional(),
    cert_file: z.string().min(1).optional(),
    ...secretShape('key'),
    server_name: z.string().optional(),
    insecure_skip_verify: z.boolean().default(false),
    min_version: tlsVersion.optional(),
    max_version: tlsVersion.optional(),
  })
  .superRefine(atMostOneSource('key'))
  .superRefine((t, ctx) => {
    if (t.ca !== undefined && t.ca_file !== undefined) ctx.addIssue({ code: 'custom', message: 'at most one of ca and ca_file must be configured' });
    if (t.cert !== undefined && t.cert_file !== undefined) ctx.addIssue({ code: 'custom', message: 'at most one of cert and cert_file must be configured' });
    const hasCert = t.cert !== undefined || t.cert_file !== undefined;
    const hasKey = t.key !== undefined || t.key_file !== undefined || t.key_env !== undefined;
    if (hasCert !== hasKey) ctx.addIssue({ code: 'custom', message: 'exactly one of key or key_file must be configured when a client certificate is configured' });
  });

export const httpConfigSchema = z
  .strictObject({
    basic_auth: basicAuthSchema.optional(),
    authorization: authorizationSchema.optional(),
    ...secretShape('bearer_token'),
    tls_config: tlsConfigSchema.optional(),
    follow_redirects: z.boolean().default(true),
    /** Accepted for compatibility; Vigil's client speaks HTTP/1.1. */
    enable_http2: z.boolean().optional(),
  })
  .superRefine(atMostOneSource('bearer_token'))
  .superRefine((c, ctx) => {
    const ways = [c.basic_auth && 'basic_auth', c.authorization && 'authorization', (c.bearer_token ?? c.bearer_token_file ?? c.bearer_token_env) && 'bearer_token'].filter(Boolean);
    if (ways.length > 1) ctx.addIssue({ code: 'custom', message: `at most one of basic_auth, authorization & bearer_token must be configured (got ${ways.join(', ')})` });
  });

export type HttpConfig = z.output<typeof httpConfigSchema>;
export type TlsConfig = z.output<typeof tlsConfigSchema>;

/** The secret keys inside http_config, as dotted paths, for redaction. */
export const HTTP_CONFIG_SECRETS = ['basic_auth.password', 'authorization.credentials', 'bearer_token', 'tls_config.key'] as const;

export interface ResolvedHttpConfig {
  readonly headers: Record<string, string>;
  readonly tls?: TlsOptions;
  readonly followRedirects: boolean;
}

const TLS_VERSIONS = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;

/**
 * Reads the credentials and TLS material (files and variables at delivery time), registering
 * every secret with the redactor. Throws SecretError naming the key when one cannot be read.
 */
export function resolveHttpConfig(c: HttpConfig | undefined, reader: SecretReader, redactor: Redactor): ResolvedHttpConfig {
  const headers: Record<string, string> = {};
  if (!c) return { headers, followRedirects: true };
  if (c.basic_auth) {
    const b = c.basic_auth;
    const username = b.username_file !== undefined ? reader.readFile(b.username_file).trim() : (b.username ?? '');
    const password = readOptionalSecret(b, 'password', reader) ?? '';
    redactor.add(password);
    headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  if (c.authorization) {
    const creds = readOptionalSecret(c.authorization, 'credentials', reader);
    redactor.add(creds);
    headers.authorization = creds ? `${c.authorization.type} ${creds}` : c.authorization.type;
  }
  const bearer = readOptionalSecret(c, 'bearer_token', reader);
  if (bearer !== undefined) {
    redactor.add(bearer);
    headers.authorization = `Bearer ${bearer}`;
  }
  if (headers.authorization) redactor.add(headers.authorization);
  return { headers, followRedirects: c.follow_redirects, ...(c.tls_config ? { tls: resolveTls(c.tls_config, reader, redactor) } : {}) };
}

export function resolveTls(t: TlsConfig, reader: SecretReader, redactor: Redactor): TlsOptions {
  const key = readOptionalSecret(t, 'key', reader);
  redactor.add(key);
  const ca = t.ca_file !== undefined ? reader.readFile(t.ca_file) : t.ca;
  const cert = t.cert_file !== undefined ? reader.readFile(t.cert_file) : t.cert;
  return {
    ...(ca !== undefined ? { ca } : {}),
    ...(cert !== undefined ? { cert } : {}),
    ...(key !== undefined ? { key } : {}),
    ...(t.server_name ? { servername: t.server_name } : {}),
    rejectUnauthorized: !t.insecure_skip_verify,
    ...(t.min_version ? { minVersion: TLS_VERSIONS[t.min_version] } : {}),
    ...(t.max_version ? { maxVersion: TLS_VERSIONS[t.max_version] } : {}),
  };
}

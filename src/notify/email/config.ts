import { z } from 'zod';
import { tlsConfigSchema } from '../common/http-config.js';
import { hostPort, timeoutSchema } from '../common/schema.js';
import { atMostOneSource, secretShape } from '../common/secrets.js';

/** Go's textproto.CanonicalMIMEHeaderKey: `content-type` → `Content-Type`. */
export function canonicalHeader(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/**
 * `email_configs`: Alertmanager's keys and defaults (send_resolved false; smarthost, from,
 * hello, auth_* and require_tls from `global:` when unset), plus `_env` secrets and `timeout`.
 */
export const emailConfigSchema = z
  .strictObject({
    send_resolved: z.boolean().default(false),
    to: z.string({ error: 'missing to address in email config' }).min(1, 'missing to address in email config'),
    from: z.string().optional(),
    hello: z.string().optional(),
    smarthost: hostPort.optional(),
    auth_username: z.string().optional(),
    ...secretShape('auth_password'),
    ...secretShape('auth_secret'),
    auth_identity: z.string().optional(),
    headers: z.record(z.string(), z.string()).default({}),
    html: z.string().default('{{ template "email.default.html" . }}'),
    text: z.string().default('{{ template "email.default.text" . }}'),
    require_tls: z.boolean().optional(),
    tls_config: tlsConfigSchema.optional(),
    force_implicit_tls: z.boolean().optional(),
    threading: z
      .strictObject({
        enabled: z.boolean().default(false),
        thread_by_date: z.enum(['none', 'daily'], { error: "threading.thread_by_date must be either 'none' or 'daily'" }).default('daily'),
      })
      .optional(),
    timeout: timeoutSchema,
  })
  .superRefine(atMostOneSource('auth_password', 'auth_secret'))
  .transform((c, ctx) => {
    // Header names are case-insensitive: canonicalize and refuse collisions, as Alertmanager does.
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.headers)) {
      const name = canonicalHeader(k);
      if (name in headers) ctx.addIssue({ code: 'custom', path: ['headers', k], message: `duplicate header "${name}" in email config` });
      headers[name] = v;
    }
    if (c.threading?.enabled) {
      for (const h of ['References', 'In-Reply-To']) {
        if (h in headers) ctx.addIssue({ code: 'custom', path: ['headers', h], message: `conflicting configuration: threading.enabled conflicts with custom ${h} header` });
      }
    }
    return { ...c, headers };
  });

export type EmailConfig = z.output<typeof emailConfigSchema>;

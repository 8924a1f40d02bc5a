import { z } from 'zod';
import { duration } from '../../model/schema.js';
import { httpConfigSchema } from '../common/http-config.js';
import { httpUrl, timeoutSchema } from '../common/schema.js';
import { atMostOneSource, hasSecret, secretShape } from '../common/secrets.js';

/**
 * `pushover_configs`: Alertmanager's keys and defaults (priority 2, emergency, while firing;
 * retry 1m; expire 1h). Vigil adds `_env` secrets, `token` from global.pushover_token,
 * `callback` (Pushover calls it when the emergency notification is acknowledged) and `api_url`.
 */
export const pushoverConfigSchema = z
  .strictObject({
    send_resolved: z.boolean().default(true),
    http_config: httpConfigSchema.optional(),
    api_url: httpUrl.default('https://api.pushover.net/1/messages.json'),
    ...secretShape('user_key'),
    ...secretShape('token'),
    title: z.string().default('{{ template "pushover.default.title" . }}'),
    message: z.string().default('{{ template "pushover.default.message" . }}'),
    url: z.string().default('{{ template "pushover.default.url" . }}'),
    url_title: z.string().optional(),
    device: z.string().optional(),
    sound: z.string().optional(),
    priority: z.string().default('{{ if eq .Status "firing" }}2{{ else }}0{{ end }}'),
    retry: duration().default(60_000),
    expire: duration().default(3600_000),
    ttl: duration().optional(),
    html: z.boolean().default(false),
    monospace: z.boolean().default(false),
    callback: z.string().optional(),
    timeout: timeoutSchema,
  })
  .superRefine(atMostOneSource('user_key', 'token'))
  .superRefine((c, ctx) => {
    if (!hasSecret(c, 'user_key')) ctx.addIssue({ code: 'custom', message: 'one of user_key or user_key_file must be configured' });
    if (c.html && c.monospace) ctx.addIssue({ code: 'custom', message: 'at most one of monospace & html must be configured' });
  });

export type PushoverConfig = z.output<typeof pushoverConfigSchema>;

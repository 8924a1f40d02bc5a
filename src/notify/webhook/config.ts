import { z } from 'zod';
import { httpConfigSchema } from '../common/http-config.js';
import { timeoutSchema } from '../common/schema.js';
import { atMostOneSource, hasSecret, secretShape } from '../common/secrets.js';

/** `webhook_configs` (Alertmanager's keys; `url` may be a template, `url_env` is Vigil's). */
export const webhookConfigSchema = z
  .strictObject({
    send_resolved: z.boolean().default(true),
    ...secretShape('url'),
    /** 0 = no limit. Extra alerts are dropped and counted in the payload's truncatedAlerts. */
    max_alerts: z.number().int().min(0, 'must be zero or positive').default(0),
    http_config: httpConfigSchema.optional(),
    timeout: timeoutSchema,
  })
  .superRefine(atMostOneSource('url'))
  .superRefine((c, ctx) => {
    if (!hasSecret(c, 'url')) ctx.addIssue({ code: 'custom', message: 'one of url, url_file or url_env must be configured' });
    if (c.url !== undefined && !c.url.includes('{{')) {
      try {
        const u = new URL(c.url);
        if (u.protocol !== 'http:' && u.protocol !== 'https:') ctx.addIssue({ code: 'custom', path: ['url'], message: `unsupported scheme "${u.protocol.replace(/:$/, '')}" for URL` });
      } catch {
        ctx.addIssue({ code: 'custom', path: ['url'], message: 'expected an absolute http:// or https:// URL' });
      }
    }
  });

export type WebhookConfig = z.output<typeof webhookConfigSchema>;

import { z } from 'zod';
import { httpConfigSchema } from '../common/http-config.js';
import { timeoutSchema } from '../common/schema.js';
import { atMostOneSource, hasSecret, secretShape } from '../common/secrets.js';

/** `msteamsv2_configs`: a Teams Workflows (Power Automate) webhook, Alertmanager's keys. */
export const msteamsv2ConfigSchema = z
  .strictObject({
    send_resolved: z.boolean().default(true),
    http_config: httpConfigSchema.optional(),
    ...secretShape('webhook_url'),
    title: z.string().default('{{ template "msteamsv2.default.title" . }}'),
    text: z.string().default('{{ template "msteamsv2.default.text" . }}'),
    timeout: timeoutSchema,
  })
  .superRefine(atMostOneSource('webhook_url'))
  .superRefine((c, ctx) => {
    if (!hasSecret(c, 'webhook_url')) ctx.addIssue({ code: 'custom', message: 'one of webhook_url, webhook_url_file or webhook_url_env must be configured' });
  });

export type Msteamsv2Config = z.output<typeof msteamsv2ConfigSchema>;

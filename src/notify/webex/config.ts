import { z } from 'zod';
import { httpConfigSchema } from '../common/http-config.js';
import { httpUrl, timeoutSchema } from '../common/schema.js';

/** `webex_configs`: Alertmanager's keys; the bot token goes in http_config.authorization, as there. */
export const webexConfigSchema = z
  .strictObject({
    send_resolved: z.boolean().default(true),
    http_config: httpConfigSchema.optional(),
    api_url: httpUrl.optional(),
    room_id: z.string({ error: 'missing room_id on webex_config' }).min(1, 'missing room_id on webex_config'),
    message: z.string().default('{{ template "webex.default.message" . }}'),
    timeout: timeoutSchema,
  })
  .superRefine((c, ctx) => {
    if (!c.http_config?.authorization) ctx.addIssue({ code: 'custom', path: ['http_config'], message: 'missing webex_configs.http_config.authorization' });
  });

export type WebexConfig = z.output<typeof webexConfigSchema>;

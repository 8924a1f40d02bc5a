import { z } from 'zod';
import { httpConfigSchema } from '../common/http-config.js';
import { httpUrl, timeoutSchema } from '../common/schema.js';
import { atMostOneSource, secretShape } from '../common/secrets.js';

/**
 * `ntfy_configs` (Vigil's): a push notification through an ntfy server (ntfy.sh or your own),
 * published as JSON. `token` is an access token (`tk_…`, sent as a bearer token); basic auth
 * goes in http_config.
 */
export const ntfyConfigSchema = z
  .strictObject({
    send_resolved: z.boolean().default(true),
    http_config: httpConfigSchema.optional(),
    url: httpUrl.optional(),
    topic: z.string({ error: 'missing topic in ntfy config' }).min(1, 'missing topic in ntfy config'),
    ...secretShape('token'),
    title: z.string().default('{{ template "ntfy.default.title" . }}'),
    message: z.string().default('{{ template "ntfy.default.message" . }}'),
    /** 1-5 or min, low, default, high, urgent (max). */
    priority: z.string().default('{{ template "ntfy.default.priority" . }}'),
    /** Comma-separated tags; emoji short codes show as emojis. */
    tags: z.string().default('{{ template "ntfy.default.tags" . }}'),
    click: z.string().default('{{ template "__alertmanagerURL" . }}'),
    icon: z.string().optional(),
    markdown: z.boolean().default(false),
    timeout: timeoutSchema,
  })
  .superRefine(atMostOneSource('token'));

export type NtfyConfig = z.output<typeof ntfyConfigSchema>;

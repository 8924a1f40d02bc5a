import { z } from 'zod';
import { httpConfigSchema } from '../common/http-config.js';
import { timeoutSchema } from '../common/schema.js';
import { atMostOneSource, hasSecret, secretShape } from '../common/secrets.js';

/** `discord_configs`: Alertmanager's keys (a webhook, content, title, message, username, avatar_url). */
export const discordConfigSchema = z
  .strictObject({
    send_resolved: z.boolean().default(true),
    http_config: httpConfigSchema.optional(),
    ...secretShape('webhook_url'),
    content: z.string().default('{{ template "discord.default.content" . }}'),
    title: z.string().default('{{ template "discord.default.title" . }}'),
    message: z.string().default('{{ template "discord.default.message" . }}'),
    username: z.string().optional(),
    avatar_url: z.string().optional(),
    timeout: timeoutSchema,
  })
  .superRefine(atMostOneSource('webhook_url'))
  .superRefine((c, ctx) => {
    if (!hasSecret(c, 'webhook_url')) ctx.addIssue({ code: 'custom', message: 'one of webhook_url, webhook_url_file or webhook_url_env must be configured' });
  });

export type DiscordConfig = z.output<typeof discordConfigSchema>;

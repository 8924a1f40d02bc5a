import { z } from 'zod';
import { httpConfigSchema } from '../common/http-config.js';
import { httpUrl, timeoutSchema } from '../common/schema.js';
import { atMostOneSource, secretShape } from '../common/secrets.js';

const chatId = z.union([z.number().int(), z.string().regex(/^-?\d+$/, 'chat_id must be a number')]).transform((v) => Number(v));

/** `telegram_configs`: Alertmanager's keys (`api_url`, `bot_token` from global; parse_mode HTML by default). */
export const telegramConfigSchema = z
  .strictObject({
    send_resolved: z.boolean().default(true),
    http_config: httpConfigSchema.optional(),
    api_url: httpUrl.optional(),
    ...secretShape('bot_token'),
    chat_id: chatId.optional(),
    chat_id_file: z.string().min(1).optional(),
    message_thread_id: z.number().int().optional(),
    message: z.string().default('{{ template "telegram.default.message" . }}'),
    disable_notifications: z.boolean().default(false),
    parse_mode: z.enum(['', 'Markdown', 'MarkdownV2', 'HTML'], { error: 'unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string' }).default('HTML'),
    timeout: timeoutSchema,
  })
  .superRefine(atMostOneSource('bot_token'))
  .superRefine((c, ctx) => {
    if ((c.chat_id === undefined || c.chat_id === 0) && c.chat_id_file === undefined) ctx.addIssue({ code: 'custom', message: 'missing chat_id or chat_id_file on telegram_config' });
    if (c.chat_id !== undefined && c.chat_id !== 0 && c.chat_id_file !== undefined) ctx.addIssue({ code: 'custom', message: 'at most one of chat_id & chat_id_file must be configured' });
  });

export type TelegramConfig = z.output<typeof telegramConfigSchema>;

import { z } from 'zod';
import { httpConfigSchema } from '../common/http-config.js';
import { timeoutSchema } from '../common/schema.js';
import { atMostOneSource, secretShape } from '../common/secrets.js';

const fieldSchema = z.strictObject({
  title: z.string({ error: 'missing title in Mattermost field configuration' }).min(1, 'missing title in Mattermost field configuration'),
  value: z.string({ error: 'missing value in Mattermost field configuration' }).min(1, 'missing value in Mattermost field configuration'),
  short: z.boolean().optional(),
});

const attachmentKeys = {
  fallback: z.string().optional(),
  color: z.string().optional(),
  pretext: z.string().optional(),
  text: z.string().optional(),
  author_name: z.string().optional(),
  author_link: z.string().optional(),
  author_icon: z.string().optional(),
  title: z.string().optional(),
  title_link: z.string().optional(),
  fields: z.array(fieldSchema).default([]),
  thumb_url: z.string().optional(),
  footer: z.string().optional(),
  footer_icon: z.string().optional(),
  image_url: z.string().optional(),
};

/** `mattermost_configs`: Alertmanager's keys and defaults (a webhook from global.mattermost_webhook_url when unset). */
export const mattermostConfigSchema = z
  .strictObject({
    send_resolved: z.boolean().default(true),
    http_config: httpConfigSchema.optional(),
    ...secretShape('webhook_url'),
    channel: z.string().optional(),
    username: z.string().default('{{ template "mattermost.default.username" . }}'),
    icon_url: z.string().optional(),
    icon_emoji: z.string().optional(),
    type: z.string().optional(),
    props: z.strictObject({ card: z.string().optional() }).optional(),
    priority: z.strictObject({ priority: z.string().optional(), requested_ack: z.boolean().default(false), persistent_notifications: z.boolean().default(false) }).optional(),
    attachments: z.array(z.strictObject(attachmentKeys)).default([]),
    ...attachmentKeys,
    text: z.string().default('{{ template "mattermost.default.text" . }}'),
    fallback: z.string().default('{{ template "mattermost.default.fallback" . }}'),
    color: z.string().default('{{ template "mattermost.default.color" . }}'),
    title: z.string().default('{{ template "mattermost.default.title" . }}'),
    title_link: z.string().default('{{ template "mattermost.default.titlelink" . }}'),
    timeout: timeoutSchema,
  })
  .superRefine(atMostOneSource('webhook_url'));

export type MattermostConfig = z.output<typeof mattermostConfigSchema>;

import { z } from 'zod';
import { httpConfigSchema } from '../common/http-config.js';
import { httpUrl, timeoutSchema } from '../common/schema.js';
import { atMostOneSource, hasSecret, secretShape } from '../common/secrets.js';

const tmpl = (name: string) => z.string().default(`{{ template "slack.default.${name}" . }}`);

const confirmSchema = z.strictObject({
  text: z.string({ error: 'missing text in Slack confirmation configuration' }).min(1, 'missing text in Slack confirmation configuration'),
  title: z.string().optional(),
  ok_text: z.string().optional(),
  dismiss_text: z.string().optional(),
});

/** An attachment button: a link (`url`) or a message action (`name`/`value`), as Alertmanager takes them. */
const actionSchema = z
  .strictObject({
    type: z.string({ error: 'missing type in Slack action configuration' }).min(1, 'missing type in Slack action configuration'),
    text: z.string({ error: 'missing text in Slack action configuration' }).min(1, 'missing text in Slack action configuration'),
    url: z.string().optional(),
    style: z.string().optional(),
    name: z.string().optional(),
    value: z.string().optional(),
    confirm: confirmSchema.optional(),
  })
  .superRefine((a, ctx) => {
    if (!a.url && !a.name) ctx.addIssue({ code: 'custom', message: 'missing name or url in Slack action configuration' });
  })
  // A link button carries no message-action fields (Alertmanager clears them).
  .transform((a) => (a.url ? { type: a.type, text: a.text, url: a.url, ...(a.style !== undefined ? { style: a.style } : {}) } : a));

const fieldSchema = z.strictObject({
  title: z.string({ error: 'missing title in Slack field configuration' }).min(1, 'missing title in Slack field configuration'),
  value: z.string({ error: 'missing value in Slack field configuration' }).min(1, 'missing value in Slack field configuration'),
  short: z.boolean().optional(),
});

/**
 * `slack_configs`: Alertmanager's keys and defaults. Either an incoming webhook (`api_url`) or
 * a bot token (`app_token`, posting to `app_url`, default chat.postMessage), each also from
 * `global:`. Vigil adds `_env` secrets and `blocks` (Block Kit: a template giving a JSON array
 * of blocks, sent instead of the attachment).
 */
export const slackConfigSchema = z
  .strictObject({
    send_resolved: z.boolean().default(false),
    http_config: httpConfigSchema.optional(),
    ...secretShape('api_url'),
    ...secretShape('app_token'),
    app_url: httpUrl.optional(),
    channel: z.string().optional(),
    username: tmpl('username'),
    color: tmpl('color'),
    title: tmpl('title'),
    title_link: tmpl('titlelink'),
    pretext: tmpl('pretext'),
    text: tmpl('text'),
    message_text: z.string().optional(),
    fields: z.array(fieldSchema).default([]),
    short_fields: z.boolean().default(false),
    footer: tmpl('footer'),
    fallback: tmpl('fallback'),
    callback_id: tmpl('callbackid'),
    icon_emoji: tmpl('iconemoji'),
    icon_url: tmpl('iconurl'),
    image_url: z.string().optional(),
    thumb_url: z.string().optional(),
    link_names: z.boolean().default(false),
    mrkdwn_in: z.array(z.string()).default([]),
    actions: z.array(actionSchema).default([]),
    update_message: z
      .boolean()
      .optional()
      .refine((v) => v !== true, { message: 'update_message is not supported by Vigil (each notification is a new message)' }),
    blocks: z.string().optional(),
    timeout: timeoutSchema,
  })
  .superRefine(atMostOneSource('api_url', 'app_token'))
  .superRefine((c, ctx) => {
    if (hasSecret(c, 'api_url') && hasSecret(c, 'app_token')) {
      ctx.addIssue({ code: 'custom', message: 'at most one of api_url/api_url_file & app_token/app_token_file must be configured' });
    }
    if (c.api_url !== undefined && !c.api_url.includes('{{')) {
      const r = httpUrl.safeParse(c.api_url);
      if (!r.success) ctx.addIssue({ code: 'custom', path: ['api_url'], message: r.error.issues[0]?.message ?? 'invalid URL' });
    }
  });

export type SlackConfig = z.output<typeof slackConfigSchema>;

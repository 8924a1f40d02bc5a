import { z } from 'zod';
import { duration } from '../model/schema.js';
import { httpConfigSchema, tlsConfigSchema } from './common/http-config.js';
import { hostPort, httpUrl } from './common/schema.js';
import { atMostOneSource, secretShape } from './common/secrets.js';

/**
 * `global:` — Alertmanager's global notifier settings, applied to every receiver config that
 * leaves the key unset (smtp_* for email_configs, slack_api_url for slack_configs, …), plus
 * Vigil's settings for its own integrations (twilio_*, ntfy_*, pushover_token). They are also
 * what `paging` uses to reach one person: email through smtp_*, Slack DMs through
 * slack_app_token, SMS and calls through twilio_*.
 */
/** The secrets directly under `global:`, each also as `_file` and `_env`. */
const TOP_LEVEL_SECRETS = [
  'smtp_auth_password',
  'smtp_auth_secret',
  'slack_api_url',
  'slack_app_token',
  'opsgenie_api_key',
  'telegram_bot_token',
  'mattermost_webhook_url',
  'twilio_auth_token',
  'ntfy_token',
  'pushover_token',
] as const;

export const globalSchema = z
  .strictObject({
    /** How long a posted alert without endsAt stays firing without a resend (the alert pipeline's). */
    resolve_timeout: duration().default(300_000),
    http_config: httpConfigSchema.optional(),

    smtp_from: z.string().optional(),
    smtp_hello: z.string().default('localhost'),
    smtp_smarthost: hostPort.optional(),
    smtp_auth_username: z.string().optional(),
    ...secretShape('smtp_auth_password'),
    ...secretShape('smtp_auth_secret'),
    smtp_auth_identity: z.string().optional(),
    smtp_require_tls: z.boolean().default(true),
    smtp_tls_config: tlsConfigSchema.optional(),
    smtp_force_implicit_tls: z.boolean().optional(),

    ...secretShape('slack_api_url'),
    ...secretShape('slack_app_token'),
    slack_app_url: httpUrl.default('https://slack.com/api/chat.postMessage'),

    pagerduty_url: httpUrl.default('https://events.pagerduty.com/v2/enqueue'),

    opsgenie_api_url: httpUrl.default('https://api.opsgenie.com/'),
    ...secretShape('opsgenie_api_key'),

    telegram_api_url: httpUrl.default('https://api.telegram.org'),
    ...secretShape('telegram_bot_token'),

    webex_api_url: httpUrl.default('https://webexapis.com/v1/messages'),

    ...secretShape('mattermost_webhook_url'),

    // Vigil's integrations.
    twilio_api_url: httpUrl.default('https://api.twilio.com'),
    twilio_account_sid: z.string().optional(),
    ...secretShape('twilio_auth_token'),
    twilio_from: z.string().optional(),

    ntfy_url: httpUrl.default('https://ntfy.sh'),
    ...secretShape('ntfy_token'),

    ...secretShape('pushover_token'),
  })
  .superRefine(atMostOneSource(...TOP_LEVEL_SECRETS))
  .superRefine((g, ctx) => {
    const url = g.slack_api_url ?? g.slack_api_url_file ?? g.slack_api_url_env;
    const token = g.slack_app_token ?? g.slack_app_token_file ?? g.slack_app_token_env;
    if (url !== undefined && token !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'at most one of slack_app_token & slack_api_url must be configured' });
    }
    // Alertmanager parses these as URLs when it loads the file, used or not.
    for (const key of ['slack_api_url', 'mattermost_webhook_url'] as const) {
      const v = g[key];
      if (v === undefined) continue;
      const r = httpUrl.safeParse(v);
      if (!r.success) ctx.addIssue({ code: 'custom', path: [key], message: r.error.issues[0]?.message ?? 'invalid URL' });
    }
  })
  .prefault({});

export type GlobalConfig = z.output<typeof globalSchema>;

/** Global secret keys (dotted paths), for redaction. */
export const GLOBAL_SECRETS = [
  ...TOP_LEVEL_SECRETS,
  'http_config.basic_auth.password',
  'http_config.authorization.credentials',
  'http_config.bearer_token',
  'http_config.tls_config.key',
  'smtp_tls_config.key',
] as const;

export const DEFAULT_GLOBAL: GlobalConfig = globalSchema.parse(undefined);

/** Copies a secret's three keys from `global` (under `gkey`) to `config` (under `key`) when none is set there. */
export function inheritSecret<C extends object>(config: C, key: string, global: GlobalConfig, gkey: string): C {
  const c = config as Record<string, unknown>;
  const g = global as Record<string, unknown>;
  if (c[key] !== undefined || c[`${key}_file`] !== undefined || c[`${key}_env`] !== undefined) return config;
  const out: Record<string, unknown> = { ...c };
  for (const suffix of ['', '_file', '_env']) if (g[`${gkey}${suffix}`] !== undefined) out[`${key}${suffix}`] = g[`${gkey}${suffix}`];
  return out as C;
}

/** `http_config` from global when the entry has none (Alertmanager: cmp.Or(entry, global)). */
export function withGlobalHttp<C extends { http_config?: unknown }>(config: C, global: GlobalConfig): C {
  return config.http_config === undefined && global.http_config !== undefined ? { ...config, http_config: global.http_config } : config;
}

import { discordSpec } from './discord/index.js';
import { emailSpec } from './email/index.js';
import { logSpec } from './log/index.js';
import { mattermostSpec } from './mattermost/index.js';
import { msteamsv2Spec } from './msteamsv2/index.js';
import { ntfySpec } from './ntfy/index.js';
import { opsgenieSpec } from './opsgenie/index.js';
import { pagerdutySpec } from './pagerduty/index.js';
import { pushoverSpec } from './pushover/index.js';
import { slackSpec } from './slack/index.js';
import { telegramSpec } from './telegram/index.js';
import { twilioSpec } from './twilio/index.js';
import type { NotifierSpec } from './spec.js';
import { webexSpec } from './webex/index.js';
import { webhookSpec } from './webhook/index.js';

/**
 * The notifier table: a receiver's config key and the integration that serves it. Adding a
 * notifier is a folder under src/notify/ exporting a NotifierSpec, and one line here.
 */
export const NOTIFIERS = {
  webhook_configs: webhookSpec,
  log_configs: logSpec,
  email_configs: emailSpec,
  slack_configs: slackSpec,
  pagerduty_configs: pagerdutySpec,
  opsgenie_configs: opsgenieSpec,
  msteamsv2_configs: msteamsv2Spec,
  telegram_configs: telegramSpec,
  discord_configs: discordSpec,
  webex_configs: webexSpec,
  pushover_configs: pushoverSpec,
  mattermost_configs: mattermostSpec,
  ntfy_configs: ntfySpec,
  twilio_configs: twilioSpec,
} as const;

export type NotifierKey = keyof typeof NOTIFIERS;

export const NOTIFIER_KEYS = Object.keys(NOTIFIERS) as NotifierKey[];

/** The spec of a key, widened for code that handles every notifier alike. */
export function specOf(key: NotifierKey): NotifierSpec {
  return NOTIFIERS[key] as unknown as NotifierSpec;
}

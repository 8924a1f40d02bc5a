import { DEFAULT_GLOBAL } from './global.js';
import type { GlobalConfig } from './global.js';
import type { Notifier } from './notifier.js';
import { NOTIFIER_KEYS, specOf } from './registry.js';
import type { NotifierDeps } from './spec.js';

/**
 * Notifiers for one person's contact, for paging: `email` to an address, `slack` to a user id
 * (a DM through chat.postMessage with `global.slack_app_token`), `sms` and `voice` to a phone
 * number through Twilio (`global.twilio_*`), `webhook` to a URL, and so on. The connection
 * settings come from `global`, as Alertmanager's receivers take their defaults from it.
 */
export type ContactNotifier = { readonly ok: true; readonly notifier: Notifier; readonly type: string } | { readonly ok: false; readonly error: string };

/** Every channel some notifier serves, with its integration type. */
export function contactChannels(): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const key of NOTIFIER_KEYS) {
    const spec = specOf(key);
    for (const ch of spec.contact?.channels ?? []) out.set(ch, spec.type);
  }
  return out;
}

export function contactNotifier(channel: string, address: string, deps: NotifierDeps, global: GlobalConfig = DEFAULT_GLOBAL): ContactNotifier {
  for (const key of NOTIFIER_KEYS) {
    const spec = specOf(key);
    if (!spec.contact?.channels.includes(channel)) continue;
    const parsed = spec.schema.safeParse(spec.contact.config(channel, address));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { ok: false, error: `${channel} contact ${JSON.stringify(address)}: ${issue ? `${issue.path.join('.') || 'address'}: ${issue.message}` : 'invalid'}` };
    }
    const { config, problems } = spec.applyGlobal ? spec.applyGlobal(parsed.data, global) : { config: parsed.data, problems: [] };
    const first = problems[0];
    if (first) return { ok: false, error: `${channel} contact: ${first.message}` };
    return { ok: true, notifier: spec.create(config, deps), type: spec.type };
  }
  const known = [...contactChannels().keys()].sort().join(', ');
  return { ok: false, error: `unknown contact channel "${channel}" (known: ${known})` };
}

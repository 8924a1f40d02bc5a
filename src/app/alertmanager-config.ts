import { stringify } from 'yaml';
import type { VigilConfig } from '../config/index.js';
import { formatDuration } from '../model/duration.js';
import { redactGlobal, redactReceivers } from '../notify/index.js';

type RouteIn = VigilConfig['route'];
type Obj = Record<string, unknown>;

const SECRET = '<secret>';

function route(r: RouteIn): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(r)) {
    if (v === undefined) continue;
    if (k === 'routes') out[k] = (v as RouteIn[]).map(route);
    else if (k === 'group_wait' || k === 'group_interval' || k === 'repeat_interval') out[k] = formatDuration(v as number);
    else out[k] = v;
  }
  return out;
}

/**
 * The keys Alertmanager 0.25 knows for each integration it has (`config/notifiers.go`): only
 * these are shown, because Alertmanager's parser (amtool's routing commands) refuses unknown
 * keys. `durations` are kept by Vigil in ms and shown as Go durations.
 */
const AM_INTEGRATIONS: Record<string, { keys: readonly string[]; durations?: readonly string[] }> = {
  webhook_configs: { keys: ['send_resolved', 'http_config', 'url', 'max_alerts'] },
  email_configs: { keys: ['send_resolved', 'to', 'from', 'hello', 'smarthost', 'auth_username', 'auth_password', 'auth_secret', 'auth_identity', 'headers', 'html', 'text', 'require_tls', 'tls_config'] },
  slack_configs: {
    keys: ['send_resolved', 'http_config', 'api_url', 'channel', 'username', 'color', 'title', 'title_link', 'pretext', 'text', 'fields', 'short_fields', 'footer', 'fallback', 'callback_id', 'icon_emoji', 'icon_url', 'image_url', 'thumb_url', 'link_names', 'mrkdwn_in', 'actions'],
  },
  pagerduty_configs: { keys: ['send_resolved', 'http_config', 'service_key', 'routing_key', 'url', 'client', 'client_url', 'description', 'details', 'images', 'links', 'source', 'severity', 'class', 'component', 'group'] },
  opsgenie_configs: { keys: ['send_resolved', 'http_config', 'api_key', 'api_url', 'message', 'description', 'source', 'details', 'entity', 'responders', 'actions', 'tags', 'note', 'priority', 'update_alerts'] },
  telegram_configs: { keys: ['send_resolved', 'http_config', 'api_url', 'bot_token', 'chat_id', 'message', 'disable_notifications', 'parse_mode'] },
  discord_configs: { keys: ['send_resolved', 'http_config', 'webhook_url', 'title', 'message'] },
  webex_configs: { keys: ['send_resolved', 'http_config', 'api_url', 'room_id', 'message'] },
  pushover_configs: { keys: ['send_resolved', 'http_config', 'user_key', 'token', 'title', 'message', 'url', 'url_title', 'sound', 'priority', 'retry', 'expire', 'html'], durations: ['retry', 'expire'] },
};

/** Alertmanager 0.25's `global:` keys that Vigil shares (the rest are Vigil's own). */
const AM_GLOBAL = ['smtp_from', 'smtp_hello', 'smtp_smarthost', 'smtp_auth_username', 'smtp_auth_password', 'smtp_auth_secret', 'smtp_auth_identity', 'smtp_require_tls', 'slack_api_url', 'pagerduty_url', 'opsgenie_api_url', 'opsgenie_api_key', 'telegram_api_url', 'webex_api_url'];

/**
 * Keeps `keys` of `c`; a secret that Vigil reads from a file or the environment (`x_file`,
 * `x_env`) is shown as `x: <secret>` — it is set, and Alertmanager's checks that need it pass.
 */
function pick(c: Obj, keys: readonly string[], durations: readonly string[] = []): Obj {
  const out: Obj = {};
  for (const k of keys) {
    const v = c[k];
    if (v !== undefined) out[k] = durations.includes(k) && typeof v === 'number' ? formatDuration(v) : v;
    else if (c[`${k}_file`] !== undefined || c[`${k}_env`] !== undefined) out[k] = SECRET;
  }
  return out;
}

/**
 * A webhook URL can carry a token, so Vigil hides it; Alertmanager 0.25 parses it as a plain URL
 * (no `<secret>`), so its origin is kept and the rest hidden.
 */
function webhookURL(plain: Obj | undefined): string {
  const url = plain?.['url'];
  if (typeof url !== 'string') return `http://${SECRET_HOST}/<secret>`;
  try {
    return `${new URL(url).origin}/<secret>`;
  } catch {
    return `http://${SECRET_HOST}/<secret>`;
  }
}
const SECRET_HOST = 'secret.invalid';

function receivers(config: VigilConfig): Obj[] {
  return redactReceivers(config.receivers).map((r, i) => {
    const out: Obj = { name: r.name };
    for (const [key, spec] of Object.entries(AM_INTEGRATIONS)) {
      const list = (r as unknown as Obj)[key] as Obj[] | undefined;
      if (!list?.length) continue;
      const plain = (config.receivers[i] as unknown as Obj)[key] as Obj[];
      out[key] = list.map((c, j) => ({ ...pick(c, spec.keys, spec.durations), ...(key === 'webhook_configs' ? { url: webhookURL(plain[j]) } : {}) }));
    }
    return out;
  });
}

const WEEKDAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
type Ranges = ReadonlyArray<readonly [number, number]>;
const ranges = (list: Ranges, name: (n: number) => string = String) => list.map(([b, e]) => (b === e ? name(b) : `${name(b)}:${name(e)}`));
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

type Interval = VigilConfig['time_intervals'][number]['time_intervals'][number];

/** A time interval back in Alertmanager's syntax (Vigil keeps them parsed). */
function interval(t: Interval): Obj {
  return {
    ...(t.times ? { times: t.times.map((x) => ({ start_time: hhmm(x.startMinute), end_time: hhmm(x.endMinute) })) } : {}),
    ...(t.weekdays ? { weekdays: ranges(t.weekdays, (n) => WEEKDAY_NAMES[n] ?? String(n)) } : {}),
    ...(t.daysOfMonth ? { days_of_month: ranges(t.daysOfMonth) } : {}),
    ...(t.months ? { months: ranges(t.months, (n) => MONTH_NAMES[n - 1] ?? String(n)) } : {}),
    ...(t.years ? { years: ranges(t.years) } : {}),
    ...(t.location ? { location: t.location } : {}),
  };
}

const named = (list: VigilConfig['time_intervals']) => list.map((t) => ({ name: t.name, time_intervals: t.time_intervals.map(interval) }));

/**
 * What GET /api/v2/status shows as `config.original`, as Alertmanager shows its own: YAML in
 * Alertmanager's schema with every secret as `<secret>`, which amtool loads with Alertmanager's
 * parser (`amtool config routes show|test`). The routing tree, inhibit rules and time
 * intervals are complete; receivers carry the integrations Alertmanager 0.25 has, with the
 * keys it knows. Vigil's own integrations (log, msteamsv2, ntfy, mattermost, twilio) and
 * escalation policies are left out: a receiver with only those is listed by name.
 */
export function alertmanagerConfigText(config: VigilConfig): string {
  const g = redactGlobal(config.global) as unknown as Obj;
  return stringify({
    global: { resolve_timeout: formatDuration(config.global.resolve_timeout), ...pick(g, AM_GLOBAL) },
    route: route(config.route),
    inhibit_rules: config.inhibit_rules,
    receivers: receivers(config),
    ...(config.mute_time_intervals.length ? { mute_time_intervals: named(config.mute_time_intervals) } : {}),
    ...(config.time_intervals.length ? { time_intervals: named(config.time_intervals) } : {}),
  });
}

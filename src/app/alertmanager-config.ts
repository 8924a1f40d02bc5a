import { stringify } from 'yaml';
import type { VigilConfig } from '../config/index.js';
import { formatDuration } from '../model/duration.js';

type RouteIn = VigilConfig['route'];

function route(r: RouteIn): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) {
    if (v === undefined) continue;
    if (k === 'routes') out[k] = (v as RouteIn[]).map(route);
    else if (k === 'group_wait' || k === 'group_interval' || k === 'repeat_interval') out[k] = formatDuration(v as number);
    else out[k] = v;
  }
  return out;
}

/**
 * What GET /api/v2/status shows as `config.original` (amtool config show): the routing tree,
 * inhibit rules and time interval names in Alertmanager's schema. Receivers are listed by name
 * only — their settings can hold secrets.
 */
export function alertmanagerConfigText(config: VigilConfig): string {
  return stringify({
    global: { resolve_timeout: formatDuration(config.global.resolve_timeout) },
    route: route(config.route),
    inhibit_rules: config.inhibit_rules,
    receivers: config.receivers.map((r) => ({ name: r.name })),
    time_intervals: [...config.mute_time_intervals, ...config.time_intervals].map((t) => ({ name: t.name })),
  });
}

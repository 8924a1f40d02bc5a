import { z } from 'zod';
import { duration } from '../model/schema.js';
import { isValidLabelName } from '../model/labels.js';
import { compileRegex } from '../model/matcher.js';
import { parseMatchers } from './matchers.js';

/**
 * The `route` section, following Alertmanager's configuration schema (config/config.go).
 * Unset fields are inherited from the parent route when the tree is built (route.ts);
 * the root gets Alertmanager's defaults. Durations are milliseconds after parsing.
 */
export interface RouteConfig {
  receiver?: string | undefined;
  group_by?: string[] | undefined;
  group_wait?: number | undefined;
  group_interval?: number | undefined;
  repeat_interval?: number | undefined;
  matchers?: string[] | undefined;
  match?: Record<string, string> | undefined;
  match_re?: Record<string, string> | undefined;
  continue?: boolean | undefined;
  routes?: RouteConfig[] | undefined;
  mute_time_intervals?: string[] | undefined;
  active_time_intervals?: string[] | undefined;
}

/** The YAML/JSON shape before parsing (durations as strings). */
export interface RouteConfigInput {
  receiver?: string | undefined;
  group_by?: string[] | undefined;
  group_wait?: string | undefined;
  group_interval?: string | undefined;
  repeat_interval?: string | undefined;
  matchers?: string[] | undefined;
  match?: Record<string, string> | undefined;
  match_re?: Record<string, string> | undefined;
  continue?: boolean | undefined;
  routes?: RouteConfigInput[] | undefined;
  mute_time_intervals?: string[] | undefined;
  active_time_intervals?: string[] | undefined;
}

/** Alertmanager's defaults (config.DefaultRouteOpts / DefaultGlobalConfig). */
export const ROUTE_DEFAULTS = {
  groupWait: 30_000,
  groupInterval: 5 * 60_000,
  repeatInterval: 4 * 3600_000,
} as const;

const labelName = z.string().refine(isValidLabelName, { message: 'label names must match [a-zA-Z_][a-zA-Z0-9_]*' });
function checkGroupBy(groupBy: readonly string[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  groupBy.forEach((name, i) => {
    if (name === '...') {
      if (groupBy.length > 1) {
        ctx.addIssue({ code: 'custom', path: [i], message: "cannot have wildcard group_by ('...') and other labels at the same time" });
      }
    } else if (!isValidLabelName(name)) {
      ctx.addIssue({ code: 'custom', path: [i], message: `invalid label name ${JSON.stringify(name)} in group_by` });
    }
    if (seen.has(name)) ctx.addIssue({ code: 'custom', path: [i], message: `duplicated label ${JSON.stringify(name)} in group_by` });
    seen.add(name);
  });
}

const nonZeroDuration = (key: string) =>
  duration().refine((ms) => ms > 0, { message: `${key} cannot be zero` });

export const routeSchema: z.ZodType<RouteConfig, RouteConfigInput> = z.lazy(() =>
  z
    .strictObject({
      receiver: z.string().min(1, 'must not be empty').optional(),
      group_by: z.array(z.string()).superRefine(checkGroupBy).optional(),
      group_wait: duration().optional(),
      group_interval: nonZeroDuration('group_interval').optional(),
      repeat_interval: nonZeroDuration('repeat_interval').optional(),
      matchers: z
        .array(z.string())
        .superRefine((list, ctx) => {
          list.forEach((s, i) => {
            try {
              parseMatchers(s);
            } catch (e) {
              ctx.addIssue({ code: 'custom', path: [i], message: (e as Error).message });
            }
          });
        })
        .optional(),
      match: z.record(labelName, z.string()).optional(),
      match_re: z
        .record(labelName, z.string())
        .superRefine((rec, ctx) => {
          for (const [k, v] of Object.entries(rec)) {
            try {
              compileRegex(v);
            } catch (e) {
              ctx.addIssue({ code: 'custom', path: [k], message: (e as Error).message });
            }
          }
        })
        .optional(),
      continue: z.boolean().optional(),
      routes: z.array(routeSchema).optional(),
      mute_time_intervals: z.array(z.string()).optional(),
      active_time_intervals: z.array(z.string()).optional(),
    })
    .transform((r): RouteConfig => r),
);

/** The top-level route: Alertmanager requires a receiver and forbids matchers and `continue` on it. */
export const rootRouteSchema: z.ZodType<RouteConfig, RouteConfigInput> = routeSchema.superRefine((r, ctx) => {
  if (r.receiver === undefined) ctx.addIssue({ code: 'custom', path: ['receiver'], message: 'root route must specify a default receiver' });
  const hasMatchers = (r.matchers?.length ?? 0) > 0 || Object.keys(r.match ?? {}).length > 0 || Object.keys(r.match_re ?? {}).length > 0;
  if (hasMatchers) ctx.addIssue({ code: 'custom', path: ['matchers'], message: 'root route must not have any matchers' });
  if (r.continue) ctx.addIssue({ code: 'custom', path: ['continue'], message: 'cannot have continue in root route' });
  if (r.mute_time_intervals?.length) ctx.addIssue({ code: 'custom', path: ['mute_time_intervals'], message: 'root route must not have any mute time intervals' });
  if (r.active_time_intervals?.length) ctx.addIssue({ code: 'custom', path: ['active_time_intervals'], message: 'root route must not have any active time intervals' });
});

export interface ConfigIssue {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

/** `route.routes[0].receiver` from ['route', 'routes', 0, 'receiver']. */
export function formatIssuePath(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/**
 * Checks that span `route` and `receivers`: receiver names are unique and every receiver the
 * route tree names exists. Paths start at the given roots (`route`, `receivers`).
 */
/** What the cross-checks need of a route: its receiver and children (a RouteConfig, or the raw file's route when it has schema errors). */
export interface RouteRefs {
  readonly receiver?: string | undefined;
  readonly routes?: readonly RouteRefs[] | undefined;
  readonly mute_time_intervals?: readonly string[] | undefined;
  readonly active_time_intervals?: readonly string[] | undefined;
}

/**
 * `intervals`: the names declared under time_intervals and mute_time_intervals; when given,
 * every interval a route names must be one of them.
 */
export function checkRouting(route: RouteRefs, receivers: ReadonlyArray<{ readonly name: string }>, intervals?: ReadonlySet<string>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const names = new Set<string>();
  receivers.forEach((r, i) => {
    if (names.has(r.name)) issues.push({ path: ['receivers', i, 'name'], message: `notification config name ${JSON.stringify(r.name)} is not unique` });
    names.add(r.name);
  });
  const walk = (r: RouteRefs, path: Array<string | number>): void => {
    if (r.receiver !== undefined && !names.has(r.receiver)) {
      issues.push({ path: [...path, 'receiver'], message: `undefined receiver ${JSON.stringify(r.receiver)} used in route` });
    }
    if (intervals) {
      for (const key of ['mute_time_intervals', 'active_time_intervals'] as const) {
        r[key]?.forEach((name, i) => {
          if (!intervals.has(name)) issues.push({ path: [...path, key, i], message: `undefined time interval ${JSON.stringify(name)} used in route` });
        });
      }
    }
    r.routes?.forEach((c, i) => walk(c, [...path, 'routes', i]));
  };
  walk(route, ['route']);
  return issues;
}

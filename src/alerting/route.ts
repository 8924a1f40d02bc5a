import { matchesAll, newMatcher } from '../model/matcher.js';
import type { Matcher } from '../model/matcher.js';
import type { Labels } from '../model/labels.js';
import { ROUTE_DEFAULTS } from './config.js';
import type { RouteConfig } from './config.js';
import { compareMatchers, formatMatchersAM, parseMatchers } from './matchers.js';
import { pushAll } from '../model/arrays.js';

export interface RouteOpts {
  readonly receiver: string;
  /** Label names to group by; ignored when groupByAll. */
  readonly groupBy: readonly string[];
  /** `group_by: ['...']`: every label of the alert is a group label. */
  readonly groupByAll: boolean;
  readonly groupWait: number;
  readonly groupInterval: number;
  readonly repeatInterval: number;
  /** Names of time intervals during which notifications of this route are muted. */
  readonly muteTimeIntervals: readonly string[];
  /** Names of time intervals outside which notifications of this route are muted (none: always active). */
  readonly activeTimeIntervals: readonly string[];
}

/**
 * A node of the routing tree with its effective options (unset fields inherited from the
 * parent, the root from Alertmanager's defaults). `key` is Alertmanager's route key, the
 * prefix of every group key formed under this route.
 */
export class Route {
  readonly routes: Route[] = [];
  readonly key: string;
  /** Position in a depth-first walk of the tree; stable for one config. */
  readonly idx: number;

  constructor(
    readonly opts: RouteOpts,
    readonly matchers: readonly Matcher[],
    readonly continueMatching: boolean,
    readonly parent: Route | undefined,
    idx: number,
  ) {
    this.idx = idx;
    this.key = (parent ? `${parent.key}/` : '') + formatMatchersAM(matchers);
  }

  /**
   * The routes an alert with `labels` is dispatched to, as Alertmanager's Route.Match: a node
   * that matches descends into its children in order; the first matching child ends the search
   * unless it has `continue`; a matching node none of whose children match is itself the result.
   */
  match(labels: Labels): Route[] {
    if (!matchesAll(this.matchers, labels)) return [];
    const all: Route[] = [];
    for (const child of this.routes) {
      const found = child.match(labels);
      pushAll(all, found);
      if (found.length > 0 && !child.continueMatching) break;
    }
    if (all.length === 0) all.push(this);
    return all;
  }

  /** Alertmanager's route ID: the key plus the index among siblings with the same key. */
  get id(): string {
    if (!this.parent) return this.key;
    const same = this.parent.routes.filter((r) => r.key === this.key);
    return same.length > 1 ? `${this.key}/${same.indexOf(this)}` : this.key;
  }

  /** Every route in depth-first order (the root first). */
  walk(): Route[] {
    return [this, ...this.routes.flatMap((r) => r.walk())];
  }
}

function routeMatchers(cfg: RouteConfig): Matcher[] {
  const ms: Matcher[] = [];
  for (const [k, v] of Object.entries(cfg.match ?? {})) ms.push(newMatcher('=', k, v));
  for (const [k, v] of Object.entries(cfg.match_re ?? {})) ms.push(newMatcher('=~', k, v));
  for (const s of cfg.matchers ?? []) pushAll(ms, parseMatchers(s));
  return ms.sort(compareMatchers);
}

/**
 * Builds the tree from a validated config (see rootRouteSchema). Throws MatcherError on a
 * matcher the schema would have rejected, and Error on a root without receiver.
 */
export function buildRoute(cfg: RouteConfig): Route {
  let counter = 0;
  const build = (c: RouteConfig, parent: Route | undefined): Route => {
    const base: RouteOpts = parent?.opts ?? {
      receiver: '',
      groupBy: [],
      groupByAll: false,
      groupWait: ROUTE_DEFAULTS.groupWait,
      groupInterval: ROUTE_DEFAULTS.groupInterval,
      repeatInterval: ROUTE_DEFAULTS.repeatInterval,
      muteTimeIntervals: [],
      activeTimeIntervals: [],
    };
    // As Alertmanager: an empty group_by (`group_by: []`) is "not set" and inherits the parent's.
    const ownGroupBy = c.group_by && c.group_by.length > 0 ? c.group_by : undefined;
    const groupByAll = ownGroupBy ? ownGroupBy.includes('...') : base.groupByAll;
    const opts: RouteOpts = {
      receiver: c.receiver ?? base.receiver,
      groupBy: ownGroupBy ? (groupByAll ? [] : [...ownGroupBy]) : base.groupBy,
      groupByAll,
      groupWait: c.group_wait ?? base.groupWait,
      groupInterval: c.group_interval ?? base.groupInterval,
      repeatInterval: c.repeat_interval ?? base.repeatInterval,
      // Not inherited from the parent, as in Alertmanager (dispatch/route.go).
      muteTimeIntervals: c.mute_time_intervals ?? [],
      activeTimeIntervals: c.active_time_intervals ?? [],
    };
    if (!parent && opts.receiver === '') throw new Error('root route must specify a default receiver');
    const route = new Route(opts, routeMatchers(c), c.continue ?? false, parent, counter++);
    for (const child of c.routes ?? []) route.routes.push(build(child, route));
    return route;
  };
  return build(cfg, undefined);
}

/** The labels of `labels` an alert is grouped by on `route`. */
export function groupLabelsFor(route: Route, labels: Labels): Labels {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    if (v !== '' && (route.opts.groupByAll || route.opts.groupBy.includes(k))) out[k] = v;
  }
  return out;
}

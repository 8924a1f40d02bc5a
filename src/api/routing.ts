import type { FastifyInstance } from 'fastify';
import type { Route } from '../alerting/index.js';
import { formatMatchersAM, groupLabelsFor } from '../alerting/index.js';
import { matchesAll } from '../model/matcher.js';
import { pushAll } from '../model/arrays.js';
import { isValidLabelName, type Labels } from '../model/labels.js';
import type { ApiDeps } from './deps.js';
import { HttpError } from './errors.js';
import { parse } from './validate.js';
import { routeTestBody, type RouteNodeView, type RouteTestResponse, type RoutingResponse } from './schemas/index.js';

function nodeView(r: Route): RouteNodeView {
  return {
    index: r.idx,
    id: r.id,
    receiver: r.opts.receiver,
    matchers: r.matchers.map((m) => formatMatchersAM([m]).replace(/^\{|\}$/g, '')),
    continue: r.continueMatching,
    group_by: r.opts.groupByAll ? ['...'] : [...r.opts.groupBy],
    group_wait_ms: r.opts.groupWait,
    group_interval_ms: r.opts.groupInterval,
    repeat_interval_ms: r.opts.repeatInterval,
    routes: r.routes.map(nodeView),
  };
}

/** Alertmanager's matching (Route.match), recording every route whose matchers were evaluated. */
function trace(root: Route, labels: Labels): RouteTestResponse {
  const visited: RouteTestResponse['visited'] = [];
  const walk = (r: Route): Route[] => {
    const ok = matchesAll(r.matchers, labels);
    visited.push({ index: r.idx, matched: ok });
    if (!ok) return [];
    const all: Route[] = [];
    for (const child of r.routes) {
      const found = walk(child);
      pushAll(all, found);
      if (found.length > 0 && !child.continueMatching) break;
    }
    return all.length ? all : [r];
  };
  const matches = walk(root).map((r) => {
    const path: number[] = [];
    for (let n: Route | undefined = r; n; n = n.parent) path.unshift(n.idx);
    return { index: r.idx, id: r.id, receiver: r.opts.receiver, path, group_labels: groupLabelsFor(r, labels) };
  });
  return { labels, matches, visited };
}

/**
 * The routing tree as configured (effective options after inheritance) and a tester: which
 * receiver(s) an arbitrary label set reaches, and by which path — `amtool config routes test`.
 */
export function registerRoutingRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/api/v1/routes', { config: { role: 'viewer' } }, async (): Promise<RoutingResponse> => {
    const r = deps.routing();
    return { route: nodeView(r.root), receivers: [...r.receivers] };
  });
  app.post('/api/v1/routes/test', { config: { role: 'viewer' } }, async (req): Promise<RouteTestResponse> => {
    const { labels } = parse(routeTestBody, req.body, 'body');
    for (const name of Object.keys(labels)) {
      if (!isValidLabelName(name)) throw new HttpError('bad_request', `body.labels: ${JSON.stringify(name)} is not a valid label name (letters, digits and _, not starting with a digit)`);
    }
    return trace(deps.routing().root, labels);
  });
}

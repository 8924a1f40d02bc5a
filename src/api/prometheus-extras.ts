import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatExpr, formatGoFloat, parseExpr } from '../promql/index.js';
import { isStaleNaN } from '../model/sample.js';
import type { Labels } from '../model/labels.js';
import { ApiError, fail, many, one, params, parseTime, selectorMatchers, send, type PrometheusApiDeps } from './prometheus.js';

/** How far back /federate looks for a series' latest sample, as Prometheus's lookback delta. */
export const FEDERATE_LOOKBACK_MS = 300_000;

/**
 * The rest of Prometheus's HTTP API that its clients call: `/federate` (another Prometheus
 * scraping Vigil's series), `/api/v1/format_query` (Grafana's "Format query"),
 * `/api/v1/query_exemplars` (Grafana asks whenever exemplars are on; Vigil stores none, so the
 * answer is an empty list, as Prometheus gives for series without exemplars).
 */
export function registerPrometheusExtraRoutes(app: FastifyInstance, deps: PrometheusApiDeps): void {
  const viewer = { config: { role: 'viewer' as const, errorShape: 'prometheus' as const } };
  const both = (path: string, handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => {
    app.get(path, viewer, handler);
    app.post(path, viewer, handler);
  };

  both('/api/v1/format_query', async (req, reply) => {
    try {
      return send(reply, formatExpr(parsedQuery(params(req))));
    } catch (e) {
      return fail(reply, e);
    }
  });

  both('/api/v1/query_exemplars', async (req, reply) => {
    try {
      const p = params(req);
      parsedQuery(p);
      const [s, e] = [one(p, 'start'), one(p, 'end')];
      const start = s ? parseTime(s, 'start') : Number.NEGATIVE_INFINITY;
      const end = e ? parseTime(e, 'end') : Number.POSITIVE_INFINITY;
      if (end < start) throw new ApiError('bad_data', 'invalid parameter "end": end timestamp must not be before start time');
      return send(reply, []);
    } catch (e) {
      return fail(reply, e);
    }
  });

  app.get('/federate', viewer, async (req, reply) => {
    try {
      const selectors = many(params(req), 'match[]');
      if (selectors.length === 0) throw new ApiError('bad_data', 'no match[] parameter given: /federate needs at least one series selector, e.g. match[]={job="api"}');
      const matcherSets = selectors.map(selectorMatchers);
      const now = deps.now();
      const querier = await deps.queryable.querier(now - FEDERATE_LOOKBACK_MS, now);
      const latest = new Map<string, { labels: Labels; t: number; v: number }>();
      try {
        for (const matchers of matcherSets) {
          for (const s of await querier.select(matchers, { start: now - FEDERATE_LOOKBACK_MS + 1, end: now, latest: true })) {
            const i = lastIndexAtOrBefore(s.timestamps, now);
            if (i < 0) continue;
            const t = s.timestamps[i] as number;
            const v = s.values[i] as number;
            if (t <= now - FEDERATE_LOOKBACK_MS || isStaleNaN(v)) continue;
            latest.set(seriesKey(s.labels), { labels: s.labels, t, v });
          }
        }
      } finally {
        querier.close();
      }
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(exposition([...latest.values()]));
    } catch (e) {
      return fail(reply, e);
    }
  });
}

function parsedQuery(p: Record<string, string | string[]>) {
  const q = one(p, 'query');
  if (!q) throw new ApiError('bad_data', 'invalid parameter "query": no query provided');
  try {
    return parseExpr(q);
  } catch (e) {
    throw new ApiError('bad_data', `invalid parameter "query": ${(e as Error).message}`);
  }
}

function lastIndexAtOrBefore(ts: ArrayLike<number>, t: number): number {
  let i = ts.length - 1;
  while (i >= 0 && (ts[i] as number) > t) i--;
  return i;
}

const seriesKey = (l: Labels) => JSON.stringify(Object.entries(l).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const escapeValue = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/**
 * Series in the Prometheus text format as /federate writes them: grouped by metric name (sorted),
 * one `# TYPE name untyped` line per name, each sample with its own timestamp in ms.
 */
export function exposition(samples: ReadonlyArray<{ labels: Labels; t: number; v: number }>): string {
  const byName = new Map<string, Array<{ labels: Labels; t: number; v: number }>>();
  for (const s of samples) {
    const name = s.labels['__name__'] ?? '';
    const list = byName.get(name);
    if (list) list.push(s);
    else byName.set(name, [s]);
  }
  const out: string[] = [];
  for (const name of [...byName.keys()].sort()) {
    out.push(`# TYPE ${name} untyped`);
    const lines = (byName.get(name) ?? []).map((s) => {
      const pairs = Object.entries(s.labels)
        .filter(([k]) => k !== '__name__')
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${k}="${escapeValue(v)}"`);
      return `${name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${formatGoFloat(s.v)} ${s.t}`;
    });
    lines.sort();
    for (const l of lines) out.push(l);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

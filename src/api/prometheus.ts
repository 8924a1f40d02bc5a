import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Engine, PromQLError, formatGoFloat, parseExpr, type QueryResult } from '../promql/index.js';
import type { Queryable } from '../storage/index.js';
import type { Matcher } from '../model/matcher.js';
import { tryParseDuration } from '../model/duration.js';
import { isValidLabelName } from '../model/labels.js';
import { queryAnswerChunks } from './query-json.js';

/**
 * The Prometheus HTTP API (query, query_range, series, labels, label values, metadata) with
 * Prometheus's JSON shapes and status codes, so Grafana's Prometheus data source works.
 */
export interface PrometheusApiDeps {
  readonly engine: Engine;
  readonly queryable: Queryable;
  readonly now: () => number;
  readonly version: string;
}

export class ApiError extends Error {
  constructor(
    readonly errorType: 'bad_data' | 'execution' | 'timeout' | 'canceled' | 'internal' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

const STATUS: Record<ApiError['errorType'], number> = { bad_data: 400, execution: 422, timeout: 503, canceled: 499, internal: 500, not_found: 404 };

/** Query and form parameters merged; repeated keys (match[]) become arrays. */
export function params(req: FastifyRequest): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const add = (k: string, v: string) => {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  };
  for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, string | string[]>)) for (const x of Array.isArray(v) ? v : [v]) add(k, x);
  if (req.body instanceof URLSearchParams) for (const [k, v] of req.body) add(k, v);
  return out;
}

export function one(p: Record<string, string | string[]>, name: string): string | undefined {
  const v = p[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

export function many(p: Record<string, string | string[]>, name: string): string[] {
  const v = p[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** RFC 3339 or Unix seconds (with fraction), as Prometheus's parseTime. */
export function parseTime(s: string, name: string): number {
  if (/^[+-]?\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new ApiError('bad_data', `invalid parameter "${name}": cannot parse "${s}" to a valid timestamp`);
  return t;
}

/** Seconds (float) or a Prometheus duration, as Prometheus's parseDuration. */
export function parseStep(s: string, name: string): number {
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const d = tryParseDuration(s);
  if (d === undefined) throw new ApiError('bad_data', `invalid parameter "${name}": cannot parse "${s}" to a valid duration`);
  return d;
}

export function selectorMatchers(text: string): Matcher[] {
  let expr;
  try {
    expr = parseExpr(text);
  } catch (e) {
    throw new ApiError('bad_data', `invalid parameter "match[]": ${(e as Error).message}`);
  }
  if (expr.type !== 'VectorSelector') throw new ApiError('bad_data', `invalid parameter "match[]": expected a series selector, got ${JSON.stringify(text)}`);
  return [...expr.matchers];
}

const point = (t: number, v: number): [number, string] => [t / 1000, formatGoFloat(v)];

export function serializeResult(r: QueryResult): { resultType: string; result: unknown } {
  switch (r.resultType) {
    case 'vector':
      return { resultType: 'vector', result: r.result.map((s) => ({ metric: s.labels, value: point(s.t, s.v) })) };
    case 'matrix':
      return { resultType: 'matrix', result: r.result.map((s) => ({ metric: s.labels, values: s.points.map((p) => point(p.t, p.v)) })) };
    case 'scalar':
      return { resultType: 'scalar', result: point(r.result.t, r.result.v) };
    case 'string':
      return { resultType: 'string', result: [r.result.t / 1000, r.result.v] };
    default: {
      const never: never = r;
      return never;
    }
  }
}

export function send(reply: FastifyReply, data: unknown, warnings: readonly string[] = [], infos: readonly string[] = []) {
  return reply.send({ status: 'success', data, ...(warnings.length ? { warnings } : {}), ...(infos.length ? { infos } : {}) });
}

/**
 * A query's answer as JSON text written straight from the result (see queryAnswerChunks): one
 * chunk is sent as a string (ETags apply), a larger answer streamed chunk by chunk.
 */
function sendAnswer(reply: FastifyReply, r: QueryResult) {
  const chunks = queryAnswerChunks(r);
  void reply.type('application/json; charset=utf-8');
  return reply.send(chunks.length === 1 ? chunks[0] : Readable.from(chunks));
}

export function fail(reply: FastifyReply, err: unknown) {
  if (err instanceof ApiError) return reply.status(STATUS[err.errorType]).send({ status: 'error', errorType: err.errorType, error: err.message });
  if (err instanceof PromQLError) return reply.status(STATUS[err.errorType]).send({ status: 'error', errorType: err.errorType, error: err.message });
  reply.log.error({ err }, 'prometheus api failure');
  return reply.status(500).send({ status: 'error', errorType: 'internal', error: (err as Error).message });
}

/** Aborts the query when the client goes away or the `timeout` parameter passes. */
function querySignal(req: FastifyRequest, p: Record<string, string | string[]>): AbortSignal {
  const ctl = new AbortController();
  req.raw.once('close', () => {
    if (!req.raw.complete) ctl.abort();
  });
  const t = one(p, 'timeout');
  const signals = [ctl.signal];
  if (t) signals.push(AbortSignal.timeout(parseStep(t, 'timeout')));
  return AbortSignal.any(signals);
}

export function registerPrometheusRoutes(app: FastifyInstance, deps: PrometheusApiDeps): void {
  const viewer = { config: { role: 'viewer' as const, errorShape: 'prometheus' as const } };
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, new URLSearchParams(body as string)));
  }
  const both = (path: string, handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => {
    app.get(path, viewer, handler);
    app.post(path, viewer, handler);
  };

  both('/api/v1/query', async (req, reply) => {
    try {
      const p = params(req);
      const q = one(p, 'query');
      if (!q) throw new ApiError('bad_data', 'invalid parameter "query": no query provided');
      const t = one(p, 'time');
      const time = t ? parseTime(t, 'time') : deps.now();
      const r = await deps.engine.instantQuery(deps.queryable, q, time, { signal: querySignal(req, p) });
      return sendAnswer(reply, r);
    } catch (e) {
      return fail(reply, e);
    }
  });

  both('/api/v1/query_range', async (req, reply) => {
    try {
      const p = params(req);
      const q = one(p, 'query');
      if (!q) throw new ApiError('bad_data', 'invalid parameter "query": no query provided');
      const [s, e, st] = [one(p, 'start'), one(p, 'end'), one(p, 'step')];
      if (!s) throw new ApiError('bad_data', 'invalid parameter "start": missing');
      if (!e) throw new ApiError('bad_data', 'invalid parameter "end": missing');
      if (!st) throw new ApiError('bad_data', 'invalid parameter "step": missing');
      const start = parseTime(s, 'start');
      const end = parseTime(e, 'end');
      const step = parseStep(st, 'step');
      if (end < start) throw new ApiError('bad_data', 'invalid parameter "end": end timestamp must not be before start time');
      if (step <= 0) throw new ApiError('bad_data', 'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer');
      // The engine refuses more than metrics.max_points_per_series steps (Prometheus: 11,000) before any work.
      const r = await deps.engine.rangeQuery(deps.queryable, q, start, end, step, { signal: querySignal(req, p) });
      return sendAnswer(reply, r);
    } catch (err) {
      return fail(reply, err);
    }
  });

  const timeRange = (p: Record<string, string | string[]>) => {
    const s = one(p, 'start');
    const e = one(p, 'end');
    return { start: s ? parseTime(s, 'start') : 0, end: e ? parseTime(e, 'end') : deps.now() };
  };
  /** Prometheus's `limit` parameter of the metadata endpoints: 0 or absent = no limit. */
  const resultLimit = (p: Record<string, string | string[]>): number => {
    const l = one(p, 'limit');
    if (l === undefined || l === '') return Infinity;
    const n = Number(l);
    if (!Number.isInteger(n) || n < 0) throw new ApiError('bad_data', `invalid parameter "limit": cannot parse "${l}" to a non-negative integer`);
    return n === 0 ? Infinity : n;
  };
  const truncated = <T>(items: T[], limit: number): { data: T[]; warnings: string[] } =>
    items.length > limit ? { data: items.slice(0, limit), warnings: ['results truncated due to limit'] } : { data: items, warnings: [] };

  both('/api/v1/series', async (req, reply) => {
    try {
      const p = params(req);
      const sets = many(p, 'match[]');
      if (sets.length === 0) throw new ApiError('bad_data', 'no match[] parameter provided');
      const { start, end } = timeRange(p);
      const limit = resultLimit(p);
      const matchers = sets.map(selectorMatchers);
      const querier = await deps.queryable.querier(start, end);
      try {
        const seen = new Map<string, Record<string, string>>();
        // func "series": the store lists label sets without decoding samples (as Prometheus).
        for (const m of matchers) {
          for (const s of await querier.select(m, { start, end, func: 'series' })) seen.set(JSON.stringify(Object.entries(s.labels).sort()), { ...s.labels });
          if (seen.size > limit) break;
        }
        const r = truncated([...seen.values()], limit);
        return send(reply, r.data, r.warnings);
      } finally {
        querier.close();
      }
    } catch (e) {
      return fail(reply, e);
    }
  });

  both('/api/v1/labels', async (req, reply) => {
    try {
      const p = params(req);
      const { start, end } = timeRange(p);
      const querier = await deps.queryable.querier(start, end);
      try {
        const sets = many(p, 'match[]');
        const names = new Set<string>();
        for (const m of sets.length ? sets.map(selectorMatchers) : [[]]) for (const n of await querier.labelNames(m, { start, end })) names.add(n);
        const r = truncated([...names].sort(), resultLimit(p));
        return send(reply, r.data, r.warnings);
      } finally {
        querier.close();
      }
    } catch (e) {
      return fail(reply, e);
    }
  });

  app.get('/api/v1/label/:name/values', viewer, async (req, reply) => {
    try {
      const { name } = req.params as { name: string };
      if (!isValidLabelName(name)) throw new ApiError('bad_data', `invalid label name: "${name}"`);
      const p = params(req);
      const { start, end } = timeRange(p);
      const querier = await deps.queryable.querier(start, end);
      try {
        const sets = many(p, 'match[]');
        const values = new Set<string>();
        for (const m of sets.length ? sets.map(selectorMatchers) : [[]]) for (const v of await querier.labelValues(name, m, { start, end })) values.add(v);
        const r = truncated([...values].sort(), resultLimit(p));
        return send(reply, r.data, r.warnings);
      } finally {
        querier.close();
      }
    } catch (e) {
      return fail(reply, e);
    }
  });

  app.get('/api/v1/metadata', viewer, async (_req, reply) => send(reply, {}));
  app.get('/api/v1/status/buildinfo', viewer, async (_req, reply) =>
    send(reply, { version: deps.version, revision: '', branch: '', buildUser: '', buildDate: '', goVersion: '' }),
  );
}

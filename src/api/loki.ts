import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  LogQLParseError,
  LogQueryCanceledError,
  LogQueryLimitError,
  LogQueryTimeoutError,
  DEFAULT_LOG_QUERY_LIMITS,
  checkQueryLength,
  queryInstant,
  queryRange,
  toLokiResponse,
  parseLogQL,
  traceLines,
  nsString,
  type LogStore,
  type Direction,
  type LogQueryLimits,
} from '../logs/index.js';
import { tryParseDuration } from '../model/duration.js';
import { isValidLabelName } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';
import { HttpError } from './errors.js';
import type { TraceResponse } from './schemas/index.js';

/**
 * Loki's query API (query, query_range, labels, label values, series) with Loki's JSON shapes,
 * so Grafana's Loki data source works against Vigil. Errors are plain text, as Loki sends them.
 */
export interface LokiApiDeps {
  readonly store: LogStore;
  readonly now: () => number;
  /** Query limits (logs.query in vigil.yml); absent ones take DEFAULT_LOG_QUERY_LIMITS. */
  readonly limits?: Partial<LogQueryLimits>;
}

class BadRequest extends Error {}

/** Loki timestamps: integer nanoseconds, float seconds, or RFC 3339. Returns ms. */
export function parseLokiTime(s: string, name: string): number {
  if (/^\d{14,}$/.test(s)) return Math.floor(Number(BigInt(s) / 1000n) / 1000);
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new BadRequest(`invalid ${name}: cannot parse ${JSON.stringify(s)} as a timestamp (ns, seconds or RFC 3339)`);
  return t;
}

function parseLokiStep(s: string): number {
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const d = tryParseDuration(s);
  if (d === undefined || d <= 0) throw new BadRequest(`invalid step: ${JSON.stringify(s)}`);
  return d;
}

function q(req: FastifyRequest): Record<string, string | string[] | undefined> {
  const body = req.body instanceof URLSearchParams ? Object.fromEntries(req.body) : {};
  return { ...(req.query as Record<string, string | string[]>), ...body };
}

const str = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[v.length - 1] : v);
const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function direction(v: string | undefined): Direction {
  if (v === undefined || v === 'backward' || v === 'BACKWARD') return 'backward';
  if (v === 'forward' || v === 'FORWARD') return 'forward';
  throw new BadRequest(`invalid direction ${JSON.stringify(v)}: expected forward or backward`);
}

function limit(v: string | undefined, def: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new BadRequest(`invalid limit ${JSON.stringify(v)}: expected a positive integer`);
  return n;
}

function selectorMatchers(text: string): Matcher[] {
  const expr = parseLogQL(text) as unknown as { kind?: string; type?: string; selector?: readonly Matcher[]; matchers?: readonly Matcher[] };
  const m = expr.selector ?? expr.matchers;
  if (!m) throw new BadRequest(`match[] must be a stream selector like {job="api"}, got ${JSON.stringify(text)}`);
  return [...m];
}

/** Aborts the query when the client goes away before the answer. */
/**
 * Aborts when the client goes away before the answer. The socket listener is removed once
 * the response is done: on a keep-alive connection (Grafana's) every query would otherwise
 * leave one behind, holding its controller until the connection closes.
 */
function clientSignal(req: FastifyRequest, reply: FastifyReply): AbortSignal {
  const ctl = new AbortController();
  const abort = (): void => ctl.abort();
  const socket = req.raw.socket;
  req.raw.once('close', () => {
    if (!req.raw.complete) ctl.abort();
  });
  socket?.once('close', abort);
  reply.raw.once('close', () => socket?.off('close', abort));
  return ctl.signal;
}

function fail(reply: FastifyReply, e: unknown) {
  const text = (status: number, msg: string) => reply.status(status).type('text/plain; charset=utf-8').send(msg);
  if (e instanceof BadRequest || e instanceof LogQLParseError || e instanceof LogQueryLimitError) return text(400, e.message);
  if (e instanceof LogQueryTimeoutError) return text(504, e.message);
  if (e instanceof LogQueryCanceledError) return text(499, e.message);
  reply.log.error({ err: e }, 'loki api failure');
  return reply.status(500).type('text/plain; charset=utf-8').send((e as Error).message);
}

export function registerLokiRoutes(app: FastifyInstance, deps: LokiApiDeps): void {
  const limits: LogQueryLimits = { ...DEFAULT_LOG_QUERY_LIMITS, ...deps.limits };
  const viewer = { config: { role: 'viewer' as const, errorShape: 'text' as const } };
  const both = (path: string, h: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => {
    app.get(path, viewer, h);
    app.post(path, viewer, h);
  };
  const range = (p: Record<string, string | string[] | undefined>) => {
    const e = str(p['end']);
    const end = e ? parseLokiTime(e, 'end') : deps.now();
    const s = str(p['start']);
    const start = s ? parseLokiTime(s, 'start') : end - 3600_000;
    if (end < start) throw new BadRequest('the end timestamp must not be before the start time');
    return { start, end };
  };

  both('/loki/api/v1/query_range', async (req, reply) => {
    try {
      const p = q(req);
      const query = str(p['query']);
      if (!query) throw new BadRequest('query parameter is required');
      const { start, end } = range(p);
      const t0 = performance.now();
      const step = str(p['step']);
      const r = await queryRange(deps.store, query, {
        start,
        end,
        ...(step ? { step: parseLokiStep(step) } : {}),
        limit: limit(str(p['limit']), 100),
        direction: direction(str(p['direction'])),
        limits,
        signal: clientSignal(req, reply),
      });
      return reply.send(toLokiResponse(r, { lines: 0, bytes: 0, execSeconds: (performance.now() - t0) / 1000 }));
    } catch (e) {
      return fail(reply, e);
    }
  });

  both('/loki/api/v1/query', async (req, reply) => {
    try {
      const p = q(req);
      const query = str(p['query']);
      if (!query) throw new BadRequest('query parameter is required');
      const t = str(p['time']);
      const t0 = performance.now();
      const r = await queryInstant(deps.store, query, {
        time: t ? parseLokiTime(t, 'time') : deps.now(),
        limit: limit(str(p['limit']), 100),
        direction: direction(str(p['direction'])),
        limits,
        signal: clientSignal(req, reply),
      });
      return reply.send(toLokiResponse(r, { lines: 0, bytes: 0, execSeconds: (performance.now() - t0) / 1000 }));
    } catch (e) {
      return fail(reply, e);
    }
  });

  both('/loki/api/v1/labels', async (_req, reply) => {
    try {
      return reply.send({ status: 'success', data: deps.store.labels() });
    } catch (e) {
      return fail(reply, e);
    }
  });

  app.get('/loki/api/v1/label/:name/values', viewer, async (req, reply) => {
    try {
      const { name } = req.params as { name: string };
      if (!isValidLabelName(name)) throw new BadRequest(`invalid label name ${JSON.stringify(name)}`);
      return reply.send({ status: 'success', data: deps.store.labelValues(name) });
    } catch (e) {
      return fail(reply, e);
    }
  });

  both('/loki/api/v1/series', async (req, reply) => {
    try {
      const p = q(req);
      const sets = [...list(p['match[]']), ...list(p['match'])];
      if (sets.length === 0) throw new BadRequest('at least one match[] selector is required');
      const { start, end } = range(p);
      checkQueryLength(limits, start, end, 0);
      const seen = new Map<string, Record<string, string>>();
      for (const s of sets) for (const l of deps.store.series(selectorMatchers(s), start, end)) seen.set(JSON.stringify(Object.entries(l).sort()), { ...l });
      return reply.send({ status: 'success', data: [...seen.values()] });
    } catch (e) {
      return fail(reply, e);
    }
  });

  /** Every line carrying a request or trace id, across services, in time order. Vigil's own API: its error shape. */
  app.get('/api/v1/logs/trace/:id', { config: { role: 'viewer' } }, async (req, reply): Promise<TraceResponse> => {
    const { id } = req.params as { id: string };
    if (!id || id.length > 200) throw new HttpError('bad_request', 'params.id: must be 1 to 200 characters');
    let start: number;
    let end: number;
    let max: number;
    try {
      ({ start, end } = range(q(req)));
      max = limit(str(q(req)['limit']), Math.min(5000, limits.maxEntries));
    } catch (e) {
      if (e instanceof BadRequest) throw new HttpError('bad_request', `query: ${e.message}`);
      throw e;
    }
    let lines;
    try {
      lines = await traceLines(deps.store, id, start, end, { limit: max, limits, signal: clientSignal(req, reply) });
    } catch (e) {
      if (e instanceof LogQueryLimitError) throw new HttpError('bad_request', `query: ${e.message}`);
      if (e instanceof LogQueryTimeoutError) throw new HttpError('timeout', e.message);
      if (e instanceof LogQueryCanceledError) throw new HttpError('canceled', e.message);
      throw e;
    }
    return {
      id,
      lines: lines.map((e) => ({ ts: nsString(e.t, e.ns), time: new Date(e.t).toISOString(), labels: e.labels, line: e.line })),
    };
  });
}

import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { RE2JS } from 're2js';
import type { AlertPipeline, AlertStatusView, HistoryEntry } from '../alerts/index.js';
import { SilenceError, SilenceNotFoundError, parseMatcher, silenceState } from '../alerting/index.js';
import type { GroupSnapshot, Silence, SilenceMatcher, Silences } from '../alerting/index.js';
import type { Matcher } from '../model/matcher.js';
import type { Labels } from '../model/labels.js';
import { isRequestUri } from './request-uri.js';

/** What the Alertmanager API v2 needs; the app builds it. */
export interface AlertmanagerApiDeps {
  readonly pipeline: AlertPipeline;
  readonly silences: Silences;
  readonly receivers: () => readonly string[];
  /** The alerting part of the configuration, as YAML (GET /api/v2/status config.original). */
  readonly configText: () => string;
  readonly startedAt: number;
  readonly version: string;
  readonly now: () => number;
}

/** Go's zero time (0001-01-01T00:00:00Z) and absent mean "unset". */
function parseTime(s: string | undefined, where: string): number {
  if (s === undefined || s === '' || s.startsWith('0001-01-01')) return 0;
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new BadRequest(`${where}: ${JSON.stringify(s)} is not an RFC 3339 date-time`);
  return t;
}

const iso = (ms: number) => new Date(ms).toISOString();

class BadRequest extends Error {}

/** Alertmanager answers errors with a JSON string; amtool and Prometheus read it as such. */
function fail(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.status(status).type('application/json').send(JSON.stringify(message));
}

interface PostedAlert {
  readonly labels: Labels;
  readonly annotations?: Labels;
  readonly startsAt?: string;
  readonly endsAt?: string;
  readonly generatorURL?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Why `v` is not a label set (an object of strings), or undefined. A null value is read as the
 * empty string, as Go's JSON decoder reads it into Alertmanager's label sets.
 */
function labelSetProblem(v: unknown, where: string): string | undefined {
  if (!isObject(v)) return `${where}: expected an object of strings`;
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    if (v[k] === null) v[k] = '';
    else if (typeof v[k] !== 'string') return `${where}.${k}: expected a string`;
  }
  return undefined;
}

/**
 * A POST /api/v2/alerts body checked as Alertmanager's postableAlerts, in place: the label
 * and annotation objects JSON.parse made are kept as they are (a schema library's copy of each
 * was one more object per alert, and a less compact one), each problem named by its place.
 */
function postedAlerts(body: unknown): { alerts: PostedAlert[] } | { error: string } {
  if (!Array.isArray(body)) return { error: 'expected an array of alerts' };
  const problems: string[] = [];
  body.forEach((a: unknown, i) => {
    if (!isObject(a)) return void problems.push(`${i}: expected an object`);
    const p = labelSetProblem(a.labels, `${i}.labels`) ?? (a.annotations === undefined ? undefined : labelSetProblem(a.annotations, `${i}.annotations`));
    if (p) problems.push(p);
    for (const f of ['startsAt', 'endsAt', 'generatorURL'] as const) if (a[f] !== undefined && typeof a[f] !== 'string') problems.push(`${i}.${f}: expected a string`);
    if (typeof a.generatorURL === 'string' && a.generatorURL !== '' && !isRequestUri(a.generatorURL)) problems.push(`${i}.generatorURL: must be a URI: ${JSON.stringify(a.generatorURL.slice(0, 200))}`);
  });
  return problems.length > 0 ? { error: problems.join('; ') } : { alerts: body as PostedAlert[] };
}

const matcherBody = z.object({ name: z.string(), value: z.string(), isRegex: z.boolean(), isEqual: z.boolean().optional() });
const postableSilence = z.object({
  id: z.string().optional(),
  matchers: z.array(matcherBody),
  startsAt: z.string(),
  endsAt: z.string(),
  createdBy: z.string(),
  comment: z.string(),
});

const bool = (v: unknown, dflt: boolean) => (v === undefined ? dflt : v === 'true' || v === true);
const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

function parseFilter(filter: unknown): Matcher[] {
  return list(filter).map((f) => parseMatcher(f));
}

function gettableAlert(v: AlertStatusView) {
  const a = v.alert;
  const silencedBy = v.mutedBy.find((m) => m.stage === 'silenced')?.by ?? [];
  const inhibitedBy = v.mutedBy.find((m) => m.stage === 'inhibited')?.by ?? [];
  return {
    annotations: a.annotations,
    endsAt: iso(a.endsAt === 0 ? 0 : a.endsAt),
    fingerprint: a.fingerprint,
    receivers: v.receivers.map((name) => ({ name })),
    startsAt: iso(a.startsAt),
    status: { inhibitedBy: [...inhibitedBy], silencedBy: [...silencedBy], state: v.state },
    updatedAt: iso(a.updatedAt),
    generatorURL: a.generatorURL,
    labels: a.labels,
  };
}

function gettableSilence(s: Silence, now: number) {
  return {
    id: s.id,
    status: { state: silenceState(s, now) },
    updatedAt: iso(s.updatedAt),
    comment: s.comment,
    createdBy: s.createdBy,
    endsAt: iso(s.endsAt),
    matchers: s.matchers.map((m) => ({ isEqual: m.isEqual, isRegex: m.isRegex, name: m.name, value: m.value })),
    startsAt: iso(s.startsAt),
  };
}

const STATE_ORDER = { active: 0, pending: 1, expired: 2 } as const;

/** api/v2 SortSilences: active by end, pending by start, expired newest end first. */
function compareSilences(a: ReturnType<typeof gettableSilence>, b: ReturnType<typeof gettableSilence>): number {
  const sa = a.status.state;
  const sb = b.status.state;
  if (sa !== sb) return STATE_ORDER[sa] - STATE_ORDER[sb];
  if (sa === 'pending') return a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : 0;
  if (sa === 'expired') return a.endsAt > b.endsAt ? -1 : a.endsAt < b.endsAt ? 1 : 0;
  return a.endsAt < b.endsAt ? -1 : a.endsAt > b.endsAt ? 1 : 0;
}

/** CheckSilenceMatchesFilterLabels: every filter matcher equals one of the silence's matchers. */
function silenceMatchesFilter(s: Silence, filter: readonly Matcher[]): boolean {
  return filter.every((f) =>
    s.matchers.some((m: SilenceMatcher) => {
      const type = m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=';
      return m.name === f.name && m.value === f.value && type === f.type;
    }),
  );
}

function labelsMatch(filter: readonly Matcher[], labels: Labels): boolean {
  return filter.every((m) => m.matches(labels[m.name] ?? ''));
}

function receiverRegex(r: unknown): RE2JS | undefined {
  if (r === undefined || r === '') return undefined;
  try {
    return RE2JS.compile(`^(?:${String(r)})$`);
  } catch (e) {
    throw new BadRequest(`failed to parse receiver param: ${(e as Error).message}`);
  }
}

/**
 * Alertmanager's API v2 (api/v2/openapi.yaml, 0.25): what Prometheus's alerting.alertmanagers
 * and amtool speak. Posted alerts enter the one pipeline like every other alert. Roles:
 * `ingest` posts alerts, `viewer` reads, `responder` manages silences.
 */
export function registerAlertmanagerRoutes(app: FastifyInstance, deps: AlertmanagerApiDeps): void {
  const viewer = { config: { role: 'viewer' as const } };
  const ingest = { config: { role: 'ingest' as const } };
  const responder = { config: { role: 'responder' as const } };

  app.post('/api/v2/alerts', ingest, async (req, reply) => {
    const body = postedAlerts(req.body);
    if ('error' in body) return fail(reply, 400, `invalid alerts: ${body.error}`);
    let alerts;
    try {
      alerts = body.alerts.map((a, i) => ({
        labels: a.labels,
        annotations: a.annotations ?? {},
        startsAt: parseTime(a.startsAt, `[${i}].startsAt`),
        endsAt: parseTime(a.endsAt, `[${i}].endsAt`),
        generatorURL: a.generatorURL ?? '',
      }));
    } catch (e) {
      if (e instanceof BadRequest) return fail(reply, 400, e.message);
      throw e;
    }
    const r = await deps.pipeline.intake(alerts, { name: 'api' });
    if (r.errors.length > 0) return fail(reply, 400, r.errors.join('; '));
    return reply.status(200).send();
  });

  const alertQuery = (q: Record<string, unknown>) => {
    const filter = parseFilter(q.filter);
    const receiver = receiverRegex(q.receiver);
    const active = bool(q.active, true);
    const silenced = bool(q.silenced, true);
    const inhibited = bool(q.inhibited, true);
    const unprocessed = bool(q.unprocessed, true);
    return (v: AlertStatusView): boolean => {
      if (v.resolved) return false;
      if (!active && v.state === 'active') return false;
      if (!unprocessed && v.state === 'unprocessed') return false;
      if (!silenced && v.mutedBy.some((m) => m.stage === 'silenced')) return false;
      if (!inhibited && v.mutedBy.some((m) => m.stage === 'inhibited')) return false;
      if (receiver && !v.receivers.some((r) => receiver.matches(r))) return false;
      return labelsMatch(filter, v.alert.labels);
    };
  };

  const guarded = async (reply: FastifyReply, fn: () => unknown) => {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof BadRequest || (e as Error).name === 'MatcherError') return fail(reply, 400, (e as Error).message);
      throw e;
    }
  };

  app.get('/api/v2/alerts', viewer, async (req, reply) =>
    guarded(reply, () => {
      const keep = alertQuery(req.query as Record<string, unknown>);
      return deps.pipeline
        .alerts()
        .filter(keep)
        .map(gettableAlert)
        .sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
    }),
  );

  app.get('/api/v2/alerts/groups', viewer, async (req, reply) =>
    guarded(reply, () => {
      const q = req.query as Record<string, unknown>;
      const keep = alertQuery({ ...q, receiver: undefined });
      const receiver = receiverRegex(q.receiver);
      const byFp = new Map(deps.pipeline.alerts().map((v) => [v.alert.fingerprint, v]));
      const out = [];
      for (const g of deps.pipeline.groups() as GroupSnapshot[]) {
        if (receiver && !receiver.matches(g.receiver)) continue;
        const alerts = g.alerts.map((a) => byFp.get(a.fingerprint)).filter((v): v is AlertStatusView => v !== undefined && keep(v));
        if (alerts.length === 0) continue;
        out.push({ alerts: alerts.map(gettableAlert), labels: g.labels, receiver: { name: g.receiver } });
      }
      return out;
    }),
  );

  app.get('/api/v2/silences', viewer, async (req, reply) =>
    guarded(reply, () => {
      const filter = parseFilter((req.query as Record<string, unknown>).filter);
      const now = deps.now();
      return deps.silences
        .list()
        .filter((s) => silenceMatchesFilter(s, filter))
        .map((s) => gettableSilence(s, now))
        .sort(compareSilences);
    }),
  );

  app.post('/api/v2/silences', responder, async (req, reply) => {
    const body = postableSilence.safeParse(req.body);
    if (!body.success) return fail(reply, 400, `invalid silence: ${body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const s = body.data;
    let startsAt: number;
    let endsAt: number;
    try {
      startsAt = parseTime(s.startsAt, 'startsAt');
      endsAt = parseTime(s.endsAt, 'endsAt');
    } catch (e) {
      return fail(reply, 400, (e as Error).message);
    }
    if (startsAt >= endsAt) return fail(reply, 400, 'Failed to create silence: start time must be before end time');
    if (endsAt < deps.now()) return fail(reply, 400, "Failed to create silence: end time can't be in the past");
    try {
      const silenceID = await deps.silences.set({
        ...(s.id ? { id: s.id } : {}),
        matchers: s.matchers.map((m) => ({ name: m.name, value: m.value, isRegex: m.isRegex, isEqual: m.isEqual ?? true })),
        startsAt,
        endsAt,
        createdBy: s.createdBy,
        comment: s.comment,
      });
      return { silenceID };
    } catch (e) {
      if (e instanceof SilenceNotFoundError) return fail(reply, 404, e.message);
      if (e instanceof SilenceError) return fail(reply, 400, e.message);
      throw e;
    }
  });

  app.get('/api/v2/silence/:id', viewer, async (req, reply) => {
    const { id } = req.params as { id: string };
    const s = deps.silences.get(id);
    if (!s) return fail(reply, 404, 'silence not found');
    return gettableSilence(s, deps.now());
  });

  app.delete('/api/v2/silence/:id', responder, async (req, reply) => {
    const { id } = req.params as { id: string };
    try {
      await deps.silences.expire(id);
      return reply.status(200).send();
    } catch (e) {
      if (e instanceof SilenceNotFoundError) return fail(reply, 404, e.message);
      if (e instanceof SilenceError) return fail(reply, 500, e.message);
      throw e;
    }
  });

  app.get('/api/v2/status', viewer, async () => ({
    cluster: { status: 'disabled', peers: [] },
    versionInfo: { version: deps.version, revision: '', branch: '', buildUser: '', buildDate: '', goVersion: '' },
    config: { original: deps.configText() },
    uptime: iso(deps.startedAt),
  }));

  app.get('/api/v2/receivers', viewer, async () => deps.receivers().map((name) => ({ name })));

  // Vigil's own: every alert's history (fired, muted by what, notified to whom, resolved).
  const historyQuery = z.strictObject({
    fingerprint: z.string().regex(/^[0-9a-f]{16}$/, 'a fingerprint is 16 hex digits').optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(100),
    filter: z.union([z.string(), z.array(z.string())]).optional(),
  });
  app.get('/api/v1/alert-history', viewer, async (req, reply) => {
    const q = historyQuery.safeParse(req.query ?? {});
    if (!q.success) return reply.status(400).send({ error: 'bad_request', message: q.error.issues.map((i) => `query.${i.path.join('.')}: ${i.message}`).join('; ') });
    let matchers: Matcher[];
    try {
      matchers = parseFilter(q.data.filter);
    } catch (e) {
      return reply.status(400).send({ error: 'bad_request', message: `query.filter: ${(e as Error).message}` });
    }
    const h = deps.pipeline.history();
    const entries: HistoryEntry[] = h
      ? await h.query({
          limit: q.data.limit,
          ...(q.data.fingerprint ? { fingerprint: q.data.fingerprint } : {}),
          ...(q.data.since ? { since: Date.parse(q.data.since) } : {}),
          ...(matchers.length ? { matchers } : {}),
        })
      : [];
    return { entries: entries.map((e) => ({ ...e, at: iso(e.at) })) };
  });
}

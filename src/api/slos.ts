import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { invalid } from '../model/errors.js';
import { tryParseDuration } from '../model/duration.js';
import { describeWindow, type SloHistoryPoint, type SloStatus } from '../slo/index.js';
import { parse } from './validate.js';
import { SLO_BURN_WINDOWS, type SloHistory, type SloView } from './schemas/index.js';

/** What the SLO routes need (SloService implements it). */
export interface SloApiDeps {
  readonly slos: {
    list(): Promise<SloStatus[]>;
    get(name: string): Promise<SloStatus>;
    history(name: string, from: number, to: number, step?: number): Promise<{ from: number; to: number; step: number; points: SloHistoryPoint[] }>;
  };
  readonly now: () => number;
}

const iso = (t: number) => new Date(t).toISOString();

/** An SLO as GET /api/v1/slos shows it (the fields' meanings are in schemas/slos.ts). */
export function sloView(s: SloStatus): SloView {
  const burn = {} as SloView['burn_rates'];
  for (const w of SLO_BURN_WINDOWS) burn[w] = s.burnRates[w] ?? null;
  return {
    name: s.slo.name,
    service: s.slo.service,
    description: s.slo.description,
    objective: s.slo.objective,
    window: describeWindow(s.slo.window),
    sli: s.sli,
    error_budget: { total: s.budget.total, consumed: s.budget.consumed, remaining: s.budget.remaining, remaining_minutes: s.budget.remainingMinutes },
    burn_rates: burn,
    status: s.status,
    incidents: s.incidents.map((i) => ({ id: i.id, title: i.title, severity: i.severity, status: i.status, start: iso(i.start), end: i.end === null ? null : iso(i.end), bad_events: i.badEvents, budget_consumed: i.consumed })),
    period: { start: iso(s.period.start), end: iso(s.period.end) },
    evaluated_at: iso(s.evaluatedAt),
    exclude_maintenance: s.slo.excludeMaintenance,
    source: s.slo.source,
    problems: [...s.problems],
    promql: { error_ratio: s.promql.errorRatio ?? null, burn_rates: { ...s.promql.burnRates } },
  };
}

const nameParams = z.strictObject({ name: z.string().min(1).max(200) });
const historyQuery = z.strictObject({ from: z.string().max(64).optional(), to: z.string().max(64).optional(), step: z.string().max(32).optional() });

/** RFC 3339 or Unix seconds, as Prometheus's API takes times. */
function time(s: string | undefined, fallback: number, what: string): number {
  if (s === undefined) return fallback;
  if (/^[+-]?\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const t = /^\d{4}-\d\d-\d\dT/.test(s) ? Date.parse(s) : NaN;
  if (Number.isNaN(t)) throw invalid(`query.${what}: expected an RFC 3339 time like 2026-12-01T00:00:00Z or Unix seconds, got ${JSON.stringify(s)}`);
  return t;
}

/** GET /api/v1/slos, /api/v1/slos/{name}, /api/v1/slos/{name}/history?from=&to=&step=. */
export function registerSloRoutes(app: FastifyInstance, deps: SloApiDeps): void {
  const viewer = { config: { role: 'viewer' as const } };

  app.get('/api/v1/slos', viewer, async () => ({ slos: (await deps.slos.list()).map(sloView) }));

  app.get('/api/v1/slos/:name', viewer, async (req) => {
    const { name } = parse(nameParams, req.params, 'params');
    return sloView(await deps.slos.get(name));
  });

  app.get('/api/v1/slos/:name/history', viewer, async (req) => {
    const { name } = parse(nameParams, req.params, 'params');
    const q = parse(historyQuery, req.query, 'query');
    const to = time(q.to, deps.now(), 'to');
    const from = time(q.from, to - 86_400_000, 'from');
    let step: number | undefined;
    if (q.step !== undefined) {
      step = /^\d+(\.\d+)?$/.test(q.step) ? Math.round(Number(q.step) * 1000) : tryParseDuration(q.step);
      if (step === undefined || step <= 0) throw invalid(`query.step: expected a positive duration like 5m or seconds, got ${JSON.stringify(q.step)}`);
    }
    const h = await deps.slos.history(name, from, to, step);
    const out: SloHistory = {
      name,
      from: iso(h.from),
      to: iso(h.to),
      step: h.step / 1000,
      points: h.points.map((p) => ({ t: iso(p.t), sli: p.sli, error_budget: { consumed: p.consumed, remaining: p.remaining } })),
    };
    return out;
  });
}

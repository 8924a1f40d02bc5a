import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound } from '../model/errors.js';
import type { ApiDeps, AlertView, CheckView } from './deps.js';
import type { CheckStatus } from '../probes/index.js';
import type { AlertStatusView } from '../alerts/index.js';
import { parse } from './validate.js';
import { checkResultsQuerySchema as resultsQuery, type AlertsResponse, type CheckResultsResponse, type ChecksResponse } from './schemas/index.js';

export function checkView(s: CheckStatus): CheckView {
  const c = s.check;
  return {
    name: c.name,
    service: c.service,
    type: c.type,
    interval_ms: c.interval,
    state: s.state,
    alert_firing: s.firing,
    consecutive_failures: s.consecutiveFailures,
    consecutive_successes: s.consecutiveSuccesses,
    last_result: s.last
      ? { at: new Date(s.last.t).toISOString(), success: s.last.success, duration_ms: Math.round(s.last.durationMs * 1000) / 1000, message: s.last.message }
      : null,
    uptime: s.uptime,
  };
}

export function alertView(v: AlertStatusView): AlertView {
  const a = v.alert;
  return {
    fingerprint: a.fingerprint,
    status: v.resolved ? 'resolved' : 'firing',
    labels: a.labels,
    annotations: a.annotations,
    starts_at: new Date(a.startsAt).toISOString(),
    ends_at: a.endsAt && (v.resolved || !a.timeout) ? new Date(a.endsAt).toISOString() : null,
    generator_url: a.generatorURL,
    receivers: v.receivers,
  };
}

export function registerCheckRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const viewer = { config: { role: 'viewer' as const } };
  app.get('/api/v1/checks', viewer, async (): Promise<ChecksResponse> => ({ checks: (await deps.checks.statuses()).map(checkView) }));
  app.get('/api/v1/checks/:name/results', viewer, async (req): Promise<CheckResultsResponse> => {
    const { name } = parse(z.strictObject({ name: z.string().min(1) }), req.params, 'params');
    const q = parse(resultsQuery, req.query, 'query');
    if (!deps.checks.has(name)) throw notFound(`check ${name}`);
    const rs = await deps.checks.results(name, { limit: q.limit, ...(q.before ? { before: Date.parse(q.before) } : {}) });
    const results = rs.map((r) => ({ at: new Date(r.t).toISOString(), success: r.success, duration_ms: r.durationMs, message: r.message }));
    return { check: name, results };
  });
  app.get('/api/v1/alerts', viewer, async (): Promise<AlertsResponse> => ({ alerts: deps.alerts.alerts().map(alertView) }));
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CONTENT_TYPES, render, type Reports } from '../reports/index.js';
import { parse } from './validate.js';
import { HttpError } from './errors.js';
import { incidentIdParams } from './schemas/index.js';

export interface ReportsApiDeps {
  readonly reports: Reports;
  readonly validZone: (zone: string) => boolean;
}

const format = z.enum(['markdown', 'html', 'json']).default('markdown');
const zone = z.string().min(1).max(100).optional();
const dailyQuery = z.strictObject({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD').optional(), format, time_zone: zone });
const slaQuery = z.strictObject({ month: z.string().regex(/^\d{4}-\d{2}$/, 'must be a month as YYYY-MM').optional(), format, time_zone: zone });
const plainQuery = z.strictObject({ format, time_zone: zone });

/**
 * The operations reports: Markdown by default, `?format=html|json`. `time_zone` overrides
 * reporting.time_zone for one request (an IANA name).
 */
export function registerReportRoutes(app: FastifyInstance, deps: ReportsApiDeps): void {
  const viewer = { config: { role: 'viewer' as const } };
  const checkZone = (tz: string | undefined): string | undefined => {
    if (tz !== undefined && !deps.validZone(tz)) throw new HttpError('bad_request', `query.time_zone: unknown time zone "${tz}" (expected an IANA name like Europe/Berlin)`);
    return tz;
  };
  app.get('/api/v1/incidents/:id/report', viewer, async (req, reply) => {
    const { id } = parse(incidentIdParams, req.params, 'params');
    const q = parse(plainQuery, req.query, 'query');
    const doc = await deps.reports.build({ kind: 'incident', id }, checkZone(q.time_zone));
    return reply.type(CONTENT_TYPES[q.format]).send(render(doc, q.format));
  });
  app.get('/api/v1/reports/daily', viewer, async (req, reply) => {
    const q = parse(dailyQuery, req.query, 'query');
    const doc = await deps.reports.build({ kind: 'daily', ...(q.date ? { date: q.date } : {}) }, checkZone(q.time_zone));
    return reply.type(CONTENT_TYPES[q.format]).send(render(doc, q.format));
  });
  app.get('/api/v1/reports/handoff', viewer, async (req, reply) => {
    const q = parse(plainQuery, req.query, 'query');
    const doc = await deps.reports.build({ kind: 'handoff' }, checkZone(q.time_zone));
    return reply.type(CONTENT_TYPES[q.format]).send(render(doc, q.format));
  });
  app.get('/api/v1/reports/sla', viewer, async (req, reply) => {
    const q = parse(slaQuery, req.query, 'query');
    const doc = await deps.reports.build({ kind: 'sla', ...(q.month ? { month: q.month } : {}) }, checkZone(q.time_zone));
    return reply.type(CONTENT_TYPES[q.format]).send(render(doc, q.format));
  });
}

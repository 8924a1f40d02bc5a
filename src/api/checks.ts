import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound } from '../model/errors.js';
import type { ApiDeps } from './deps.js';
import { parse } from './validate.js';

const resultsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  before: z.iso.datetime({ offset: true }).optional(),
});

export function registerCheckRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const viewer = { config: { role: 'viewer' as const } };
  app.get('/api/v1/checks', viewer, async () => ({ checks: await deps.checks.list() }));
  app.get('/api/v1/checks/:name/results', viewer, async (req) => {
    const { name } = parse(z.strictObject({ name: z.string().min(1) }), req.params, 'params');
    const q = parse(resultsQuery, req.query, 'query');
    const results = await deps.checks.results(name, { limit: q.limit, ...(q.before ? { before: Date.parse(q.before) } : {}) });
    if (!results) throw notFound(`check ${name}`);
    return { check: name, results };
  });
  app.get('/api/v1/alerts', viewer, async () => ({ alerts: deps.alerts.list() }));
}

import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.js';

export function registerHealthRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  // Prometheus's and Alertmanager's paths, for probes and load balancers set up for them.
  app.get('/-/healthy', async (_req, reply) => reply.type('text/plain; charset=utf-8').send('Vigil is Healthy.\n'));
  app.get('/-/ready', async (_req, reply) => {
    const r = await deps.health.ready();
    return reply.status(r.ready ? 200 : 503).type('text/plain; charset=utf-8').send(r.ready ? 'Vigil is Ready.\n' : 'Service Unavailable\n');
  });
  app.get('/readyz', async (_req, reply) => {
    const r = await deps.health.ready();
    return reply.status(r.ready ? 200 : 503).send({ status: r.ready ? 'ready' : 'not ready', checks: r.checks });
  });
  app.get('/metrics', { config: { role: 'viewer' } }, async (_req, reply) => {
    return reply.type(deps.metrics.contentType).send(await deps.metrics.text());
  });
}

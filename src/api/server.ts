import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.js';
import { registerAuth } from './auth.js';
import { errorHandler } from './errors.js';
import { registerIncidentRoutes } from './incidents.js';
import { registerFollowUpRoutes } from './followup.js';
import { registerCheckRoutes } from './checks.js';
import { registerHealthRoutes } from './health.js';
import { registerEtags } from './etag.js';
import { registerSessionRoutes } from './session.js';
import { registerWebUi } from './web-ui.js';
import { registerServiceRoutes } from './services.js';
import { registerRoutingRoutes } from './routing.js';
import { registerCapabilityRoutes } from './capabilities.js';
import { registerUnreadBodyDrain } from './unread-body.js';

export interface ApiOptions {
  readonly logger: FastifyBaseLogger;
  /** Maximum request body in bytes. */
  readonly bodyLimit?: number;
  /** The built web UI (web/dist); absent or unbuilt: `/` explains how to build it. */
  readonly webRoot?: string;
}

/** A route registrar other modules add (metrics, logs, ingest) without touching this file's core. */
export type RouteModule = (app: FastifyInstance) => void;

/** Builds the HTTP API: thin routes over the modules, errors mapped in one place. */
export function buildApi(deps: ApiDeps, opts: ApiOptions, extra: readonly RouteModule[] = []): FastifyInstance {
  const app = Fastify({
    loggerInstance: opts.logger,
    bodyLimit: opts.bodyLimit ?? 10 * 1024 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    return503OnClosing: true,
  });
  app.addHook('onSend', async (req, reply) => {
    void reply.header('x-request-id', req.id);
  });
  registerUnreadBodyDrain(app);
  app.addHook('onResponse', async (req, reply) => {
    deps.metrics.observeRequest(req.routeOptions.url ?? 'unmatched', req.method, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.setErrorHandler(errorHandler);
  registerEtags(app);
  registerAuth(app, deps);
  const uiPage = registerWebUi(app, opts.webRoot);
  app.setNotFoundHandler((req, reply) => {
    if (uiPage(req, reply)) return;
    void reply.status(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` });
  });
  registerSessionRoutes(app, deps);
  registerHealthRoutes(app, deps);
  registerIncidentRoutes(app, deps);
  registerFollowUpRoutes(app, deps);
  registerCheckRoutes(app, deps);
  registerServiceRoutes(app, deps);
  registerRoutingRoutes(app, deps);
  registerCapabilityRoutes(app);
  for (const m of extra) m(app);
  return app;
}

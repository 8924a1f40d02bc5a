import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.js';
import { incidentView } from './incident-views.js';
import { alertView, checkView } from './checks.js';
import { serviceStatus } from './service-status.js';
import type { ServiceView, ServicesResponse } from './schemas/index.js';

/** Every service with its state now, as GET /api/v1/services answers. */
export async function currentServices(deps: Pick<ApiDeps, 'checks' | 'incidents' | 'alerts' | 'services' | 'maintenance'>): Promise<ServiceView[]> {
  const [checks, incidents] = await Promise.all([deps.checks.statuses(), deps.incidents.list({ status: 'open', limit: 1000 })]);
  const open = incidents.map((i) => incidentView(i, deps.incidents.sla(i)));
  return serviceStatus(deps.services(), checks.map(checkView), deps.alerts.alerts().map(alertView), open, deps.maintenance);
}

/** GET /api/v1/services: every service with its state and why (the overview and status pages read it). */
export function registerServiceRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/api/v1/services', { config: { role: 'viewer' } }, async (): Promise<ServicesResponse> => ({ services: await currentServices(deps) }));
}

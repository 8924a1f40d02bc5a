import type { FastifyInstance } from 'fastify';
import { CAPABILITY_ROUTES, type Capability, type CapabilitiesResponse } from './schemas/capabilities.js';

/**
 * GET /api/v1/capabilities: which optional parts this server has, read from its own routing
 * table — so the UI learns it in one request instead of probing routes (and filling the
 * browser console with 404s).
 */
export function registerCapabilityRoutes(app: FastifyInstance): void {
  app.get('/api/v1/capabilities', { config: { role: 'viewer' } }, async (): Promise<CapabilitiesResponse> => {
    const out = {} as Record<Capability, boolean>;
    for (const [name, url] of Object.entries(CAPABILITY_ROUTES) as Array<[Capability, string]>) out[name] = app.hasRoute({ method: 'GET', url });
    return { capabilities: out };
  });
}

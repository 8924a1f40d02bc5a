import type { FastifyInstance } from 'fastify';
import { stringify } from 'yaml';

export interface ConfigApiDeps {
  /** The effective configuration with secrets already replaced by `<secret>`. */
  readonly redacted: () => Record<string, unknown>;
}

/**
 * `GET /api/v1/status/config`, Prometheus's shape (`{"status":"success","data":{"yaml":…}}`):
 * the configuration in effect, defaults applied, secrets redacted. Admin only: it lists
 * people's contacts.
 */
export function registerConfigRoutes(app: FastifyInstance, deps: ConfigApiDeps): void {
  app.get('/api/v1/status/config', { config: { role: 'admin' } }, async () => ({ status: 'success', data: { yaml: stringify(deps.redacted()) } }));
}

import type { FastifyInstance } from 'fastify';
import { registerSloRoutes } from '../api/index.js';
import type { VigilConfig } from '../config/index.js';
import { VERSION, loadSloSpecs } from '../config/index.js';
import type { IncidentService } from '../incidents/index.js';
import type { MaintenanceReader } from '../maintenance/index.js';
import type { Clock } from '../model/clock.js';
import { rateOfCounters, type Engine } from '../promql/index.js';
import type { RuleManager } from '../rules/index.js';
import { SloService, compileSlos, type CompiledSlo } from '../slo/index.js';
import type { Queryable } from '../storage/index.js';
import { configDirOf, engineQueryFn, parsePromQL } from './rules.js';

/** The rule manager's source name for the generated groups. */
export const SLO_SOURCE = 'slos';

/** The SLOs of a config (`slos:` and the OpenSLO files of `slo_files:`), compiled; or every problem. */
export function compileConfigSlos(config: VigilConfig, configPath: string | undefined): { ok: true; slos: CompiledSlo[]; warnings: string[] } | { ok: false; errors: string[] } {
  const load = loadSloSpecs(config, configDirOf(configPath), { rateOfCounters });
  if (load.errors.length > 0) return { ok: false, errors: load.errors };
  const r = compileSlos(load.specs, parsePromQL, { version: VERSION });
  if (r.errors.length > 0) return { ok: false, errors: r.errors };
  return { ok: true, slos: r.slos, warnings: load.warnings };
}

export interface SloRuntimeOptions {
  readonly engine: Engine;
  readonly queryable: Queryable;
  readonly clock: Clock;
  readonly incidents: IncidentService;
  readonly maintenance: MaintenanceReader;
  readonly manager: RuleManager;
}

/**
 * SLOs in the server: their generated rule groups loaded into the one rule engine (source
 * `slos`, shown in /api/v1/rules under `slo/<name>`; their alerts go through the one alert
 * pipeline), and the SloService answering /api/v1/slos from the raw data.
 */
export class SloRuntime {
  readonly service: SloService;

  constructor(private readonly o: SloRuntimeOptions) {
    const query = engineQueryFn(o.engine, o.queryable);
    this.service = new SloService({
      query: (expr, t) => query(expr, t),
      clock: o.clock,
      maintenance: (service, from, to) => o.maintenance.intervals(service, from, to),
      incidents: async (from, to) => {
        const all = await o.incidents.list({ status: 'all', overlapping: { from, to } });
        return all.map((i) => ({ id: i.id, title: i.title, severity: i.severity, status: i.status, services: i.services, openedAt: i.openedAt, resolvedAt: i.resolvedAt }));
      },
    });
  }

  /** Loads (or replaces, on reload) the SLOs: rules first, so a refused group changes nothing. */
  async apply(slos: readonly CompiledSlo[]): Promise<void> {
    await this.o.manager.update(
      SLO_SOURCE,
      slos.flatMap((s) => s.groups),
    );
    this.service.set(slos);
  }

  routes(app: FastifyInstance): void {
    registerSloRoutes(app, { slos: this.service, now: () => this.o.clock.now() });
  }
}

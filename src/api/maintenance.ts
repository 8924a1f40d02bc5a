import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound } from '../model/errors.js';
import { stateAt, type MaintenanceFilter, type MaintenanceInput, type MaintenanceWindow } from '../maintenance/index.js';
import { parse } from './validate.js';
import { maintenanceCreateBody, maintenanceListQuery, maintenancePatchBody, type MaintenanceList, type MaintenanceView } from './schemas/index.js';

/** What the maintenance routes need (MaintenanceService implements it). */
export interface MaintenanceApiDeps {
  readonly windows: {
    list(filter?: MaintenanceFilter): MaintenanceWindow[];
    get(id: string): MaintenanceWindow | undefined;
    create(input: MaintenanceInput, actor: string): Promise<MaintenanceWindow>;
    update(id: string, patch: Partial<MaintenanceInput>, actor: string): Promise<MaintenanceWindow>;
    cancel(id: string, actor: string): Promise<MaintenanceWindow | undefined>;
  };
  readonly now: () => number;
}

const iso = (t: number) => new Date(t).toISOString();

/** A window as the API shows it (the status page and reports show the same). */
export function maintenanceView(w: MaintenanceWindow, now: number): MaintenanceView {
  return {
    id: w.id,
    services: [...w.services],
    start: iso(w.start),
    end: iso(w.end),
    reason: w.reason,
    state: stateAt(w, now),
    source: w.source,
    created_by: w.createdBy,
    created_at: w.source === 'config' ? null : iso(w.createdAt),
    ended_early_by: w.endedEarlyBy,
    planned_end: w.plannedEnd === null ? null : iso(w.plannedEnd),
  };
}

const idParams = z.strictObject({ id: z.string().min(1).max(100) });

/**
 * Maintenance windows: list (`?state=active,upcoming&service=`), read, create, change
 * (PATCH), and DELETE — an upcoming window is removed, an active one ends now and is kept as
 * the record of maintenance done.
 */
export function registerMaintenanceRoutes(app: FastifyInstance, deps: MaintenanceApiDeps): void {
  const viewer = { config: { role: 'viewer' as const } };
  const responder = { config: { role: 'responder' as const } };

  app.get('/api/v1/maintenance', viewer, async (req): Promise<MaintenanceList> => {
    const q = parse(maintenanceListQuery, req.query, 'query');
    const now = deps.now();
    return { maintenance: deps.windows.list({ ...(q.state ? { states: q.state } : {}), ...(q.service ? { service: q.service } : {}) }).map((w) => maintenanceView(w, now)) };
  });

  app.get('/api/v1/maintenance/:id', viewer, async (req): Promise<MaintenanceView> => {
    const { id } = parse(idParams, req.params, 'params');
    const w = deps.windows.get(id);
    if (!w) throw notFound(`maintenance window ${id}`);
    return maintenanceView(w, deps.now());
  });

  app.post('/api/v1/maintenance', responder, async (req, reply) => {
    const body = parse(maintenanceCreateBody, req.body, 'body');
    const now = deps.now();
    const w = await deps.windows.create({ services: body.services, start: body.start ? Date.parse(body.start) : now, end: Date.parse(body.end), reason: body.reason }, req.principal.name);
    return reply.status(201).header('location', `/api/v1/maintenance/${encodeURIComponent(w.id)}`).send(maintenanceView(w, deps.now()));
  });

  app.patch('/api/v1/maintenance/:id', responder, async (req): Promise<MaintenanceView> => {
    const { id } = parse(idParams, req.params, 'params');
    const body = parse(maintenancePatchBody, req.body, 'body');
    const patch: { -readonly [K in keyof MaintenanceInput]?: MaintenanceInput[K] } = {};
    if (body.services) patch.services = body.services;
    if (body.start !== undefined) patch.start = Date.parse(body.start);
    if (body.end !== undefined) patch.end = Date.parse(body.end);
    if (body.reason !== undefined) patch.reason = body.reason;
    return maintenanceView(await deps.windows.update(id, patch, req.principal.name), deps.now());
  });

  app.delete('/api/v1/maintenance/:id', responder, async (req, reply) => {
    const { id } = parse(idParams, req.params, 'params');
    const ended = await deps.windows.cancel(id, req.principal.name);
    if (!ended) return reply.status(204).send();
    return reply.status(200).send(maintenanceView(ended, deps.now()));
  });
}

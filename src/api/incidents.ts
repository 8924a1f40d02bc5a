import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from './deps.js';
import { incidentDetailView, incidentView, timelineView } from './incident-views.js';
import { parse } from './validate.js';
import {
  incidentActionBody as optionalNote,
  incidentAssignBody as assignBody,
  incidentIdParams as idParams,
  incidentListQuery as listQuery,
  incidentNoteBody as noteBody,
  incidentSeverityBody as severityBody,
  declareIncidentBody as declareBody,
  reopenBody,
  type IncidentsResponse,
} from './schemas/index.js';

export function registerIncidentRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const svc = deps.incidents;
  const viewer = { config: { role: 'viewer' as const } };
  const responder = { config: { role: 'responder' as const } };

  app.get('/api/v1/incidents', viewer, async (req): Promise<IncidentsResponse> => {
    const q = parse(listQuery, req.query, 'query');
    const list = await svc.list({ status: q.status, limit: q.limit });
    return { incidents: list.map((i) => incidentView(i, svc.sla(i))) };
  });

  app.get('/api/v1/incidents/:id', viewer, async (req) => {
    const { id } = parse(idParams, req.params, 'params');
    return incidentDetailView(await svc.detail(id));
  });

  app.post('/api/v1/incidents', responder, async (req, reply) => {
    const body = parse(declareBody, req.body, 'body');
    const inc = await svc.declare({ title: body.title, severity: body.severity, services: body.services, ...(body.summary ? { summary: body.summary } : {}) }, req.principal.name);
    return reply.status(201).header('location', `/api/v1/incidents/${inc.id}`).send(incidentDetailView(await svc.detail(inc.id)));
  });

  app.post('/api/v1/incidents/:id/reopen', responder, async (req) => {
    const { id } = parse(idParams, req.params, 'params');
    const body = parse(reopenBody, req.body, 'body');
    await svc.reopen(id, req.principal.name, body?.reason?.trim() || undefined);
    return incidentDetailView(await svc.detail(id));
  });

  const action = (path: string, run: (id: string, actor: string, note?: string) => Promise<unknown>) =>
    app.post(`/api/v1/incidents/:id/${path}`, responder, async (req) => {
      const { id } = parse(idParams, req.params, 'params');
      const body = parse(optionalNote, req.body, 'body');
      await run(id, req.principal.name, body?.note);
      if (body?.note) await svc.addNote(id, req.principal.name, body.note);
      return incidentDetailView(await svc.detail(id));
    });
  action('acknowledge', (id, actor) => svc.acknowledge(id, actor));
  action('mitigate', (id, actor) => svc.mitigate(id, actor));
  action('resolve', (id, actor) => svc.resolve(id, actor));

  app.post('/api/v1/incidents/:id/notes', responder, async (req, reply) => {
    const { id } = parse(idParams, req.params, 'params');
    const { text } = parse(noteBody, req.body, 'body');
    const entry = await svc.addNote(id, req.principal.name, text);
    return reply.status(201).send(timelineView(entry));
  });

  app.post('/api/v1/incidents/:id/assign', responder, async (req) => {
    const { id } = parse(idParams, req.params, 'params');
    const { assignee } = parse(assignBody, req.body, 'body');
    await svc.assign(id, req.principal.name, assignee);
    return incidentDetailView(await svc.detail(id));
  });

  app.post('/api/v1/incidents/:id/severity', responder, async (req) => {
    const { id } = parse(idParams, req.params, 'params');
    const { severity } = parse(severityBody, req.body, 'body');
    await svc.setSeverity(id, req.principal.name, severity);
    return incidentDetailView(await svc.detail(id));
  });
}

import type { FastifyInstance } from 'fastify';
import { isOverdue, type ActionItem, type ActionStatus, type Postmortem } from '../incidents/index.js';
import type { ApiDeps } from './deps.js';
import { parse } from './validate.js';
import {
  actionItemBody,
  actionItemIdParams,
  actionItemPatchBody,
  actionItemsQuery,
  incidentActionItemParams,
  incidentIdParams,
  postmortemBody,
  postmortemQuery,
  type ActionItemView,
  type ActionItemsResponse,
  type PostmortemView,
} from './schemas/index.js';

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());
const utcDay = (t: number): string => new Date(t).toISOString().slice(0, 10);

export function postmortemView(p: Postmortem, stored: boolean): PostmortemView {
  return {
    incident_id: p.incidentId,
    status: p.status,
    stored,
    version: p.version,
    sections: { ...p.sections },
    created_at: new Date(p.createdAt).toISOString(),
    updated_at: new Date(p.updatedAt).toISOString(),
    updated_by: p.updatedBy,
    published_at: iso(p.publishedAt),
  };
}

export function actionItemView(i: ActionItem, now: number): ActionItemView {
  return {
    id: i.id,
    incident_id: i.incidentId,
    title: i.title,
    owner: i.owner,
    due: i.due,
    kind: i.kind,
    status: i.status,
    overdue: isOverdue(i, utcDay(now)),
    created_at: new Date(i.createdAt).toISOString(),
    created_by: i.createdBy,
    updated_at: new Date(i.updatedAt).toISOString(),
    done_at: iso(i.doneAt),
  };
}

/** Post-mortems (stored, editable, with a review status) and action items across incidents. */
export function registerFollowUpRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const svc = deps.followups;
  const viewer = { config: { role: 'viewer' as const } };
  const responder = { config: { role: 'responder' as const } };

  app.get('/api/v1/incidents/:id/postmortem', viewer, async (req, reply) => {
    const { id } = parse(incidentIdParams, req.params, 'params');
    const { format } = parse(postmortemQuery, req.query, 'query');
    if (format === 'markdown') return reply.type('text/markdown; charset=utf-8').send(await svc.postmortemMarkdown(id));
    const r = await svc.postmortem(id);
    return postmortemView(r.postmortem, r.stored);
  });

  app.put('/api/v1/incidents/:id/postmortem', responder, async (req) => {
    const { id } = parse(incidentIdParams, req.params, 'params');
    const { status, version, ...sections } = parse(postmortemBody, req.body, 'body');
    const saved = await svc.savePostmortem(id, { ...(status ? { status } : {}), ...(version !== undefined ? { version } : {}), sections }, req.principal.name);
    return postmortemView(saved, true);
  });

  app.get('/api/v1/incidents/:id/action-items', viewer, async (req): Promise<ActionItemsResponse> => {
    const { id } = parse(incidentIdParams, req.params, 'params');
    await deps.incidents.get(id);
    const now = deps.now();
    return { action_items: (await svc.actionItems({ incidentId: id })).map((i) => actionItemView(i, now)) };
  });

  app.post('/api/v1/incidents/:id/action-items', responder, async (req, reply) => {
    const { id } = parse(incidentIdParams, req.params, 'params');
    const body = parse(actionItemBody, req.body, 'body');
    const item = await svc.addActionItem(id, { title: body.title, kind: body.kind, owner: body.owner ?? null, due: body.due ?? null }, req.principal.name);
    return reply.status(201).header('location', `/api/v1/action-items/${item.id}`).send(actionItemView(item, deps.now()));
  });

  const patch = async (item: number, body: unknown, actor: string, incidentId?: string): Promise<ActionItemView> => {
    const b = parse(actionItemPatchBody, body, 'body');
    const change = Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined));
    return actionItemView(await svc.updateActionItem(item, change, actor, incidentId), deps.now());
  };
  app.patch('/api/v1/incidents/:id/action-items/:item', responder, async (req) => {
    const { id, item } = parse(incidentActionItemParams, req.params, 'params');
    return patch(item, req.body, req.principal.name, id);
  });
  app.patch('/api/v1/action-items/:item', responder, async (req) => {
    const { item } = parse(actionItemIdParams, req.params, 'params');
    return patch(item, req.body, req.principal.name);
  });
  app.get('/api/v1/action-items/:item', viewer, async (req) => {
    const { item } = parse(actionItemIdParams, req.params, 'params');
    return actionItemView(await svc.actionItem(item), deps.now());
  });

  app.get('/api/v1/action-items', viewer, async (req): Promise<ActionItemsResponse> => {
    const q = parse(actionItemsQuery, req.query, 'query');
    const statuses = q.status?.flatMap((s): ActionStatus[] => (s === 'pending' ? ['open', 'in_progress'] : [s]));
    const now = deps.now();
    let items = (await svc.actionItems({ ...(statuses ? { statuses } : {}), ...(q.owner !== undefined ? { owner: q.owner } : {}), ...(q.incident ? { incidentId: q.incident } : {}) })).map((i) => actionItemView(i, now));
    if (q.overdue) items = items.filter((i) => i.overdue === (q.overdue === 'true'));
    return { action_items: items };
  });
}

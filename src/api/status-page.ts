import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  UPDATE_STATUSES,
  renderFeed,
  renderIncidentPage,
  renderMessagePage,
  renderStatusPage,
  statusJson,
  type PageLinks,
  type PageNotice,
  type PublicUpdate,
  type PublicUpdates,
  type StatusPage,
  type SubscribeOptions,
} from '../statuspage/index.js';
import { parse } from './validate.js';
import { incidentIdParams } from './schemas/index.js';

export interface StatusPageApiDeps {
  readonly updates: PublicUpdates;
  /** The page; absent when `status_page:` is not configured (then only the updates API exists). */
  readonly page?: {
    readonly page: StatusPage;
    readonly links: PageLinks;
    /** The absolute URL of /status, for the feed and JSON links. */
    readonly url: string;
    readonly subscribe: SubscribeOptions;
  };
}

const updateBody = z.strictObject({
  status: z.enum(UPDATE_STATUSES),
  message: z.string({ error: 'message is required' }),
  /** The incident's public title from now on (the internal title is never shown). */
  title: z.string().optional(),
});

const updateView = (u: PublicUpdate) => ({ id: u.id, incident_id: u.incidentId, status: u.status, message: u.message, title: u.title, author: u.author, at: new Date(u.at).toISOString() });

const HTML = 'text/html; charset=utf-8';

/** Public pages are cheap to fetch again but may be cached briefly by proxies and browsers. */
function publicHeaders(reply: FastifyReply, type: string): FastifyReply {
  return reply.type(type).header('cache-control', 'public, max-age=10').header('x-content-type-options', 'nosniff');
}

/**
 * The public status page (/status, /status.json, the Atom feed, incident pages): routes
 * without a role, so they answer without a token even when tokens are configured — and
 * nothing else does. Public updates are posted and read through the authenticated API.
 */
export function registerStatusPageRoutes(app: FastifyInstance, deps: StatusPageApiDeps): void {
  app.post('/api/v1/incidents/:id/updates', { config: { role: 'responder' } }, async (req, reply) => {
    const { id } = parse(incidentIdParams, req.params, 'params');
    const body = parse(updateBody, req.body, 'body');
    const u = await deps.updates.post(id, body, req.principal.name);
    deps.page?.page.invalidate();
    return reply.status(201).send(updateView(u));
  });
  app.get('/api/v1/incidents/:id/updates', { config: { role: 'viewer' } }, async (req) => {
    const { id } = parse(incidentIdParams, req.params, 'params');
    return { updates: (await deps.updates.list(id)).map(updateView) };
  });

  const p = deps.page;
  if (!p) return;
  const page = async (notice?: PageNotice) => renderStatusPage(await p.page.snapshot(), p.links, p.subscribe, notice);
  app.get('/status', async (_req, reply) => publicHeaders(reply, HTML).send(await page()));
  app.get('/status/', async (_req, reply) => reply.redirect(p.links.base, 301));
  app.get('/status.json', async (_req, reply) => {
    const body = statusJson(await p.page.snapshot(), p.url);
    // Status aggregators and widgets read it from other origins.
    return publicHeaders(reply, 'application/json; charset=utf-8').header('access-control-allow-origin', '*').send(body);
  });
  const feed = async (_req: unknown, reply: FastifyReply) => publicHeaders(reply, 'application/atom+xml; charset=utf-8').send(renderFeed(await p.page.snapshot(), p.url));
  app.get('/status/feed.atom', feed);
  // Statuspage's name for the same feed.
  app.get('/status/history.atom', feed);
  app.get('/status/incidents/:id', async (req, reply) => {
    const id = (req.params as { id?: string }).id ?? '';
    const s = await p.page.snapshot();
    const i = [...s.active, ...s.past].find((x) => x.id === id);
    if (!i) return publicHeaders(reply, HTML).status(404).send(renderMessagePage(s.title, 'Not found', 'There is no public incident with this id, or it is too old to be listed.', p.links));
    return publicHeaders(reply, HTML).send(renderIncidentPage(s.title, i, p.links));
  });
}

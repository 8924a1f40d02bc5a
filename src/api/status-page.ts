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
  type Subscriber,
  type Subscriptions,
  TooManyRequests,
} from '../statuspage/index.js';
import { DomainError, notFound } from '../model/errors.js';
import { HttpError } from './errors.js';
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
    /** Subscribers; absent: no subscribe form. */
    readonly subscriptions?: Subscriptions;
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
  const subs = p.subscriptions;
  if (subs) {
    registerSubscriptionRoutes(app, p.page, p.links, subs, page);
    registerSubscriberAdminRoutes(app, subs);
  }
  app.get('/status/incidents/:id', async (req, reply) => {
    const id = (req.params as { id?: string }).id ?? '';
    const s = await p.page.snapshot();
    const i = [...s.active, ...s.past].find((x) => x.id === id);
    if (!i) return publicHeaders(reply, HTML).status(404).send(renderMessagePage(s.title, 'Not found', 'There is no public incident with this id, or it is too old to be listed.', p.links));
    return publicHeaders(reply, HTML).send(renderIncidentPage(s.title, i, p.links));
  });
}

const FORM = 'application/x-www-form-urlencoded';
const str = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '');

/**
 * The public subscription flow. Bodies are HTML forms (works without JavaScript) or JSON;
 * the answer is a page (or JSON for JSON requests). Bad input gets the page again with the
 * error and what was typed; a client over its hourly limit gets 429.
 */
function registerSubscriptionRoutes(app: FastifyInstance, page: StatusPage, links: PageLinks, subs: Subscriptions, render: (n?: PageNotice) => Promise<string>): void {
  void app.register(async (scope) => {
    if (scope.hasContentTypeParser(FORM)) scope.removeContentTypeParser(FORM);
    scope.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 8192 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    scope.post('/status/subscribe', async (req, reply) => {
      const json = /json/.test(req.headers['content-type'] ?? '');
      const body = (req.body ?? {}) as Record<string, unknown>;
      const channel = str(body['channel']) || 'email';
      const address = str(body['address']);
      try {
        const r = await subs.subscribe(channel, address, req.ip);
        if (json) return reply.status(202).send({ status: r.kind, message: r.message });
        return publicHeaders(reply, HTML).header('cache-control', 'no-store').send(await render({ kind: 'ok', text: r.message }));
      } catch (err) {
        const tooMany = err instanceof TooManyRequests;
        if (!tooMany && !(err instanceof DomainError)) throw err;
        if (json) throw new HttpError(tooMany ? 'too_many_requests' : 'bad_request', err.message);
        const text = `${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}.`;
        return publicHeaders(reply, HTML).header('cache-control', 'no-store').status(tooMany ? 429 : 400).send(await render({ kind: 'error', text, address: address.slice(0, 2000), channel }));
      }
    });
    const title = async () => (await page.snapshot()).title;
    for (const kind of ['confirm', 'unsubscribe'] as const) {
      const path = `/status/subscriptions/${kind}`;
      const action = `${links.base}/subscriptions/${kind}`;
      // GET only shows a button: mail scanners open links, and must not (un)subscribe anyone.
      scope.get(path, async (req, reply) => {
        const token = str((req.query as Record<string, unknown>)['token']);
        const s = await subs.byToken(token);
        const t = await title();
        publicHeaders(reply, HTML).header('cache-control', 'no-store');
        if (!s) return reply.status(404).send(renderMessagePage(t, 'Link not valid', 'This link is not (or no longer) valid. Subscribe again from the status page if you wish.', links));
        if (kind === 'confirm') return reply.send(renderMessagePage(t, 'Confirm your subscription', `Receive updates from ${t} at ${s.address}?`, links, { action, button: 'Confirm subscription', fields: { token } }));
        return reply.send(renderMessagePage(t, 'Unsubscribe', `Stop sending updates from ${t} to ${s.address}?`, links, { action, button: 'Unsubscribe', fields: { token } }));
      });
      // Also RFC 8058's one-click unsubscribe: POST to the List-Unsubscribe URL (token in the query).
      scope.post(path, async (req, reply) => {
        const token = str(((req.body ?? {}) as Record<string, unknown>)['token']) || str((req.query as Record<string, unknown>)['token']);
        const s = kind === 'confirm' ? await subs.confirm(token) : await subs.unsubscribe(token);
        const t = await title();
        publicHeaders(reply, HTML).header('cache-control', 'no-store');
        if (!s) return reply.status(404).send(renderMessagePage(t, 'Link not valid', 'This link is not (or no longer) valid.', links));
        return kind === 'confirm'
          ? reply.send(renderMessagePage(t, 'Subscribed', `${s.address} will receive every public update of ${t}.`, links))
          : reply.send(renderMessagePage(t, 'Unsubscribed', `${s.address} will receive no more updates.`, links));
      });
    }
  });
}

const subscriberQuery = z.strictObject({
  channel: z.enum(['email', 'webhook']).optional(),
  state: z.enum(['confirmed', 'pending']).optional(),
});
const subscriberParams = z.strictObject({ id: z.string().min(1).max(100) });

const subscriberView = (s: Subscriber) => ({
  id: s.id,
  channel: s.channel,
  address: s.address,
  state: s.confirmedAt === null ? ('pending' as const) : ('confirmed' as const),
  created_at: new Date(s.createdAt).toISOString(),
  confirmed_at: s.confirmedAt === null ? null : new Date(s.confirmedAt).toISOString(),
});

/**
 * Subscribers for admins (their addresses are personal data): list (`?channel=&state=`) and
 * remove. Link tokens and their hashes never leave the store.
 */
function registerSubscriberAdminRoutes(app: FastifyInstance, subs: Subscriptions): void {
  const admin = { config: { role: 'admin' as const } };
  app.get('/api/v1/status-page/subscribers', admin, async (req) => {
    const q = parse(subscriberQuery, req.query, 'query');
    const all = (await subs.list()).map(subscriberView).filter((s) => (!q.channel || s.channel === q.channel) && (!q.state || s.state === q.state));
    return { subscribers: all };
  });
  app.delete('/api/v1/status-page/subscribers/:id', admin, async (req, reply) => {
    const { id } = parse(subscriberParams, req.params, 'params');
    if (!(await subs.remove(id))) throw notFound(`status page subscriber ${id}`);
    return reply.status(204).send();
  });
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../model/errors.js';

export type AckLinkView =
  | { readonly ok: true; readonly action: 'ack' | 'resolve'; readonly person: string; readonly channel: string; readonly title: string; readonly status: string; readonly expires: number }
  | { readonly ok: false; readonly status: number; readonly message: string };

/** What the acknowledge-link and Slack routes need. */
export interface AckApiDeps {
  inspect(token: string): Promise<AckLinkView>;
  /** Uses the link once; `via`/`as` name the channel and person when they are not the link's own (Slack). */
  use(token: string, via?: string, as?: string): Promise<{ action: 'ack' | 'resolve'; status: string }>;
  readonly slack?: { readonly signingSecret: string; personBySlack(userId: string): string | undefined };
  readonly now: () => number;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)} · Vigil</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}button{font:inherit;padding:.6rem 1.4rem;border:0;border-radius:.4rem;background:#0b5cad;color:#fff;cursor:pointer}.muted{color:#57606a}</style></head><body><h1>${esc(title)}</h1>${body}</body></html>`;
}

const TOKEN_RE = /^[A-Za-z0-9_-]{10,2000}\.[A-Za-z0-9_-]{20,100}$/;

/** Slack's v0 request signature over the raw body, within five minutes of its timestamp. */
export function verifySlackSignature(secret: string, timestamp: string | undefined, signature: string | undefined, rawBody: string, now: number): boolean {
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > 300) return false;
  const want = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`);
  const got = Buffer.from(signature);
  return want.length === got.length && timingSafeEqual(want, got);
}

/**
 * `/ack/{token}`: the signed links every page carries. GET shows what the link will do and a
 * button (mail scanners and chat previews follow GET links; only the POST acts). POST uses the
 * link once. No bearer token: the link is the credential, so it is single-use and expires.
 */
export function registerAckRoutes(app: FastifyInstance, deps: AckApiDeps): void {
  // A wildcard: tokens are longer than the router's limit for a :param.
  const tokenOf = (req: { params: unknown }): string => (req.params as { '*': string })['*'] ?? '';
  app.get('/ack/*', async (req, reply) => {
    const token = tokenOf(req);
    void reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').type('text/html; charset=utf-8');
    if (!TOKEN_RE.test(token)) return reply.status(404).send(page('Link not valid', '<p>This link is not valid.</p>'));
    const v = await deps.inspect(token);
    if (!v.ok) return reply.status(v.status).send(page('Link not usable', `<p>${esc(v.message)}</p>`));
    const verb = v.action === 'ack' ? 'Acknowledge' : 'Resolve';
    return reply.send(
      page(
        `${verb} this page?`,
        `<p><strong>${esc(v.title)}</strong></p><p class="muted">Paged ${esc(v.person)} via ${esc(v.channel)} · now ${esc(v.status)}. The link works once, until ${esc(new Date(v.expires).toISOString())}.</p>` +
          `<form method="post" action="/ack/${esc(token)}"><button type="submit">${verb} as ${esc(v.person)}</button></form>`,
      ),
    );
  });

  app.post('/ack/*', async (req, reply) => {
    const token = tokenOf(req);
    const wantsJson = (req.headers.accept ?? '').includes('application/json');
    void reply.header('cache-control', 'no-store');
    const fail = (status: number, message: string) =>
      wantsJson ? reply.status(status).send({ error: status === 404 ? 'not_found' : 'conflict', message }) : reply.status(status).type('text/html; charset=utf-8').send(page('Not done', `<p>${esc(message)}</p>`));
    if (!TOKEN_RE.test(token)) return fail(404, 'This link is not valid.');
    try {
      const r = await deps.use(token);
      const done = r.action === 'ack' ? 'Acknowledged' : 'Resolved';
      return wantsJson ? reply.send({ action: r.action, status: r.status }) : reply.type('text/html; charset=utf-8').send(page(done, `<p>${done}. Escalation stopped.</p>`));
    } catch (err) {
      if (err instanceof DomainError) return fail(err.kind === 'not_found' ? 404 : 409, err.message);
      throw err;
    }
  });

  app.register(async (scoped) => {
    // Slack signs the raw form body: keep it as text.
    scoped.removeContentTypeParser('application/x-www-form-urlencoded');
    scoped.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, body, done) => done(null, body));
    scoped.post('/api/v1/slack/interactions', async (req, reply) => {
      const slack = deps.slack;
      if (!slack) return reply.status(404).send({ error: 'not_found', message: 'Slack interactivity is not configured (paging.slack_signing_secret_env)' });
      const raw = typeof req.body === 'string' ? req.body : '';
      const ts = req.headers['x-slack-request-timestamp'];
      const sig = req.headers['x-slack-signature'];
      if (!verifySlackSignature(slack.signingSecret, typeof ts === 'string' ? ts : undefined, typeof sig === 'string' ? sig : undefined, raw, deps.now())) {
        return reply.status(401).send({ error: 'unauthorized', message: 'bad or stale Slack signature' });
      }
      let payload: { user?: { id?: string }; actions?: Array<{ value?: string; url?: string }> };
      try {
        payload = JSON.parse(new URLSearchParams(raw).get('payload') ?? '') as typeof payload;
      } catch {
        return reply.status(400).send({ error: 'bad_request', message: 'expected a form field "payload" holding JSON' });
      }
      const action = payload.actions?.[0];
      const token = (action?.value ?? action?.url ?? '').split('/ack/').pop() ?? '';
      if (!TOKEN_RE.test(token)) return reply.send({ response_type: 'ephemeral', text: 'This button does not carry a Vigil page link.' });
      const userId = payload.user?.id ?? '';
      const who = slack.personBySlack(userId) ?? (userId ? `slack:${userId}` : undefined);
      try {
        const r = await deps.use(token, 'slack', who);
        return reply.send({ response_type: 'ephemeral', replace_original: false, text: `${r.action === 'ack' ? 'Acknowledged' : 'Resolved'} by ${who ?? 'you'}. Escalation stopped.` });
      } catch (err) {
        if (err instanceof DomainError) return reply.send({ response_type: 'ephemeral', replace_original: false, text: err.message });
        throw err;
      }
    });
  });
}

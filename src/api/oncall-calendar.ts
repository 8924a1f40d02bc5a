import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { notFound } from '../model/errors.js';
import { shiftsCalendar, type FeedKind, type FeedRef, type FeedSecret } from '../oncall/index.js';
import type { OncallApiDeps } from './oncall.js';
import { parse } from './validate.js';

const DAY = 86_400_000;
const nameParams = z.strictObject({ name: z.string().min(1).max(200) });
const calendarQuery = z.strictObject({ weeks: z.coerce.number().int().min(1).max(52).default(8) });
// The secret URL's query: the feed's token, and the feed's own options.
const secretQuery = z.object({ token: z.string().max(200).default(''), weeks: z.coerce.number().int().min(1).max(52).default(8) });
const PATHS: Record<FeedKind, string> = { schedule: 'schedules', person: 'people' };

const feedView = (s: FeedSecret) => ({ kind: s.kind, name: s.name, created_at: new Date(s.createdAt).toISOString(), created_by: s.createdBy });

/**
 * iCalendar feeds of schedules and people: with a token (`/api/v1/…/calendar.ics`, role viewer),
 * and at secret URLs for calendar apps (`/calendar/schedules/{name}.ics?token=…`, no header
 * needed) that responders make, rotate (make again) and revoke. A wrong or revoked token gets
 * the same 404 as an unknown feed, so the URL tells nothing to whoever guesses.
 */
export function registerCalendarRoutes(app: FastifyInstance, deps: OncallApiDeps): void {
  const viewer = { config: { role: 'viewer' as const } };
  const responder = { config: { role: 'responder' as const } };
  const dir = deps.directory;
  const send = (reply: FastifyReply, body: string) => reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').send(body);

  /** The feed's body, or undefined when the schedule or person does not exist. */
  const feed = async (f: FeedRef, weeks: number): Promise<string | undefined> => {
    const now = deps.now();
    const from = now - 7 * DAY;
    const to = now + weeks * 7 * DAY;
    if (f.kind === 'schedule') {
      if (!dir().scheduleNames().includes(f.name)) return undefined;
      const s = dir().mustSchedule(f.name);
      const shifts = dir().shifts(f.name, from, to).map((sh) => ({ ...sh, schedule: f.name, timeZone: s.timeZone }));
      return shiftsCalendar({ name: `On call: ${f.name}`, timeZone: s.timeZone, shifts, now, summary: (sh) => `On call: ${dir().person(sh.person)?.fullName ?? sh.person}` });
    }
    const p = dir().person(f.name);
    if (!p) return undefined;
    return shiftsCalendar({ name: `On call: ${p.fullName}`, timeZone: p.timeZone, shifts: dir().personShifts(f.name, from, to), now, summary: (sh) => `On call: ${sh.schedule}` });
  };
  const what = (f: FeedRef) => (f.kind === 'schedule' ? `schedule ${JSON.stringify(f.name)}` : `person ${JSON.stringify(f.name)}`);

  for (const kind of ['schedule', 'person'] as const) {
    const path = PATHS[kind];
    app.get(`/api/v1/${path}/:name/calendar.ics`, viewer, async (req, reply) => {
      const { name } = parse(nameParams, req.params, 'params');
      const q = parse(calendarQuery, req.query, 'query');
      const body = await feed({ kind, name }, q.weeks);
      if (body === undefined) throw notFound(what({ kind, name }));
      return send(reply, body);
    });

    const feeds = deps.calendarFeeds;
    if (!feeds) continue;
    // Make (or rotate) the feed's secret URL: shown once, in this answer.
    app.post(`/api/v1/${path}/:name/calendar-url`, responder, async (req, reply) => {
      const { name } = parse(nameParams, req.params, 'params');
      if ((await feed({ kind, name }, 1)) === undefined) throw notFound(what({ kind, name }));
      const { token, secret } = await feeds.issue({ kind, name }, req.principal.name);
      const url = `${deps.externalURL.replace(/\/+$/, '')}/calendar/${path}/${encodeURIComponent(name)}.ics?token=${token}`;
      return reply.status(201).header('cache-control', 'no-store').send({ ...feedView(secret), url, webcal_url: url.replace(/^https?:/, 'webcal:') });
    });
    app.delete(`/api/v1/${path}/:name/calendar-url`, responder, async (req, reply) => {
      const { name } = parse(nameParams, req.params, 'params');
      if (!(await feeds.revoke({ kind, name }))) throw notFound(`secret calendar URL of ${what({ kind, name })}`);
      return reply.status(204).send();
    });
    // The secret URL itself: no role, the token is the credential.
    app.get(`/calendar/${path}/:file`, async (req, reply) => {
      const file = (req.params as { file?: string }).file ?? '';
      const q = secretQuery.safeParse(req.query ?? {});
      const name = file.endsWith('.ics') ? file.slice(0, -4) : '';
      const ok = q.success && name !== '' && (await feeds.verify({ kind, name }, q.data.token));
      const body = ok ? await feed({ kind, name }, q.data.weeks) : undefined;
      if (body === undefined) return reply.status(404).header('cache-control', 'no-store').send({ error: 'not_found', message: 'no calendar at this URL (the link may have been revoked or replaced)' });
      return send(reply, body);
    });
  }

  if (deps.calendarFeeds) {
    const feeds = deps.calendarFeeds;
    app.get('/api/v1/calendar-urls', viewer, async () => ({ feeds: (await feeds.list()).map(feedView) }));
  }
}

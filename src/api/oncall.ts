import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { invalid, notFound } from '../model/errors.js';
import { formatInZone, parseInstant, type CalendarFeeds, type OncallDirectory, type Override, type Shift } from '../oncall/index.js';
import { registerCalendarRoutes } from './oncall-calendar.js';
import { parse } from './validate.js';
import type { OncallResponse, SchedulesResponse, ShiftsResponse } from './schemas/index.js';

/** What the on-call routes need; the composition root builds it. */
export interface OncallApiDeps {
  readonly directory: () => OncallDirectory;
  readonly overrides: {
    list(schedule: string): readonly Override[];
    add(schedule: string, o: Omit<Override, 'id'>, by: string, now: number): Promise<Override>;
    remove(schedule: string, id: string): Promise<boolean>;
  };
  readonly escalations: {
    list(f: { status: 'open' | 'all'; limit: number }): Promise<unknown[]>;
    get(id: number): Promise<unknown>;
  };
  /** Secret calendar URLs (feeds calendar apps subscribe to without a header). */
  readonly calendarFeeds?: Pick<CalendarFeeds, 'issue' | 'revoke' | 'list' | 'verify'>;
  readonly now: () => number;
  readonly externalURL: string;
}

const DAY = 86_400_000;
const MAX_RANGE = 366 * DAY;

const nameParams = z.strictObject({ name: z.string().min(1).max(200) });
const overrideParams = z.strictObject({ name: z.string().min(1).max(200), id: z.string().min(1).max(100) });
const instant = z.string().max(64);
const atQuery = z.strictObject({ at: instant.optional() });
const rangeQuery = z.strictObject({ from: instant.optional(), to: instant.optional() });
const overrideBody = z.strictObject({ person: z.string().min(1).max(200), start: instant, end: instant });
const escalationsQuery = z.strictObject({ status: z.enum(['open', 'all']).default('open'), limit: z.coerce.number().int().min(1).max(1000).default(100) });

function time(s: string | undefined, zone: string, fallback: number, what: string): number {
  if (s === undefined) return fallback;
  const t = parseInstant(s, zone);
  if (t === undefined) throw invalid(`${what}: expected RFC 3339 like 2026-11-02T09:00:00Z (or a local time like 2026-11-02T09:00 in the schedule's zone), got ${JSON.stringify(s)}`);
  return t;
}

const shiftView = (s: Shift, zone: string) => ({ start: formatInZone(s.start, zone), end: formatInZone(s.end, zone), person: s.person, layer: s.layer });

export function registerOncallRoutes(app: FastifyInstance, deps: OncallApiDeps): void {
  const viewer = { config: { role: 'viewer' as const } };
  const responder = { config: { role: 'responder' as const } };
  const dir = deps.directory;

  app.get('/api/v1/oncall', viewer, async (req): Promise<OncallResponse> => {
    const q = parse(atQuery, req.query, 'query');
    const at = time(q.at, 'UTC', deps.now(), 'query.at');
    const d = dir();
    return {
      at: new Date(at).toISOString(),
      oncall: d.scheduleNames().map((name) => {
        const s = d.mustSchedule(name);
        const shift = d.currentShift(name, at);
        const person = shift ? d.person(shift.person) : undefined;
        return { schedule: name, time_zone: s.timeZone, person: shift?.person ?? null, full_name: person?.fullName ?? null, shift: shift ? shiftView(shift, s.timeZone) : null };
      }),
    };
  });

  app.get('/api/v1/schedules', viewer, async (): Promise<SchedulesResponse> => {
    const d = dir();
    return { schedules: d.scheduleNames().map((n) => ({ name: n, time_zone: d.mustSchedule(n).timeZone, layers: d.mustSchedule(n).layers.map((l) => ({ name: l.name, members: l.members })) })) };
  });

  app.get('/api/v1/schedules/:name/shifts', viewer, async (req): Promise<ShiftsResponse> => {
    const { name } = parse(nameParams, req.params, 'params');
    const q = parse(rangeQuery, req.query, 'query');
    const s = dir().mustSchedule(name);
    const from = time(q.from, s.timeZone, deps.now(), 'query.from');
    const to = time(q.to, s.timeZone, from + 7 * DAY, 'query.to');
    if (to <= from) throw invalid('query.to: must be after from');
    if (to - from > MAX_RANGE) throw invalid('query: at most 366 days at once');
    return { schedule: name, time_zone: s.timeZone, from: formatInZone(from, s.timeZone), to: formatInZone(to, s.timeZone), shifts: dir().shifts(name, from, to).map((sh) => shiftView(sh, s.timeZone)) };
  });

  app.get('/api/v1/schedules/:name/overrides', viewer, async (req) => {
    const { name } = parse(nameParams, req.params, 'params');
    const s = dir().mustSchedule(name);
    const view = (o: Override, source: string) => ({ id: o.id ?? null, person: o.person, start: formatInZone(o.start, s.timeZone), end: formatInZone(o.end, s.timeZone), source });
    return { overrides: [...s.overrides.map((o) => view(o, 'config')), ...deps.overrides.list(name).map((o) => view(o, 'api'))] };
  });

  app.post('/api/v1/schedules/:name/overrides', responder, async (req, reply) => {
    const { name } = parse(nameParams, req.params, 'params');
    const body = parse(overrideBody, req.body, 'body');
    const d = dir();
    const s = d.mustSchedule(name);
    if (!d.person(body.person)) throw invalid(`body.person: unknown person ${JSON.stringify(body.person)}`);
    const start = time(body.start, s.timeZone, 0, 'body.start');
    const end = time(body.end, s.timeZone, 0, 'body.end');
    if (end <= start) throw invalid('body.end: must be after start');
    const o = await deps.overrides.add(name, { person: body.person, start, end }, req.principal.name, deps.now());
    return reply.status(201).send({ id: o.id, schedule: name, person: o.person, start: formatInZone(o.start, s.timeZone), end: formatInZone(o.end, s.timeZone) });
  });

  app.delete('/api/v1/schedules/:name/overrides/:id', responder, async (req, reply) => {
    const { name, id } = parse(overrideParams, req.params, 'params');
    dir().mustSchedule(name);
    if (!(await deps.overrides.remove(name, id))) throw notFound(`override ${id} of schedule ${name}`);
    return reply.status(204).send();
  });

  registerCalendarRoutes(app, deps);

  app.get('/api/v1/people', viewer, async () => {
    const d = dir();
    return { people: d.personNames().map((n) => ({ name: n, full_name: d.person(n)?.fullName ?? n, time_zone: d.person(n)?.timeZone ?? 'UTC' })) };
  });

  app.get('/api/v1/escalations', viewer, async (req) => {
    const q = parse(escalationsQuery, req.query, 'query');
    return { escalations: await deps.escalations.list({ status: q.status, limit: q.limit }) };
  });

  app.get('/api/v1/escalations/:id', viewer, async (req) => {
    const { id } = parse(z.strictObject({ id: z.coerce.number().int().min(1) }), req.params, 'params');
    const e = await deps.escalations.get(id);
    if (!e) throw notFound(`escalation ${id}`);
    return e;
  });
}

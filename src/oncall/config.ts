import { z } from 'zod';
import { duration, nameSchema } from '../model/schema.js';
import { isValidTimeZone, parseClock, parseInstant, parsePlain, toPlain } from './local-time.js';
import { WEEKDAYS } from './schedule.js';

/**
 * The `people`, `teams`, `schedules` and `escalation_policies` sections. Objects are strict;
 * references between them are checked by checkOncall (with paths), so a typo in a name is
 * reported where it was written.
 */

/** How a person can be reached once paged, and which contact each needs. */
export const CHANNELS = {
  email: 'email',
  slack: 'slack',
  sms: 'phone',
  voice: 'phone',
  webhook: 'webhook',
  pushover: 'pushover',
  telegram: 'telegram',
  ntfy: 'ntfy',
} as const;
export type Channel = keyof typeof CHANNELS;
export const CHANNEL_NAMES = Object.keys(CHANNELS) as Channel[];
export type ContactKind = (typeof CHANNELS)[Channel];

const timeZone = z.string({ error: 'expected an IANA time zone like Europe/Berlin' }).refine(isValidTimeZone, {
  message: 'unknown time zone (use an IANA name like Europe/Berlin or America/New_York)',
});

const httpUrl = z.string().refine((s) => /^https?:\/\/[^\s]+$/i.test(s) && URL.canParse(s), { message: 'expected an absolute http:// or https:// URL' });

const contactsSchema = z.strictObject({
  email: z.email({ error: 'expected an email address' }).optional(),
  /** A Slack member id (U012ABCDE) for direct messages. */
  slack: z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack member id like U012ABCDE').optional(),
  /** E.164, used for SMS and phone calls. */
  phone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected a phone number in E.164 form like +15551230001').optional(),
  webhook: httpUrl.optional(),
  pushover: z.string().min(1).optional(),
  telegram: z.string().min(1).optional(),
  ntfy: z.string().min(1).optional(),
});

const notificationRuleSchema = z.strictObject({
  after: duration().default(0),
  via: z.array(z.enum(CHANNEL_NAMES, { error: `expected one of ${CHANNEL_NAMES.join(', ')}` })).min(1, 'name at least one channel'),
});

export const personSchema = z.strictObject({
  name: nameSchema,
  full_name: z.string().min(1).optional(),
  /** Used for the person's calendar feed and shown with times; default UTC. */
  time_zone: timeZone.default('UTC'),
  contacts: contactsSchema.default({}),
  /** Default: every contact at once. */
  notification_rules: z.array(notificationRuleSchema).optional(),
});

export const teamSchema = z.strictObject({
  name: nameSchema,
  members: z.array(z.string().min(1)).min(1, 'a team needs members'),
});

/** "2026-11-02T09:00": wall-clock time in the schedule's zone (an RFC 3339 time with offset is converted to it). */
const localTime = z.string({ error: 'expected a local time like 2026-11-02T09:00' }).refine((s) => parsePlain(s) !== undefined || parseInstant(s, 'UTC') !== undefined, {
  message: 'expected a local time like 2026-11-02T09:00',
});

const clock = (what: string) =>
  z.string({ error: `expected ${what} like 09:00` }).transform((s, ctx) => {
    const ms = parseClock(s);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected ${what} like 09:00 (00:00 to 24:00), got ${JSON.stringify(s)}` });
      return z.NEVER;
    }
    return ms;
  });

const restrictionSchema = z.strictObject({
  /** The days a window starts on; omitted means every day. */
  days: z.array(z.enum(WEEKDAYS, { error: `expected one of ${WEEKDAYS.join(', ')}` })).default([]),
  from: clock('a start time'),
  to: clock('an end time'),
});

const DAY = 86_400_000;
const rotationSchema = z.union([z.literal('daily'), z.literal('weekly'), z.string()]).transform((r, ctx) => {
  if (r === 'daily') return DAY;
  if (r === 'weekly') return 7 * DAY;
  const ms = duration().safeParse(r);
  if (!ms.success || ms.data < 60_000 || ms.data % 60_000 !== 0) {
    ctx.addIssue({ code: 'custom', message: `expected daily, weekly or a whole number of minutes like 12h, got ${JSON.stringify(r)}` });
    return z.NEVER;
  }
  return ms.data;
});

const layerSchema = z.strictObject({
  name: z.string().min(1, 'must not be empty'),
  /** daily | weekly | a duration such as 12h (wall-clock: handoffs keep their local times). */
  rotation: rotationSchema,
  /** The first handoff, local time in the schedule's zone; the layer covers nothing before it. */
  start: localTime,
  end: localTime.optional(),
  members: z.array(z.string().min(1)).min(1, 'a layer needs members'),
  restrictions: z.array(restrictionSchema).default([]),
});

const overrideSchema = z.strictObject({
  person: z.string().min(1),
  start: localTime,
  end: localTime,
});

export const scheduleSchema = z.strictObject({
  name: nameSchema,
  time_zone: timeZone,
  layers: z.array(layerSchema).default([]),
  overrides: z.array(overrideSchema).default([]),
});

const targetSchema = z
  .strictObject({ schedule: z.string().min(1).optional(), person: z.string().min(1).optional(), team: z.string().min(1).optional() })
  .refine((t) => [t.schedule, t.person, t.team].filter((x) => x !== undefined).length === 1, {
    message: 'a target is exactly one of {schedule: NAME}, {person: NAME}, {team: NAME}',
  });

const levelSchema = z.strictObject({
  targets: z.array(targetSchema).min(1, 'a level needs targets'),
  /** How long to wait for an acknowledgement before the next level. */
  escalate_after: duration().refine((ms) => ms >= 1000, 'must be at least 1s').default(300_000),
});

export const escalationPolicySchema = z.strictObject({
  name: nameSchema,
  /** Run the levels again this many times if nobody acknowledges. */
  repeat: z.number().int().min(0).max(20).default(0),
  /** An acknowledged page still unresolved after this long escalates again from level 1. */
  ack_timeout: duration().refine((ms) => ms >= 1000, 'must be at least 1s').optional(),
  levels: z.array(levelSchema).min(1, 'a policy needs levels'),
});

export const peopleSchema = z.array(personSchema);
export const teamsSchema = z.array(teamSchema);
export const schedulesSchema = z.array(scheduleSchema);
export const escalationPoliciesSchema = z.array(escalationPolicySchema);

export type PersonConfig = z.output<typeof personSchema>;
export type TeamConfig = z.output<typeof teamSchema>;
export type ScheduleConfig = z.output<typeof scheduleSchema>;
export type LayerConfig = z.output<typeof layerSchema>;
export type EscalationPolicyConfig = z.output<typeof escalationPolicySchema>;
export type TargetConfig = z.output<typeof targetSchema>;

export interface OncallSections {
  readonly people?: readonly PersonConfig[] | undefined;
  readonly teams?: readonly TeamConfig[] | undefined;
  readonly schedules?: readonly ScheduleConfig[] | undefined;
  readonly escalation_policies?: readonly EscalationPolicyConfig[] | undefined;
}

export interface OncallIssue {
  readonly path: Array<string | number>;
  readonly message: string;
}

/** A local time of a schedule as a plain time in its zone. */
export function plainIn(s: string, zone: string): number {
  const plain = parsePlain(s);
  if (plain !== undefined) return plain;
  const instant = parseInstant(s, zone);
  if (instant === undefined) throw new RangeError(`malformed local time ${JSON.stringify(s)}`);
  return toPlain(instant, zone);
}

function uniqueNames(list: readonly { name: string }[], section: string, issues: OncallIssue[]): Set<string> {
  const names = new Set<string>();
  list.forEach((x, i) => {
    if (names.has(x.name)) issues.push({ path: [section, i, 'name'], message: `duplicate name ${JSON.stringify(x.name)}` });
    names.add(x.name);
  });
  return names;
}

/** References between the sections: every name used is declared, every channel has its contact. */
export function checkOncall(c: OncallSections): OncallIssue[] {
  const issues: OncallIssue[] = [];
  const people = uniqueNames(c.people ?? [], 'people', issues);
  const teams = uniqueNames(c.teams ?? [], 'teams', issues);
  const schedules = uniqueNames(c.schedules ?? [], 'schedules', issues);
  uniqueNames(c.escalation_policies ?? [], 'escalation_policies', issues);
  const person = (name: string, path: Array<string | number>) => {
    if (!people.has(name)) issues.push({ path, message: `unknown person ${JSON.stringify(name)} (declare it under people:)` });
  };
  (c.people ?? []).forEach((p, i) => {
    p.notification_rules?.forEach((r, j) =>
      r.via.forEach((ch, k) => {
        const need = CHANNELS[ch];
        if (p.contacts[need] === undefined) issues.push({ path: ['people', i, 'notification_rules', j, 'via', k], message: `channel ${ch} needs contacts.${need}, which ${p.name} does not have` });
      }),
    );
  });
  (c.teams ?? []).forEach((t, i) => t.members.forEach((m, j) => person(m, ['teams', i, 'members', j])));
  (c.schedules ?? []).forEach((s, i) => {
    const layerNames = new Set<string>();
    s.layers.forEach((l, j) => {
      if (layerNames.has(l.name)) issues.push({ path: ['schedules', i, 'layers', j, 'name'], message: `duplicate layer name ${JSON.stringify(l.name)}` });
      layerNames.add(l.name);
      l.members.forEach((m, k) => person(m, ['schedules', i, 'layers', j, 'members', k]));
      if (l.end !== undefined && plainIn(l.end, s.time_zone) <= plainIn(l.start, s.time_zone)) issues.push({ path: ['schedules', i, 'layers', j, 'end'], message: 'must be after start' });
    });
    s.overrides.forEach((o, j) => {
      person(o.person, ['schedules', i, 'overrides', j, 'person']);
      if (plainIn(o.end, s.time_zone) <= plainIn(o.start, s.time_zone)) issues.push({ path: ['schedules', i, 'overrides', j, 'end'], message: 'must be after start' });
    });
  });
  (c.escalation_policies ?? []).forEach((p, i) =>
    p.levels.forEach((l, j) =>
      l.targets.forEach((t, k) => {
        const path = ['escalation_policies', i, 'levels', j, 'targets', k];
        if (t.schedule !== undefined && !schedules.has(t.schedule)) issues.push({ path: [...path, 'schedule'], message: `unknown schedule ${JSON.stringify(t.schedule)} (declare it under schedules:)` });
        if (t.person !== undefined) person(t.person, [...path, 'person']);
        if (t.team !== undefined && !teams.has(t.team)) issues.push({ path: [...path, 'team'], message: `unknown team ${JSON.stringify(t.team)} (declare it under teams:)` });
      }),
    ),
  );
  return issues;
}

/** The `paging` section: how pages are acknowledged. */
export const pagingConfigSchema = z
  .strictObject({
    /** How long the acknowledge and resolve links in a page work. */
    ack_link_ttl: duration().refine((ms) => ms >= 60_000, 'must be at least 1m').default(24 * 3600_000),
    /** Slack app signing secret for interactive buttons, from an environment variable or a file. */
    slack_signing_secret_env: z.string().min(1).optional(),
    slack_signing_secret_file: z.string().min(1).optional(),
  })
  .refine((p) => !(p.slack_signing_secret_env && p.slack_signing_secret_file), { message: 'at most one of slack_signing_secret_env and slack_signing_secret_file' })
  .prefault({});

export type PagingConfig = z.output<typeof pagingConfigSchema>;

import { z } from 'zod';
import { isValidLabelName } from '../model/labels.js';
import { compileRegex, newMatcher } from '../model/matcher.js';
import type { Matcher } from '../model/matcher.js';
import type { InhibitRule } from './inhibit/inhibitor.js';
import { parseMatchers } from './matchers.js';
import { isValidZone } from './timeinterval/timeinterval.js';
import type { TimeInterval } from './timeinterval/timeinterval.js';

/**
 * Alertmanager's `inhibit_rules`, `time_intervals` and (legacy) `mute_time_intervals`, in its
 * configuration schema and with its error messages (config/config.go, timeinterval/).
 */

const labelName = z.string().refine(isValidLabelName, { error: (i) => `invalid label name ${JSON.stringify(i.input)}` });
const checkKeys = (rec: Record<string, string>, ctx: z.RefinementCtx) => {
  for (const k of Object.keys(rec)) if (!isValidLabelName(k)) ctx.addIssue({ code: 'custom', path: [k], message: `invalid label name ${JSON.stringify(k)}` });
};
const matchMap = z.record(z.string(), z.string()).superRefine(checkKeys);
const matchReMap = z.record(z.string(), z.string()).superRefine((rec, ctx) => {
  checkKeys(rec, ctx);
  for (const [k, v] of Object.entries(rec)) {
    try {
      compileRegex(v);
    } catch (e) {
      ctx.addIssue({ code: 'custom', path: [k], message: (e as Error).message });
    }
  }
});
const matcherList = z.array(z.string()).superRefine((list, ctx) => {
  list.forEach((s, i) => {
    try {
      parseMatchers(s);
    } catch (e) {
      ctx.addIssue({ code: 'custom', path: [i], message: (e as Error).message });
    }
  });
});

export const inhibitRuleSchema = z.strictObject({
  source_match: matchMap.optional(),
  source_match_re: matchReMap.optional(),
  source_matchers: matcherList.optional(),
  target_match: matchMap.optional(),
  target_match_re: matchReMap.optional(),
  target_matchers: matcherList.optional(),
  equal: z.array(labelName).optional(),
});
export type InhibitRuleConfig = z.output<typeof inhibitRuleSchema>;
export const inhibitRulesSchema = z.array(inhibitRuleSchema);

function sideMatchers(match: Record<string, string> | undefined, re: Record<string, string> | undefined, list: string[] | undefined): Matcher[] {
  const out: Matcher[] = [];
  for (const [k, v] of Object.entries(match ?? {})) out.push(newMatcher('=', k, v));
  for (const [k, v] of Object.entries(re ?? {})) out.push(newMatcher('=~', k, v));
  for (const s of list ?? []) for (const m of parseMatchers(s)) out.push(m);
  return out;
}

export function buildInhibitRules(rules: readonly InhibitRuleConfig[]): InhibitRule[] {
  return rules.map((r) => ({
    sourceMatchers: sideMatchers(r.source_match, r.source_match_re, r.source_matchers),
    targetMatchers: sideMatchers(r.target_match, r.target_match_re, r.target_matchers),
    equal: r.equal ?? [],
  }));
}

// ---- time intervals ----

const WEEKDAYS: Record<string, number> = { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 };
const MONTHS: Record<string, number> = {
  january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
};
const MONTH_NAMES = Object.keys(MONTHS);

class RangeError extends Error {}

/** timeinterval.stringableRangeFromString: `a:b` or `a`, lower-cased. */
function parseRange(input: string, member: (s: string) => number): [number, number] {
  const s = input.toLowerCase();
  if (s.includes(':')) {
    const parts = s.split(':');
    if (parts.length !== 2) throw new RangeError(`couldn't parse range ${s}, invalid format`);
    return [member(parts[0]!), member(parts[1]!)];
  }
  const v = member(s);
  return [v, v];
}

function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new RangeError(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  return Number(s);
}

function rangeList(check: (r: [number, number], raw: string) => void, member: (s: string) => number) {
  return z.array(z.string()).transform((list, ctx) => {
    const out: Array<[number, number]> = [];
    list.forEach((raw, i) => {
      try {
        const r = parseRange(raw, member);
        check(r, raw);
        out.push(r);
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        ctx.addIssue({ code: 'custom', path: [i], message: e.message });
      }
    });
    return out;
  });
}

const weekdays = rangeList(
  ([b, e], raw) => {
    if (b > e) throw new RangeError('start day cannot be before end day');
    if (b < 0 || b > 6 || e < 0 || e > 6) throw new RangeError(`${raw} is not a valid day of the week: out of range`);
  },
  (s) => {
    const v = WEEKDAYS[s];
    if (v === undefined) throw new RangeError(`${s} is not a valid weekday`);
    return v;
  },
);

const daysOfMonth = rangeList(([b, e]) => {
  if (b === 0 || b < -31 || b > 31) throw new RangeError(`${b} is not a valid day of the month: out of range`);
  if (e === 0 || e < -31 || e > 31) throw new RangeError(`${e} is not a valid day of the month: out of range`);
  if (b < 0 && e > 0) throw new RangeError('end day must be negative if start day is negative');
  const cb = b < 0 ? 28 + b : b;
  const ce = e < 0 ? 28 + e : e;
  if (cb > ce) throw new RangeError(`end day ${e} is always before start day ${b}`);
}, atoi);

const months = rangeList(
  ([b, e]) => {
    if (b > e) throw new RangeError(`end month ${MONTH_NAMES[e - 1] ?? e} is before start month ${MONTH_NAMES[b - 1] ?? b}`);
  },
  (s) => {
    const v = MONTHS[s];
    if (v !== undefined) return v;
    if (!/^[+-]?\d+$/.test(s)) throw new RangeError(`${s} is not a valid month`);
    return Number(s);
  },
);

const years = rangeList(([b, e]) => {
  if (b > e) throw new RangeError(`end year ${e} is before start year ${b}`);
}, atoi);

const VALID_TIME = /^((([01][0-9])|(2[0-3])):[0-5][0-9])$|(^24:00$)/;
function parseTime(s: string): number {
  if (!VALID_TIME.test(s)) throw new RangeError(`couldn't parse timestamp ${s}, invalid format`);
  const [h, m] = s.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

const timeRange = z.strictObject({ start_time: z.string().optional(), end_time: z.string().optional() }).transform((t, ctx) => {
  try {
    if (!t.start_time || !t.end_time) throw new RangeError('both start and end times must be provided');
    const startMinute = parseTime(t.start_time);
    const endMinute = parseTime(t.end_time);
    if (startMinute >= endMinute) throw new RangeError('start time cannot be equal or greater than end time');
    return { startMinute, endMinute };
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    ctx.addIssue({ code: 'custom', message: e.message });
    return z.NEVER;
  }
});

export const timeIntervalSchema = z
  .strictObject({
    times: z.array(timeRange).optional(),
    weekdays: weekdays.optional(),
    days_of_month: daysOfMonth.optional(),
    months: months.optional(),
    years: years.optional(),
    location: z
      .string()
      .refine(isValidZone, { error: (i) => `unknown time zone ${String(i.input)}` })
      .optional(),
  })
  .transform(
    (t): TimeInterval => ({
      ...(t.times ? { times: t.times } : {}),
      ...(t.weekdays ? { weekdays: t.weekdays } : {}),
      ...(t.days_of_month ? { daysOfMonth: t.days_of_month } : {}),
      ...(t.months ? { months: t.months } : {}),
      ...(t.years ? { years: t.years } : {}),
      ...(t.location ? { location: t.location } : {}),
    }),
  );

function namedIntervals(what: string) {
  return z.array(
    z.strictObject({
      name: z.string({ error: `missing name in ${what}` }).min(1, `missing name in ${what}`),
      time_intervals: z.array(timeIntervalSchema),
    }),
  );
}

/** `time_intervals:` */
export const timeIntervalsSchema = namedIntervals('time interval');
/** `mute_time_intervals:` (deprecated in Alertmanager, still read). */
export const muteTimeIntervalsSchema = namedIntervals('mute time interval');

export type NamedTimeIntervals = z.output<typeof timeIntervalsSchema>;

import { DateTime, IANAZone } from 'luxon';
import type { MuteRoute, MuteTarget, Muter } from '../../model/mute.js';

/** Inclusive ranges; times are minutes of the day, [start, end). Absent field: no restriction. */
export interface TimeInterval {
  readonly times?: ReadonlyArray<{ readonly startMinute: number; readonly endMinute: number }>;
  /** 0 = Sunday … 6 = Saturday, as Alertmanager numbers them. */
  readonly weekdays?: ReadonlyArray<readonly [number, number]>;
  /** 1…31 or -1…-31 (from the end of the month). */
  readonly daysOfMonth?: ReadonlyArray<readonly [number, number]>;
  readonly months?: ReadonlyArray<readonly [number, number]>;
  readonly years?: ReadonlyArray<readonly [number, number]>;
  /** An IANA zone name, or 'Local' (the process's zone); default UTC. */
  readonly location?: string;
}

const inRanges = (v: number, ranges: ReadonlyArray<readonly [number, number]>) => ranges.some(([b, e]) => v >= b && v <= e);

/**
 * Whether `t` (ms) falls in the interval, as Alertmanager's TimeInterval.ContainsTime, with
 * calendar arithmetic by luxon in the interval's location. One difference from Alertmanager
 * 0.25: the length of a month for negative days_of_month is counted in calendar days, so a
 * month with a DST change still has its real length (0.25 divided the month's duration by 24 h
 * and got it wrong; fixed upstream later).
 */
export function containsTime(ti: TimeInterval, t: number): boolean {
  const zone = ti.location === undefined ? 'utc' : ti.location === 'Local' ? 'system' : ti.location;
  const dt = DateTime.fromMillis(t, { zone });
  if (ti.times) {
    const m = dt.hour * 60 + dt.minute;
    if (!ti.times.some((r) => m >= r.startMinute && m < r.endMinute)) return false;
  }
  if (ti.daysOfMonth) {
    const days = dt.daysInMonth ?? 31;
    const ok = ti.daysOfMonth.some(([b0, e0]) => {
      const b = b0 < 0 ? days + b0 + 1 : b0;
      const e = e0 < 0 ? days + e0 + 1 : e0;
      if (b > days) return false;
      return dt.day >= Math.max(b, -days) && dt.day <= Math.min(e, days);
    });
    if (!ok) return false;
  }
  if (ti.months && !inRanges(dt.month, ti.months)) return false;
  // luxon: 1 = Monday … 7 = Sunday.
  if (ti.weekdays && !inRanges(dt.weekday % 7, ti.weekdays)) return false;
  if (ti.years && !inRanges(dt.year, ti.years)) return false;
  return true;
}

export function isValidZone(name: string): boolean {
  return name === 'Local' || name === 'UTC' || IANAZone.isValidZone(name);
}

/** Named time intervals (`time_intervals:` / `mute_time_intervals:`): a name holds several intervals. */
export type TimeIntervals = ReadonlyMap<string, readonly TimeInterval[]>;

function active(intervals: TimeIntervals, names: readonly string[], t: number): string[] {
  return names.filter((n) => (intervals.get(n) ?? []).some((ti) => containsTime(ti, t)));
}

const NONE: readonly string[] = [];

/**
 * Alertmanager's TimeMuteStage: a route's notifications are muted while any of its
 * `mute_time_intervals` contains the time. Returns the names of those intervals.
 */
export class TimeMuteStage implements Muter {
  readonly stage = 'muted';
  readonly scope = 'route' as const;
  constructor(private readonly intervals: TimeIntervals) {}
  mutedBy(_alert: MuteTarget, now: number, route?: MuteRoute): readonly string[] {
    if (!route || route.muteTimeIntervals.length === 0) return NONE;
    return active(this.intervals, route.muteTimeIntervals, now);
  }
}

/**
 * Alertmanager's TimeActiveStage: a route with `active_time_intervals` is muted while none of
 * them contains the time. Returns the route's active intervals while it is muted.
 */
export class TimeActiveStage implements Muter {
  readonly stage = 'inactive';
  readonly scope = 'route' as const;
  constructor(private readonly intervals: TimeIntervals) {}
  mutedBy(_alert: MuteTarget, now: number, route?: MuteRoute): readonly string[] {
    if (!route || route.activeTimeIntervals.length === 0) return NONE;
    return active(this.intervals, route.activeTimeIntervals, now).length > 0 ? NONE : route.activeTimeIntervals;
  }
}

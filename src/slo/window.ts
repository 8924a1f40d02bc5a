import { DateTime } from 'luxon';
import type { CalendarUnit, SloWindow } from './spec.js';

/** The period an SLO is judged over at `t`: its start and end (end exclusive; ms). */
export interface Period {
  readonly start: number;
  readonly end: number;
}

const PLURAL: Record<CalendarUnit, 'days' | 'weeks' | 'months' | 'quarters' | 'years'> = { day: 'days', week: 'weeks', month: 'months', quarter: 'quarters', year: 'years' };

/**
 * The period containing `t`. Rolling: [t − window, t] (its end is now). Calendar: the calendar
 * period (in the window's time zone) that contains `t`, e.g. the month from its first day
 * 00:00 to the next month's.
 */
export function periodAt(w: SloWindow, t: number): Period {
  if (w.kind === 'rolling') return { start: t - w.ms, end: t };
  const here = DateTime.fromMillis(t, { zone: w.zone });
  if (!w.anchor && w.count === 1) {
    const start = here.startOf(w.unit);
    return { start: start.toMillis(), end: start.plus({ [PLURAL[w.unit]]: 1 }).toMillis() };
  }
  // Without an anchor, periods of several units count from 2000-01-01 (weeks: Monday 2000-01-03).
  const anchor = w.anchor ? DateTime.fromISO(w.anchor, { zone: w.zone }) : DateTime.fromObject({ year: 2000, month: 1, day: w.unit === 'week' ? 3 : 1 }, { zone: w.zone });
  const at = (k: number) => anchor.plus({ [PLURAL[w.unit]]: k * w.count });
  let k = Math.floor(here.diff(anchor, PLURAL[w.unit]).as(PLURAL[w.unit]) / w.count);
  while (at(k).toMillis() > t) k--;
  while (at(k + 1).toMillis() <= t) k++;
  return { start: at(k).toMillis(), end: at(k + 1).toMillis() };
}

/** The length of the period at `t` (a rolling window's length; a calendar period's full length). */
export function periodLength(w: SloWindow, t: number): number {
  if (w.kind === 'rolling') return w.ms;
  const p = periodAt(w, t);
  return p.end - p.start;
}

/** How the window reads in the API and CLI: `30d`, `month`, `2 weeks`, `month (Europe/Berlin)`. */
export function describeWindow(w: SloWindow): string {
  if (w.kind === 'rolling') return promDuration(w.ms);
  const base = w.count === 1 ? w.unit : `${w.count} ${PLURAL[w.unit]}`;
  return w.zone === 'UTC' ? base : `${base} (${w.zone})`;
}

/**
 * A duration as PromQL writes it, in one unit where it divides evenly (`5m`, `1h`, `30d`), as
 * Sloth names its windows; otherwise Prometheus's combined form (`1h30m`).
 */
export function promDuration(ms: number): string {
  for (const [u, f] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= f && ms % f === 0) return `${ms / f}${u}`;
  }
  let rest = Math.max(0, Math.round(ms));
  let out = '';
  for (const [u, f] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    const n = Math.floor(rest / f);
    if (n > 0) {
      out += `${n}${u}`;
      rest -= n * f;
    }
  }
  return out || '0s';
}

import { DAY_MS, resolve, startOfDay, toPlain, weekdayOf } from './local-time.js';

/**
 * On-call schedules with PagerDuty's and GoAlert's semantics:
 * - each layer rotates its members, handing off at a wall-clock time in the schedule's zone
 *   (a Berlin 09:00 handoff stays 09:00 in summer and winter; a 12h rotation keeps its two
 *   local handoff times, so one shift is an hour shorter or longer on a DST night);
 * - a layer covers nothing before its start (nor after its end);
 * - restrictions limit a layer to local windows; the rotation keeps turning outside them;
 * - a later layer is higher: wherever it has someone on call, it wins over earlier layers;
 * - overrides win over every layer, and of two overlapping overrides the later one wins.
 * Times are ms since the epoch; intervals are half-open [start, end).
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface Restriction {
  /** Days a window starts on; empty means every day. */
  readonly days: readonly Weekday[];
  /** ms after local midnight. A `to` not after `from` runs past midnight (equal: 24 hours). */
  readonly from: number;
  readonly to: number;
}

export interface Layer {
  readonly name: string;
  /** Wall-clock length of one turn, ms: a day for `daily`, a week for `weekly`, or a duration. */
  readonly turn: number;
  /** The first handoff, as a plain (wall-clock) time in the schedule's zone. */
  readonly start: number;
  /** Optional plain time after which the layer covers nothing. */
  readonly end?: number;
  readonly members: readonly string[];
  readonly restrictions: readonly Restriction[];
}

export interface Override {
  readonly person: string;
  readonly start: number;
  readonly end: number;
  /** Set for overrides added at runtime (their API id). */
  readonly id?: string;
}

export interface Schedule {
  readonly name: string;
  readonly timeZone: string;
  readonly layers: readonly Layer[];
  /** In precedence order: a later one wins where they overlap. */
  readonly overrides: readonly Override[];
}

export interface Shift {
  readonly start: number;
  readonly end: number;
  readonly person: string;
  /** The layer's name, or `override`. */
  readonly layer: string;
}

export const OVERRIDE_LAYER = 'override';

/** Instant of handoff `k` of a layer (k = 0 is its start). */
function handoff(layer: Layer, zone: string, k: number): number {
  return resolve(layer.start + k * layer.turn, zone);
}

/** Index of the turn running at instant t (negative before the layer's start). */
function turnAt(layer: Layer, zone: string, t: number): number {
  let k = Math.floor((toPlain(t, zone) - layer.start) / layer.turn);
  while (handoff(layer, zone, k + 1) <= t) k++;
  while (k >= 0 && handoff(layer, zone, k) > t) k--;
  return k;
}

/** The layer's rotation turns overlapping [from, to), before restrictions. */
function rotationShifts(layer: Layer, zone: string, from: number, to: number): Shift[] {
  const out: Shift[] = [];
  if (layer.members.length === 0 || from >= to) return out;
  const layerStart = handoff(layer, zone, 0);
  const layerEnd = layer.end === undefined ? Infinity : resolve(layer.end, zone);
  const lo = Math.max(from, layerStart);
  const hi = Math.min(to, layerEnd);
  if (lo >= hi) return out;
  for (let k = Math.max(0, turnAt(layer, zone, lo)); ; k++) {
    const s = handoff(layer, zone, k);
    if (s >= hi) break;
    const e = handoff(layer, zone, k + 1);
    if (e <= s || e <= lo) continue; // a turn swallowed by a DST gap, or before the range
    const person = layer.members[k % layer.members.length] as string;
    out.push({ start: Math.max(s, lo), end: Math.min(e, hi), person, layer: layer.name });
  }
  return out;
}

/** The local windows of a layer's restrictions overlapping [from, to), merged and sorted. */
export function restrictionWindows(restrictions: readonly Restriction[], zone: string, from: number, to: number): Array<[number, number]> {
  const windows: Array<[number, number]> = [];
  // A window starts on a day and may run into the next: begin a day early.
  const firstDay = startOfDay(toPlain(from, zone)) - DAY_MS;
  const lastDay = startOfDay(toPlain(to, zone));
  for (let day = firstDay; day <= lastDay; day += DAY_MS) {
    const weekday = WEEKDAYS[weekdayOf(day) - 1] as Weekday;
    for (const r of restrictions) {
      if (r.days.length > 0 && !r.days.includes(weekday)) continue;
      const s = resolve(day + r.from, zone);
      const e = resolve(r.to > r.from ? day + r.to : day + DAY_MS + r.to, zone);
      if (e > from && s < to && e > s) windows.push([Math.max(s, from), Math.min(e, to)]);
    }
  }
  windows.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const w of windows) {
    const last = merged[merged.length - 1];
    if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
    else merged.push([w[0], w[1]]);
  }
  return merged;
}

/** A layer's on-call shifts in [from, to): its rotation cut to its restrictions. */
export function layerShifts(layer: Layer, zone: string, from: number, to: number): Shift[] {
  const turns = rotationShifts(layer, zone, from, to);
  if (layer.restrictions.length === 0) return turns;
  const windows = restrictionWindows(layer.restrictions, zone, from, to);
  const out: Shift[] = [];
  for (const t of turns) {
    for (const [ws, we] of windows) {
      const s = Math.max(t.start, ws);
      const e = Math.min(t.end, we);
      if (s < e) out.push({ ...t, start: s, end: e });
    }
  }
  return out;
}

/** Paints `shift` over the sorted, non-overlapping `segments`, replacing what it covers. */
function paint(segments: Shift[], shift: Shift): Shift[] {
  const out: Shift[] = [];
  for (const seg of segments) {
    if (seg.end <= shift.start || seg.start >= shift.end) {
      out.push(seg);
      continue;
    }
    if (seg.start < shift.start) out.push({ ...seg, end: shift.start });
    if (seg.end > shift.end) out.push({ ...seg, start: shift.end });
  }
  out.push(shift);
  return out.sort((a, b) => a.start - b.start);
}

/**
 * The final schedule in [from, to): who is on call when, after layers, restrictions and
 * overrides. Adjacent shifts of the same person from the same layer are joined.
 * `extra` overrides (added at runtime) rank after the schedule's own.
 */
export function finalShifts(schedule: Schedule, from: number, to: number, extra: readonly Override[] = []): Shift[] {
  let segments: Shift[] = [];
  if (from >= to) return segments;
  for (const layer of schedule.layers) {
    for (const s of layerShifts(layer, schedule.timeZone, from, to)) segments = paint(segments, s);
  }
  for (const o of [...schedule.overrides, ...extra]) {
    const s = Math.max(o.start, from);
    const e = Math.min(o.end, to);
    if (s < e) segments = paint(segments, { start: s, end: e, person: o.person, layer: OVERRIDE_LAYER });
  }
  const joined: Shift[] = [];
  for (const seg of segments) {
    const last = joined[joined.length - 1];
    if (last && last.end === seg.start && last.person === seg.person && last.layer === seg.layer) joined[joined.length - 1] = { ...last, end: seg.end };
    else joined.push(seg);
  }
  return joined;
}

/** Who is on call at instant t, if anyone. */
export function whoIsOnCall(schedule: Schedule, t: number, extra: readonly Override[] = []): string | undefined {
  return finalShifts(schedule, t, t + 1, extra)[0]?.person;
}

/**
 * The shift running at instant t with its real bounds, looked for within `reach` ms either
 * side (a shift longer than that is reported cut to it).
 */
export function shiftAt(schedule: Schedule, t: number, extra: readonly Override[] = [], reach = 35 * DAY_MS): Shift | undefined {
  return finalShifts(schedule, t - reach, t + reach, extra).find((s) => s.start <= t && t < s.end);
}

import { DateTime, IANAZone } from 'luxon';
import { maxOf, minOf } from '../model/arrays.js';

/**
 * Wall-clock time in a zone, through luxon's time-zone data (never offsets of our own).
 *
 * A *plain* time is a local date and time with no zone, held as the milliseconds of that
 * date and time read as if it were UTC ("2026-11-02T09:00" → Date.UTC(2026, 10, 2, 9)).
 * Calendar arithmetic on plain times is exact: a day is always 86,400,000 ms of wall clock,
 * whatever the zone does that day. `resolve` turns a plain time into an instant.
 */

const zones = new Map<string, IANAZone>();

export function isValidTimeZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

function zoneOf(name: string): IANAZone {
  let z = zones.get(name);
  if (!z) {
    if (!IANAZone.isValidZone(name)) throw new RangeError(`unknown time zone ${JSON.stringify(name)}`);
    z = IANAZone.create(name);
    zones.set(name, z);
  }
  return z;
}

/** UTC offset of `zone` at `instant`, in ms. */
export function offsetAt(zone: string, instant: number): number {
  return zoneOf(zone).offset(instant) * 60_000;
}

/** The wall-clock (plain) time an instant shows in `zone`. */
export function toPlain(instant: number, zone: string): number {
  return instant + offsetAt(zone, instant);
}

const DAY = 86_400_000;

/**
 * The first instant whose wall-clock time in `zone` is at or after the plain time:
 * - a time that exists once is that moment;
 * - a time that exists twice (clocks going back) is its first occurrence;
 * - a time skipped by clocks going forward is the moment the clocks jump (02:30 on a
 *   Berlin spring-forward night is 03:00 CEST).
 * The mapping is monotonic, so a sequence of handoffs stays in order through any DST change.
 */
export function resolve(plain: number, zone: string): number {
  const offsets = new Set([offsetAt(zone, plain - DAY), offsetAt(zone, plain), offsetAt(zone, plain + DAY)]);
  const candidates = [...offsets].map((o) => plain - o);
  const exact = candidates.filter((c) => toPlain(c, zone) === plain);
  if (exact.length > 0) return minOf(exact);
  // In a gap: the first instant whose wall clock is past `plain` lies between the candidates.
  let lo = minOf(candidates);
  let hi = maxOf(candidates);
  if (toPlain(hi, zone) < plain) return hi;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (toPlain(mid, zone) >= plain) hi = mid;
    else lo = mid;
  }
  return toPlain(lo, zone) >= plain ? lo : hi;
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Parses "2026-11-02T09:00" (seconds optional, no zone) to a plain time; undefined if malformed. */
export function parsePlain(s: string): number | undefined {
  const m = LOCAL_RE.exec(s);
  if (!m) return undefined;
  const dt = DateTime.fromObject(
    { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6] ?? 0) },
    { zone: 'utc' },
  );
  return dt.isValid ? dt.toMillis() : undefined;
}

/** "HH:MM" (00:00–24:00) to ms since local midnight; undefined if malformed. */
export function parseClock(s: string): number | undefined {
  const m = /^(\d{2}):(\d{2})$/.exec(s);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return undefined;
  return (h * 60 + min) * 60_000;
}

/** Midnight (plain) of the plain time's day. */
export function startOfDay(plain: number): number {
  return Math.floor(plain / DAY) * DAY;
}

/** ISO weekday of a plain time: 1 = Monday … 7 = Sunday. */
export function weekdayOf(plain: number): number {
  return DateTime.fromMillis(plain, { zone: 'utc' }).weekday;
}

/**
 * An instant given either with an offset (RFC 3339: `2026-12-24T00:00:00Z`, `…+01:00`) or as a
 * wall-clock time without one, which is read in `zone`. Undefined if malformed.
 */
export function parseInstant(s: string, zone: string): number | undefined {
  const plain = parsePlain(s);
  if (plain !== undefined) return resolve(plain, zone);
  if (!/(?:Z|[+-]\d{2}:?\d{2})$/i.test(s)) return undefined;
  const dt = DateTime.fromISO(s, { setZone: true });
  return dt.isValid ? dt.toMillis() : undefined;
}

/** `2026-11-02T09:00:00+01:00`: an instant as RFC 3339 with the zone's offset at that moment. */
export function formatInZone(instant: number, zone: string): string {
  return DateTime.fromMillis(instant, { zone }).toISO({ suppressMilliseconds: true }) ?? new Date(instant).toISOString();
}

export const DAY_MS = DAY;

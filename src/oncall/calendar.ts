import { DateTime } from 'luxon';
import type { Shift } from './schedule.js';

export interface CalendarShift extends Shift {
  readonly schedule: string;
  /** The schedule's zone: the event is written in it, with a VTIMEZONE for it. */
  readonly timeZone: string;
}

export interface CalendarOptions {
  /** The calendar's name as clients show it (X-WR-CALNAME). */
  readonly name: string;
  readonly description?: string;
  /** The calendar's default zone (X-WR-TIMEZONE). */
  readonly timeZone: string;
  readonly shifts: readonly CalendarShift[];
  /** A link to the schedule for each event. */
  readonly url?: (s: CalendarShift) => string;
  /** How the event is titled: per schedule feeds name the person, per person feeds the schedule. */
  readonly summary: (s: CalendarShift) => string;
  readonly now: number;
}

/**
 * An RFC 5545 calendar of on-call shifts: one VEVENT per shift with a stable UID (schedule,
 * person, start), times in the schedule's zone and one VTIMEZONE per zone used, so Google
 * Calendar and Thunderbird show handoffs at the right local time across DST changes.
 */
export async function shiftsCalendar(o: CalendarOptions): Promise<string> {
  // Loaded with the first feed asked for: a server whose calendars nobody subscribes to does
  // not hold the iCalendar writer and its zone table.
  const [{ default: ical }, { getVtimezoneComponent }] = await Promise.all([import('ical-generator'), import('@touch4it/ical-timezones')]);
  const cal = ical({
    name: o.name,
    prodId: { company: 'Vigil', product: 'On-call', language: 'EN' },
    timezone: { name: o.timeZone, generator: getVtimezoneComponent },
    ttl: 3600,
    ...(o.description ? { description: o.description } : {}),
  });
  for (const s of o.shifts) {
    cal.createEvent({
      id: `${s.schedule}/${s.person}/${new Date(s.start).toISOString()}@vigil`,
      // luxon times: ical-generator formats a Date with a TZID in the server's own zone.
      start: DateTime.fromMillis(s.start, { zone: s.timeZone }),
      end: DateTime.fromMillis(s.end, { zone: s.timeZone }),
      timezone: s.timeZone,
      summary: o.summary(s),
      description: `${s.person} is on call for ${s.schedule}${s.layer === 'override' ? ' (override)' : ` (layer ${s.layer})`}.`,
      ...(o.url ? { url: o.url(s) } : {}),
    });
  }
  // RFC 5545 wants DTSTAMP in UTC; ical-generator writes it in the calendar's zone without one.
  const stamp = DateTime.fromMillis(o.now, { zone: 'utc' }).toFormat("yyyyLLdd'T'HHmmss'Z'");
  return cal.toString().replace(/^DTSTAMP:.*$/gm, `DTSTAMP:${stamp}`);
}

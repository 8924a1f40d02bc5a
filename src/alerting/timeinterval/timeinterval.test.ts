import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { timeIntervalSchema, timeIntervalsSchema } from '../am-config.js';
import { TimeActiveStage, TimeMuteStage, containsTime } from './timeinterval.js';

const utc = (s: string) => Date.parse(s);
const parse = (v: unknown) => timeIntervalSchema.parse(v);

test('business hours in Europe/Berlin follow the zone across the DST change (no fixed offsets)', () => {
  const ti = parse({ times: [{ start_time: '09:00', end_time: '17:00' }], weekdays: ['monday:friday'], location: 'Europe/Berlin' });
  // Friday 27 March 2026, CET (UTC+1): 08:30 UTC is 09:30 in Berlin.
  assert.ok(containsTime(ti, utc('2026-03-27T08:30:00Z')));
  assert.ok(!containsTime(ti, utc('2026-03-27T07:30:00Z')));
  // DST starts Sunday 29 March at 02:00. Monday 30 March, CEST (UTC+2): 07:30 UTC is 09:30.
  assert.ok(containsTime(ti, utc('2026-03-30T07:30:00Z')));
  assert.ok(!containsTime(ti, utc('2026-03-30T06:30:00Z')));
  assert.ok(containsTime(ti, utc('2026-03-30T14:59:00Z')));
  assert.ok(!containsTime(ti, utc('2026-03-30T15:00:00Z')), 'end_time is exclusive: 17:00 CEST');
  // The weekend in Berlin, whatever the UTC date says: Friday 23:30 UTC is Saturday 00:30.
  assert.ok(!containsTime(parse({ weekdays: ['monday:friday'], location: 'Europe/Berlin' }), utc('2026-03-27T23:30:00Z')));
  // And back in October (DST ends 25 October 2026 at 03:00): Monday 26 Oct 08:30 UTC is 09:30 CET.
  assert.ok(containsTime(ti, utc('2026-10-26T08:30:00Z')));
  assert.ok(!containsTime(ti, utc('2026-10-26T07:30:00Z')));
});

test('days_of_month counts from the end of the month in the zone, with the month\'s real length across DST', () => {
  const last = parse({ days_of_month: ['-1'], location: 'Europe/Berlin' });
  // 31 March 2026 23:30 in Berlin (a month with a DST change) is its last day.
  assert.ok(containsTime(last, utc('2026-03-31T21:30:00Z')));
  assert.ok(!containsTime(last, utc('2026-03-30T21:30:00Z')), 'Alertmanager 0.25 took 30 March for the last day');
  // 22:30 UTC on 31 March is 1 April in Berlin.
  assert.ok(!containsTime(last, utc('2026-03-31T22:30:00Z')));
  const range = parse({ days_of_month: ['1:5', '-3:-1'] });
  assert.ok(containsTime(range, utc('2026-02-26T12:00:00Z')), 'February 2026 has 28 days: -3 is the 26th');
  assert.ok(!containsTime(range, utc('2026-02-25T12:00:00Z')));
  assert.ok(containsTime(range, utc('2026-02-03T12:00:00Z')));
});

test('months, years, weekdays by name or number; absent fields do not restrict; UTC by default', () => {
  const ti = parse({ months: ['december', '1:2'], years: ['2026:2027'], weekdays: ['Saturday', 'sunday'] });
  assert.ok(containsTime(ti, utc('2026-12-05T00:00:00Z')), 'a Saturday in December 2026');
  assert.ok(!containsTime(ti, utc('2026-12-07T00:00:00Z')), 'a Monday');
  assert.ok(!containsTime(ti, utc('2028-01-01T00:00:00Z')), 'a Saturday in 2028');
  assert.ok(containsTime(parse({}), utc('2026-06-01T00:00:00Z')));
  assert.ok(containsTime(parse({ times: [{ start_time: '23:00', end_time: '24:00' }] }), utc('2026-06-01T23:59:59Z')));
});

test('bad time intervals are rejected with Alertmanager\'s messages and their path', () => {
  const errors = (v: unknown) => {
    const r = z.object({ time_intervals: timeIntervalsSchema }).safeParse({ time_intervals: v });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  assert.deepEqual(errors([{ name: 'a', time_intervals: [{ weekdays: ['friday:monday'] }] }]), ['time_intervals.0.time_intervals.0.weekdays.0: start day cannot be before end day']);
  assert.deepEqual(errors([{ name: 'a', time_intervals: [{ weekdays: ['funday'] }] }]), ['time_intervals.0.time_intervals.0.weekdays.0: funday is not a valid weekday']);
  assert.deepEqual(errors([{ name: 'a', time_intervals: [{ days_of_month: ['-1:5'] }] }]), ['time_intervals.0.time_intervals.0.days_of_month.0: end day must be negative if start day is negative']);
  assert.deepEqual(errors([{ name: 'a', time_intervals: [{ days_of_month: ['0'] }] }]), ['time_intervals.0.time_intervals.0.days_of_month.0: 0 is not a valid day of the month: out of range']);
  assert.deepEqual(errors([{ name: 'a', time_intervals: [{ days_of_month: ['10:-25'] }] }]), ['time_intervals.0.time_intervals.0.days_of_month.0: end day -25 is always before start day 10']);
  assert.deepEqual(errors([{ name: 'a', time_intervals: [{ months: ['march:january'] }] }]), ['time_intervals.0.time_intervals.0.months.0: end month january is before start month march']);
  assert.deepEqual(errors([{ name: 'a', time_intervals: [{ years: ['2030:2020'] }] }]), ['time_intervals.0.time_intervals.0.years.0: end year 2020 is before start year 2030']);
  assert.deepEqual(errors([{ name: 'a', time_intervals: [{ times: [{ start_time: '10:00', end_time: '09:00' }] }] }]), [
    'time_intervals.0.time_intervals.0.times.0: start time cannot be equal or greater than end time',
  ]);
  assert.deepEqual(errors([{ name: 'a', time_intervals: [{ times: [{ start_time: '9:00', end_time: '10:00' }] }] }]), [
    "time_intervals.0.time_intervals.0.times.0: couldn't parse timestamp 9:00, invalid format",
  ]);
  assert.deepEqual(errors([{ name: 'a', time_intervals: [{ times: [{ start_time: '09:00' }] }] }]), ['time_intervals.0.time_intervals.0.times.0: both start and end times must be provided']);
  assert.deepEqual(errors([{ name: 'a', time_intervals: [{ location: 'Mars/Olympus' }] }]), ['time_intervals.0.time_intervals.0.location: unknown time zone Mars/Olympus']);
  assert.deepEqual(errors([{ time_intervals: [] }]), ['time_intervals.0.name: missing name in time interval']);
});

test('the route stages: mute_time_intervals mute while inside, active_time_intervals mute while outside', () => {
  const intervals = new Map([['weekend', [parse({ weekdays: ['saturday', 'sunday'] })]]]);
  const mute = new TimeMuteStage(intervals);
  const active = new TimeActiveStage(intervals);
  const sat = utc('2026-12-05T12:00:00Z');
  const mon = utc('2026-12-07T12:00:00Z');
  const route = (m: string[], a: string[]) => ({ receiver: 'r', muteTimeIntervals: m, activeTimeIntervals: a });
  const alert = { fingerprint: 'f', labels: {} };
  assert.deepEqual(mute.mutedBy(alert, sat, route(['weekend'], [])), ['weekend']);
  assert.deepEqual(mute.mutedBy(alert, mon, route(['weekend'], [])), []);
  assert.deepEqual(active.mutedBy(alert, mon, route([], ['weekend'])), ['weekend']);
  assert.deepEqual(active.mutedBy(alert, sat, route([], ['weekend'])), []);
  assert.deepEqual(active.mutedBy(alert, mon, route([], [])), []);
});

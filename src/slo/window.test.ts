import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeWindow, periodAt, promDuration } from './window.js';

const iso = (p: { start: number; end: number }) => [new Date(p.start).toISOString(), new Date(p.end).toISOString()];

describe('SLO windows', () => {
  test('rolling: the window before now', () => {
    assert.deepEqual(periodAt({ kind: 'rolling', ms: 3600_000 }, 7200_000), { start: 3600_000, end: 7200_000 });
  });

  test('calendar month in UTC (the default) and in a time zone', () => {
    const t = Date.UTC(2026, 10, 30, 23, 30); // 2026-11-30T23:30Z: still November in UTC, December in Berlin
    assert.deepEqual(iso(periodAt({ kind: 'calendar', unit: 'month', count: 1, zone: 'UTC' }, t)), ['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z']);
    assert.deepEqual(iso(periodAt({ kind: 'calendar', unit: 'month', count: 1, zone: 'Europe/Berlin' }, t)), ['2026-11-30T23:00:00.000Z', '2026-12-31T23:00:00.000Z']);
  });

  test('weeks start on Monday; quarters and years', () => {
    const t = Date.UTC(2026, 4, 14, 12); // Thursday 2026-05-14
    assert.deepEqual(iso(periodAt({ kind: 'calendar', unit: 'week', count: 1, zone: 'UTC' }, t)), ['2026-05-11T00:00:00.000Z', '2026-05-18T00:00:00.000Z']);
    assert.deepEqual(iso(periodAt({ kind: 'calendar', unit: 'quarter', count: 1, zone: 'UTC' }, t)), ['2026-04-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z']);
    assert.deepEqual(iso(periodAt({ kind: 'calendar', unit: 'year', count: 1, zone: 'UTC' }, t)), ['2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  });

  test('OpenSLO calendars: periods of several units from a start time, across DST', () => {
    const w = { kind: 'calendar', unit: 'week', count: 2, zone: 'America/New_York', anchor: '2020-01-21T12:30' } as const;
    // Periods start every other Tuesday 12:30 local; this one spans the spring-forward of 2026-03-08.
    const p = periodAt(w, Date.UTC(2026, 2, 10, 12));
    assert.deepEqual(iso(p), ['2026-02-24T17:30:00.000Z', '2026-03-10T16:30:00.000Z']);
    assert.deepEqual(iso(periodAt(w, p.end)), ['2026-03-10T16:30:00.000Z', '2026-03-24T16:30:00.000Z']);
    assert.deepEqual(iso(periodAt(w, p.end - 1)), iso(p));
  });

  test('durations as Sloth names windows, and as PromQL ranges', () => {
    assert.deepEqual([300_000, 1_800_000, 3_600_000, 86_400_000, 30 * 86_400_000, 90_000, 1_234].map(promDuration), ['5m', '30m', '1h', '1d', '30d', '90s', '1s234ms']);
    assert.equal(describeWindow({ kind: 'calendar', unit: 'month', count: 1, zone: 'Europe/Berlin' }), 'month (Europe/Berlin)');
    assert.equal(describeWindow({ kind: 'rolling', ms: 28 * 86_400_000 }), '28d');
  });
});

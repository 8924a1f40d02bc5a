// The server's own zone must not matter: run these far from every zone under test.
process.env.TZ = 'Pacific/Kiritimati';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatInZone, parseClock, parseInstant, parsePlain, resolve, toPlain } from './local-time.js';

const P = (s: string): number => {
  const p = parsePlain(s);
  assert.ok(p !== undefined, s);
  return p;
};
const Z = (s: string): number => Date.parse(s);

test('resolve: wall-clock times to instants across European and American DST changes', () => {
  const cases: Array<[zone: string, local: string, instant: string, why: string]> = [
    ['Europe/Berlin', '2026-01-15T09:00', '2026-01-15T08:00:00Z', 'winter, CET'],
    ['Europe/Berlin', '2026-07-15T09:00', '2026-07-15T07:00:00Z', 'summer, CEST'],
    ['Europe/Berlin', '2026-03-29T01:59', '2026-03-29T00:59:00Z', 'just before spring forward'],
    ['Europe/Berlin', '2026-03-29T02:00', '2026-03-29T01:00:00Z', 'skipped: the moment clocks jump'],
    ['Europe/Berlin', '2026-03-29T02:30', '2026-03-29T01:00:00Z', 'skipped: the moment clocks jump'],
    ['Europe/Berlin', '2026-03-29T03:00', '2026-03-29T01:00:00Z', 'first valid time after the jump'],
    ['Europe/Berlin', '2026-10-25T02:30', '2026-10-25T00:30:00Z', 'repeated: first occurrence (CEST)'],
    ['Europe/Berlin', '2026-10-25T03:00', '2026-10-25T02:00:00Z', 'after fall back'],
    ['America/New_York', '2026-03-08T02:30', '2026-03-08T07:00:00Z', 'skipped hour in New York'],
    ['America/New_York', '2026-11-01T01:30', '2026-11-01T05:30:00Z', 'repeated hour in New York: EDT first'],
    ['America/New_York', '2026-11-01T02:00', '2026-11-01T07:00:00Z', 'after fall back'],
    ['Australia/Lord_Howe', '2026-10-04T02:15', '2026-10-03T15:30:00Z', 'half-hour DST jump'],
    ['Asia/Kolkata', '2026-03-29T02:30', '2026-03-28T21:00:00Z', 'no DST, +05:30'],
  ];
  for (const [zone, local, instant, why] of cases) {
    assert.equal(new Date(resolve(P(local), zone)).toISOString(), new Date(Z(instant)).toISOString(), `${zone} ${local}: ${why}`);
  }
});

test('resolve is monotonic through DST gaps and overlaps, minute by minute', () => {
  for (const [zone, day] of [
    ['Europe/Berlin', '2026-03-29T00:00'],
    ['Europe/Berlin', '2026-10-25T00:00'],
    ['America/New_York', '2026-03-08T00:00'],
    ['America/New_York', '2026-11-01T00:00'],
  ] as const) {
    let prev = -Infinity;
    for (let m = 0; m < 6 * 60; m++) {
      const t = resolve(P(day) + m * 60_000, zone);
      assert.ok(t >= prev, `${zone} +${m}m went back`);
      prev = t;
    }
  }
});

test('toPlain is the inverse of resolve for times that exist', () => {
  for (const zone of ['Europe/Berlin', 'America/Los_Angeles', 'Asia/Tokyo', 'UTC']) {
    for (const local of ['2026-03-01T12:34', '2026-06-30T23:59', '2026-12-31T00:00']) assert.equal(toPlain(resolve(P(local), zone), zone), P(local));
  }
});

test('parsers', () => {
  assert.equal(parsePlain('2026-11-02T09:00'), Date.UTC(2026, 10, 2, 9));
  assert.equal(parsePlain('2026-11-02 09:00:30'), Date.UTC(2026, 10, 2, 9, 0, 30));
  assert.equal(parsePlain('2026-02-30T09:00'), undefined);
  assert.equal(parsePlain('2026-11-02'), undefined);
  assert.equal(parseClock('00:00'), 0);
  assert.equal(parseClock('24:00'), 86_400_000);
  assert.equal(parseClock('17:30'), (17 * 60 + 30) * 60_000);
  assert.equal(parseClock('24:30'), undefined);
  assert.equal(parseClock('9:00'), undefined);
  assert.equal(parseInstant('2026-12-24T00:00', 'Europe/Berlin'), Z('2026-12-23T23:00:00Z'));
  assert.equal(parseInstant('2026-12-24T00:00:00Z', 'Europe/Berlin'), Z('2026-12-24T00:00:00Z'));
  assert.equal(parseInstant('2026-12-24T00:00:00-05:00', 'Europe/Berlin'), Z('2026-12-24T05:00:00Z'));
  assert.equal(parseInstant('yesterday', 'UTC'), undefined);
  assert.equal(formatInZone(Z('2026-07-01T07:00:00Z'), 'Europe/Berlin'), '2026-07-01T09:00:00+02:00');
});

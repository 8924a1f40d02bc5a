// The server's own zone must not matter: run these far from every zone under test.
process.env.TZ = 'Pacific/Kiritimati';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseClock, parsePlain } from './local-time.js';
import { finalShifts, layerShifts, restrictionWindows, shiftAt, whoIsOnCall, type Layer, type Restriction, type Schedule, type Weekday } from './schedule.js';

const DAY = 86_400_000;
const H = 3_600_000;
const P = (s: string): number => parsePlain(s) as number;
const Z = (s: string): number => Date.parse(s);
const iso = (t: number): string => new Date(t).toISOString().replace('.000Z', 'Z');
const R = (from: string, to: string, days: Weekday[] = []): Restriction => ({ days, from: parseClock(from) as number, to: parseClock(to) as number });
const layer = (l: Partial<Layer> & Pick<Layer, 'start' | 'members'>): Layer => ({ name: 'l', turn: 7 * DAY, restrictions: [], ...l });
const show = (shifts: Array<{ start: number; end: number; person: string; layer: string }>) => shifts.map((s) => `${iso(s.start)} ${iso(s.end)} ${s.person} ${s.layer}`);

test('rotations hand off at the local wall-clock time across DST changes', () => {
  const cases: Array<{ why: string; zone: string; turn: number; start: string; at: string; want: Array<[string, string, string]> }> = [
    {
      why: 'weekly Berlin 09:00 handoff: the week over the October change is 7d+1h',
      zone: 'Europe/Berlin',
      turn: 7 * DAY,
      start: '2026-10-19T09:00',
      at: '2026-10-19T07:00:00Z',
      want: [
        ['2026-10-19T07:00:00Z', '2026-10-26T08:00:00Z', 'alice'],
        ['2026-10-26T08:00:00Z', '2026-11-02T08:00:00Z', 'bob'],
      ],
    },
    {
      why: 'weekly Berlin 09:00 handoff: the week over the March change is 7d-1h',
      zone: 'Europe/Berlin',
      turn: 7 * DAY,
      start: '2026-03-23T09:00',
      at: '2026-03-23T08:00:00Z',
      want: [
        ['2026-03-23T08:00:00Z', '2026-03-30T07:00:00Z', 'alice'],
        ['2026-03-30T07:00:00Z', '2026-04-06T07:00:00Z', 'bob'],
      ],
    },
    {
      why: 'daily New York 08:00 handoff: 25h on the November night, 23h on the March night',
      zone: 'America/New_York',
      turn: DAY,
      start: '2026-10-31T08:00',
      at: '2026-10-31T12:00:00Z',
      want: [
        ['2026-10-31T12:00:00Z', '2026-11-01T13:00:00Z', 'alice'],
        ['2026-11-01T13:00:00Z', '2026-11-02T13:00:00Z', 'bob'],
      ],
    },
    {
      why: '12h New York rotation keeps 08:00 and 20:00: the night shift is 13h in November',
      zone: 'America/New_York',
      turn: 12 * H,
      start: '2026-10-31T08:00',
      at: '2026-10-31T12:00:00Z',
      want: [
        ['2026-10-31T12:00:00Z', '2026-11-01T00:00:00Z', 'alice'],
        ['2026-11-01T00:00:00Z', '2026-11-01T13:00:00Z', 'bob'],
        ['2026-11-01T13:00:00Z', '2026-11-02T01:00:00Z', 'alice'],
      ],
    },
    {
      why: '12h New York rotation keeps 08:00 and 20:00: the night shift is 11h in March',
      zone: 'America/New_York',
      turn: 12 * H,
      start: '2026-03-07T08:00',
      at: '2026-03-07T13:00:00Z',
      want: [
        ['2026-03-07T13:00:00Z', '2026-03-08T01:00:00Z', 'alice'],
        ['2026-03-08T01:00:00Z', '2026-03-08T12:00:00Z', 'bob'],
        ['2026-03-08T12:00:00Z', '2026-03-09T00:00:00Z', 'alice'],
      ],
    },
    {
      why: '12h Berlin rotation at 02:30: the skipped 02:30 hands off when the clocks jump',
      zone: 'Europe/Berlin',
      turn: 12 * H,
      start: '2026-03-28T14:30',
      at: '2026-03-28T13:30:00Z',
      want: [
        ['2026-03-28T13:30:00Z', '2026-03-29T01:00:00Z', 'alice'],
        ['2026-03-29T01:00:00Z', '2026-03-29T12:30:00Z', 'bob'],
        ['2026-03-29T12:30:00Z', '2026-03-30T00:30:00Z', 'alice'],
      ],
    },
  ];
  for (const c of cases) {
    const l = layer({ turn: c.turn, start: P(c.start), members: ['alice', 'bob'] });
    const from = Z(c.at);
    const to = Z(c.want[c.want.length - 1]?.[1] as string);
    assert.deepEqual(
      show(layerShifts(l, c.zone, from, to)),
      c.want.map(([s, e, p]) => `${s} ${e} ${p} l`),
      c.why,
    );
  }
});

test('a layer covers nothing before its start or after its end; turns are counted from the start', () => {
  const l = layer({ turn: DAY, start: P('2026-11-02T09:00'), end: P('2026-11-05T09:00'), members: ['a', 'b', 'c'] });
  const shifts = layerShifts(l, 'UTC', Z('2026-10-01T00:00:00Z'), Z('2026-12-01T00:00:00Z'));
  assert.deepEqual(show(shifts), [
    '2026-11-02T09:00:00Z 2026-11-03T09:00:00Z a l',
    '2026-11-03T09:00:00Z 2026-11-04T09:00:00Z b l',
    '2026-11-04T09:00:00Z 2026-11-05T09:00:00Z c l',
  ]);
  // Far in the future, the turn index is computed, not iterated: member (days mod 3).
  const far = layer({ turn: H, start: P('2020-01-01T00:00'), members: ['a', 'b', 'c'] });
  const t = Z('2036-01-01T00:30:00Z');
  const hours = Math.floor((t - Z('2020-01-01T00:00:00Z')) / H);
  assert.equal(layerShifts(far, 'UTC', t, t + 1)[0]?.person, ['a', 'b', 'c'][hours % 3]);
});

test('restriction windows: weekdays, past midnight, and across DST', () => {
  const berlin = 'Europe/Berlin';
  const w = (r: Restriction[], zone: string, from: string, to: string) => restrictionWindows(r, zone, Z(from), Z(to)).map(([s, e]) => `${iso(s)} ${iso(e)}`);
  assert.deepEqual(w([R('09:00', '17:00', ['fri', 'mon'])], berlin, '2026-11-06T00:00:00Z', '2026-11-10T00:00:00Z'), [
    '2026-11-06T08:00:00Z 2026-11-06T16:00:00Z',
    '2026-11-09T08:00:00Z 2026-11-09T16:00:00Z',
  ]);
  // A window whose `to` is not after its `from` runs past midnight; `days` names the day it starts.
  assert.deepEqual(w([R('22:00', '06:00', ['fri'])], berlin, '2026-11-05T00:00:00Z', '2026-11-10T00:00:00Z'), ['2026-11-06T21:00:00Z 2026-11-07T05:00:00Z']);
  // Started the day before the range: still counted.
  assert.deepEqual(w([R('22:00', '06:00', ['fri'])], berlin, '2026-11-07T00:00:00Z', '2026-11-08T00:00:00Z'), ['2026-11-07T00:00:00Z 2026-11-07T05:00:00Z']);
  // Equal from and to: the whole day, 23 hours on the spring-forward day.
  assert.deepEqual(w([R('00:00', '00:00', ['sun'])], berlin, '2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z'), ['2026-03-28T23:00:00Z 2026-03-29T22:00:00Z']);
  // 01:00–04:00 local on the spring-forward night lasts two hours.
  assert.deepEqual(w([R('01:00', '04:00', ['sun'])], berlin, '2026-03-29T00:00:00Z', '2026-03-30T00:00:00Z'), ['2026-03-29T00:00:00Z 2026-03-29T02:00:00Z']);
  // Overlapping windows merge; to 24:00 ends at midnight.
  assert.deepEqual(w([R('08:00', '12:00'), R('11:00', '24:00')], 'UTC', '2026-11-02T00:00:00Z', '2026-11-03T00:00:00Z'), ['2026-11-02T08:00:00Z 2026-11-03T00:00:00Z']);
});

/** The example schedule. */
const shopPrimary: Schedule = {
  name: 'shop-primary',
  timeZone: 'Europe/Berlin',
  layers: [
    layer({ name: 'weekly', turn: 7 * DAY, start: P('2026-11-02T09:00'), members: ['alice', 'bob'] }),
    layer({ name: 'business-hours-cover', turn: DAY, start: P('2026-11-02T09:00'), members: ['carol'], restrictions: [R('09:00', '17:00', ['mon', 'tue', 'wed', 'thu', 'fri'])] }),
  ],
  overrides: [{ person: 'dana', start: Z('2026-12-23T23:00:00Z'), end: Z('2026-12-26T23:00:00Z') }],
};

test('layer precedence, restrictions and overrides: who is on call (the issue example)', () => {
  const cases: Array<[at: string, who: string | undefined, why: string]> = [
    ['2026-11-02T07:59:00Z', undefined, 'before every layer starts'],
    ['2026-11-02T08:00:00Z', 'carol', 'Monday 09:00 Berlin: the higher layer covers business hours'],
    ['2026-11-02T15:59:00Z', 'carol', 'Monday 16:59'],
    ['2026-11-02T16:00:00Z', 'alice', 'Monday 17:00: back to the weekly layer'],
    ['2026-11-07T10:00:00Z', 'alice', 'Saturday: restricted layer is off'],
    ['2026-11-09T07:59:00Z', 'alice', 'Monday 08:59: alice until the 09:00 handoff'],
    ['2026-11-09T17:00:00Z', 'bob', 'second week'],
    ['2026-11-16T17:00:00Z', 'alice', 'third week'],
    ['2026-12-24T10:00:00Z', 'dana', 'the override beats the business-hours layer'],
    ['2026-12-26T22:59:00Z', 'dana', 'last minute of the override'],
    ['2026-12-26T23:00:00Z', 'bob', 'override over (the week of Dec 21 is the eighth: bob)'],
  ];
  for (const [at, who, why] of cases) assert.equal(whoIsOnCall(shopPrimary, Z(at)), who, `${at}: ${why}`);
});

test('final shifts: layers painted in order, joined where the same person continues', () => {
  const shifts = finalShifts(shopPrimary, Z('2026-11-06T00:00:00Z'), Z('2026-11-10T00:00:00Z'));
  assert.deepEqual(show(shifts), [
    '2026-11-06T00:00:00Z 2026-11-06T08:00:00Z alice weekly',
    '2026-11-06T08:00:00Z 2026-11-06T16:00:00Z carol business-hours-cover',
    '2026-11-06T16:00:00Z 2026-11-09T08:00:00Z alice weekly',
    '2026-11-09T08:00:00Z 2026-11-09T16:00:00Z carol business-hours-cover',
    '2026-11-09T16:00:00Z 2026-11-10T00:00:00Z bob weekly',
  ]);
  const sh = shiftAt(shopPrimary, Z('2026-11-07T10:00:00Z'));
  assert.equal(sh && `${iso(sh.start)} ${iso(sh.end)} ${sh.person}`, '2026-11-06T16:00:00Z 2026-11-09T08:00:00Z alice');
});

test('overlapping overrides: the later one wins where they overlap', () => {
  const s: Schedule = {
    ...shopPrimary,
    overrides: [
      { person: 'dana', start: Z('2026-11-07T00:00:00Z'), end: Z('2026-11-07T12:00:00Z') },
      { person: 'erin', start: Z('2026-11-07T06:00:00Z'), end: Z('2026-11-07T08:00:00Z') },
    ],
  };
  const extra = [{ person: 'frank', start: Z('2026-11-07T07:00:00Z'), end: Z('2026-11-07T09:00:00Z'), id: 'o1' }];
  assert.deepEqual(show(finalShifts(s, Z('2026-11-07T00:00:00Z'), Z('2026-11-07T13:00:00Z'), extra)), [
    '2026-11-07T00:00:00Z 2026-11-07T06:00:00Z dana override',
    '2026-11-07T06:00:00Z 2026-11-07T07:00:00Z erin override',
    '2026-11-07T07:00:00Z 2026-11-07T09:00:00Z frank override',
    '2026-11-07T09:00:00Z 2026-11-07T12:00:00Z dana override',
    '2026-11-07T12:00:00Z 2026-11-07T13:00:00Z alice weekly',
  ]);
});

test('a schedule in Los Angeles is the same whatever zone the server runs in', () => {
  const la: Schedule = {
    name: 'la',
    timeZone: 'America/Los_Angeles',
    layers: [layer({ name: 'nights', turn: DAY, start: P('2026-10-30T18:00'), members: ['x', 'y'], restrictions: [R('18:00', '06:00')] })],
    overrides: [],
  };
  assert.deepEqual(show(finalShifts(la, Z('2026-10-31T00:00:00Z'), Z('2026-11-03T00:00:00Z'))), [
    '2026-10-31T01:00:00Z 2026-10-31T13:00:00Z x nights',
    '2026-11-01T01:00:00Z 2026-11-01T14:00:00Z y nights',
    '2026-11-02T02:00:00Z 2026-11-02T14:00:00Z x nights',
  ]);
});

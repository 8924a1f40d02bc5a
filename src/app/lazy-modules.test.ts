import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

/** CommonJS packages the process has loaded so far (ESM code importing them loads them through require). */
const loaded = (pkg: string): boolean => Object.keys(createRequire(import.meta.url).cache).some((p) => p.includes(`/node_modules/${pkg}/`));

test('the server does not load what only a sent mail or a calendar feed needs until then', async () => {
  // Everything `vigil server` imports at start.
  await import('./server-command.js');
  await import('./app.js');
  assert.equal(loaded('nodemailer'), false, 'nodemailer waits for the first mail');
  assert.equal(loaded('@touch4it/ical-timezones'), false, 'the iCalendar zone table waits for the first feed');

  const { shiftsCalendar } = await import('../oncall/index.js');
  const start = Date.UTC(2026, 2, 29, 7);
  const ics = await shiftsCalendar({
    name: 'On call: ops',
    timeZone: 'Europe/Berlin',
    shifts: [{ schedule: 'ops', person: 'ana', start, end: start + 8 * 3600_000, layer: 'primary', timeZone: 'Europe/Berlin' }],
    now: start,
    summary: (s) => `On call: ${s.person}`,
  });
  assert.match(ics, /BEGIN:VTIMEZONE\r?\nTZID:Europe\/Berlin/);
  assert.match(ics, /DTSTART;TZID=Europe\/Berlin:20260329T090000/);
  assert.equal(loaded('@touch4it/ical-timezones'), true);
});

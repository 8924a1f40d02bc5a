import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scheduledReportSchema } from './config.js';
import { nextRun } from './scheduler.js';
import { Fmt, p, table, type ReportDocument } from './document.js';
import { renderHtml, renderMarkdown } from './render.js';
import { summarizeAlerts } from './common.js';
import { fillQuery } from './queries.js';

const schedule = (raw: unknown) => scheduledReportSchema.parse(raw);

test('scheduled times follow the zone across DST; sla runs on the 1st only', () => {
  const daily = schedule({ kind: 'daily', at: '08:00', receivers: ['x'] });
  // Berlin leaves summer time on 2026-10-25: 08:00 is 06:00Z before and 07:00Z after.
  assert.equal(new Date(nextRun(daily, 'Europe/Berlin', Date.UTC(2026, 9, 24, 6, 0))).toISOString(), '2026-10-25T07:00:00.000Z');
  assert.equal(new Date(nextRun(daily, 'Europe/Berlin', Date.UTC(2026, 9, 23, 5, 59))).toISOString(), '2026-10-23T06:00:00.000Z');
  const twice = schedule({ kind: 'handoff', at: ['20:00', '08:00'], receivers: ['x'] });
  assert.equal(new Date(nextRun(twice, 'UTC', Date.UTC(2026, 10, 3, 9, 0))).toISOString(), '2026-11-03T20:00:00.000Z');
  const sla = schedule({ kind: 'sla', at: '09:00', receivers: ['x'] });
  assert.equal(new Date(nextRun(sla, 'UTC', Date.UTC(2026, 10, 3))).toISOString(), '2026-12-01T09:00:00.000Z');
  assert.throws(() => schedule({ kind: 'daily', at: '8am', receivers: ['x'] }), /expected a time of day like/);
  assert.throws(() => schedule({ kind: 'daily', at: '08:00', time_zone: 'Mars/Olympus', receivers: ['x'] }), /IANA time zone/);
});

test('days are calendar days of the zone: 23 and 25 hours on DST days', () => {
  const f = new Fmt('Europe/Berlin');
  const spring = f.dayBounds('2026-03-29');
  assert.equal(spring.to - spring.from, 23 * 3_600_000);
  const autumn = f.dayBounds('2026-10-25');
  assert.equal(autumn.to - autumn.from, 25 * 3_600_000);
  assert.equal(f.day(Date.UTC(2026, 10, 2, 23, 30)), '2026-11-03');
});

test('renderers escape what they are given: table cells in Markdown, everything in HTML', () => {
  const doc: ReportDocument = {
    kind: 'daily',
    title: 'T <b>',
    generatedAt: 0,
    timeZone: 'UTC',
    sections: [{ heading: 'S', blocks: [p('a <script>x</script>'), table(['k', 'v'], [['a|b', 'line\nbreak']])] }],
    data: {},
  };
  const md = renderMarkdown(doc);
  assert.match(md, /\| a\\\|b \| line break \|/);
  const html = renderHtml(doc);
  assert.match(html, /<title>T &lt;b&gt;<\/title>/);
  assert.match(html, /<p>a &lt;script&gt;x&lt;\/script&gt;<\/p>/);
  assert.doesNotMatch(html, /<script>/);
});

test('alert summary counts alerts fired in the period by severity, and which of them resolved', () => {
  const rows = summarizeAlerts(
    [
      { fingerprint: 'a', at: 5, kind: 'fired', labels: { severity: 'critical' } },
      { fingerprint: 'b', at: 6, kind: 'fired', labels: { severity: 'low' } },
      { fingerprint: 'a', at: 8, kind: 'resolved' },
      { fingerprint: 'c', at: 1, kind: 'fired', labels: { severity: 'high' } },
      { fingerprint: 'd', at: 9, kind: 'fired', labels: {} },
    ],
    2,
    10,
  );
  assert.deepEqual(rows, [
    { severity: 'critical', fired: 1, resolved: 1 },
    { severity: 'low', fired: 1, resolved: 0 },
    { severity: 'none', fired: 1, resolved: 0 },
  ]);
});

test('query templates: the service name is escaped, the range in seconds', () => {
  assert.equal(fillQuery('up{job="{{service}}"}[{{ range }}]', 'a"b', 86400), 'up{job="a\\"b"}[86400s]');
});

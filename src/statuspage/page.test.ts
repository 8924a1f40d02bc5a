import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statusPageConfigSchema } from './config.js';
import { StatusPage } from './page.js';
import { MemoryUpdateStore } from './update-store.js';
import { PublicUpdates } from './updates.js';
import { statusJson } from './render-json.js';
import { renderStatusPage } from './render-page.js';
import { renderFeed } from './render-feed.js';
import { componentStatus, overallStatus } from './state.js';
import type { CheckInput, IncidentInput, PlannedWindow } from './types.js';
import { DomainError } from '../model/errors.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const TODAY = Date.UTC(2026, 11, 7);

const check = (name: string, service: string, state: CheckInput['state']): CheckInput => ({ check: { name, service }, state });
const incident = (id: string, over: Partial<IncidentInput> = {}): IncidentInput => ({
  id,
  title: `internal title of ${id}: disk full on db-7 /var/lib/pg`,
  severity: 'critical',
  status: 'triggered',
  services: ['shop-api'],
  openedAt: NOW - 3600_000,
  resolvedAt: null,
  updatedAt: NOW - 3600_000,
  ...over,
});
const window = (over: Partial<PlannedWindow> = {}): PlannedWindow => ({ id: 'mw-1', services: ['shop-db'], start: NOW - 600_000, end: NOW + 600_000, reason: 'Database upgrade', ...over });

test('component state: incidents by severity, maintenance, checks down, worst wins', () => {
  const up = [check('a', 's', 'up'), check('b', 's', 'up')];
  assert.equal(componentStatus('s', up, [], []), 'operational');
  assert.equal(componentStatus('s', [check('a', 's', 'failing'), check('b', 's', 'pending')], [], []), 'operational', 'a failure below the threshold is not an outage yet');
  assert.equal(componentStatus('s', [check('a', 's', 'down'), check('b', 's', 'up')], [], []), 'partial_outage');
  assert.equal(componentStatus('s', [check('a', 's', 'down'), check('b', 's', 'down')], [], []), 'major_outage');
  assert.equal(componentStatus('s', [check('a', 'other', 'down')], [], []), 'operational', "another service's check");
  const inc = (severity: string, status = 'acknowledged') => [incident('INC-2026-0001', { severity, status, services: ['s'] })];
  assert.equal(componentStatus('s', up, inc('critical'), []), 'major_outage');
  assert.equal(componentStatus('s', up, inc('high'), []), 'partial_outage');
  assert.equal(componentStatus('s', up, inc('medium'), []), 'degraded_performance');
  assert.equal(componentStatus('s', up, inc('low'), []), 'degraded_performance');
  assert.equal(componentStatus('s', up, inc('critical', 'mitigated'), []), 'operational', 'a mitigated incident no longer hurts users');
  const mw = [window({ services: ['s'] })];
  assert.equal(componentStatus('s', [check('a', 's', 'down')], [], mw), 'under_maintenance', 'checks failing during maintenance are expected');
  assert.equal(componentStatus('s', up, inc('medium'), mw), 'under_maintenance');
  assert.equal(componentStatus('s', up, inc('critical'), mw), 'major_outage', 'an outage declared during maintenance still shows');
});

test('overall status follows Statuspage: worst component or unresolved incident impact', () => {
  assert.deepEqual(overallStatus(['operational', 'operational'], []), { indicator: 'none', description: 'All Systems Operational' });
  assert.deepEqual(overallStatus(['operational', 'under_maintenance'], []), { indicator: 'maintenance', description: 'Service Under Maintenance' });
  assert.deepEqual(overallStatus(['degraded_performance', 'under_maintenance'], []), { indicator: 'minor', description: 'Partially Degraded Service' });
  assert.deepEqual(overallStatus(['partial_outage', 'degraded_performance'], []), { indicator: 'major', description: 'Partial System Outage' });
  assert.deepEqual(overallStatus(['major_outage', 'operational'], []), { indicator: 'critical', description: 'Major System Outage' });
  assert.deepEqual(overallStatus(['operational'], ['major']), { indicator: 'major', description: 'Partial System Outage' });
  assert.deepEqual(overallStatus([], []), { indicator: 'none', description: 'All Systems Operational' });
});

/** As the incident store lists: newest opened first, then the filter's period and limit. */
function listIncidents(all: readonly IncidentInput[], f: { status: 'open' | 'resolved'; limit?: number; overlapping?: { from: number; to: number } }): IncidentInput[] {
  const o = f.overlapping;
  const sel = [...all]
    .sort((a, b) => b.openedAt - a.openedAt)
    .filter((i) => (f.status === 'open' ? i.status !== 'resolved' : i.status === 'resolved'))
    .filter((i) => !o || (i.openedAt < o.to && (i.resolvedAt === null || i.resolvedAt > o.from)));
  return sel.slice(0, f.limit ?? sel.length);
}

function fixture(over: { incidents?: IncidentInput[]; windows?: { active: PlannedWindow[]; upcoming: PlannedWindow[] } } = {}) {
  const config = statusPageConfigSchema.parse({
    title: 'Example Shop status',
    components: [
      { service: 'shop-api', name: 'Checkout', group: 'Shop' },
      { service: 'shop-db', name: 'Database', group: 'Shop' },
      { service: 'search' },
    ],
  });
  const store = new MemoryUpdateStore();
  const incidents = over.incidents ?? [];
  let now = NOW;
  const page = new StatusPage({
    config,
    checks: { statuses: async () => [check('api-health', 'shop-api', 'up'), check('db-port', 'shop-db', 'down'), check('db-query', 'shop-db', 'up')] },
    incidents: { list: async (f) => listIncidents(incidents, f) },
    ...(over.windows ? { maintenance: { active: () => over.windows!.active, upcoming: () => over.windows!.upcoming, overlapping: () => [] } } : {}),
    updates: store,
    daily: async (checks, from, to) => {
      assert.ok(checks.length > 0);
      assert.equal(to - from, 90 * DAY);
      // shop-api: one bad day 3 days ago; db: data for today only.
      if (checks.includes('api-health')) return [{ day: TODAY - 3 * DAY, total: 100, ok: 90 }, { day: TODAY, total: 100, ok: 100 }];
      return [{ day: TODAY, total: 10, ok: 10 }];
    },
    now: () => now,
  });
  const updates = new PublicUpdates({
    store,
    incident: async (id) => {
      const i = incidents.find((x) => x.id === id);
      if (!i) throw new DomainError('not_found', `incident ${id} not found`);
      return i;
    },
    now: () => now,
    onPosted: async () => page.invalidate(),
  });
  return { page, updates, tick: (ms: number) => (now += ms) };
}

test('snapshot: components with state and 90 daily bars; an incident is public only once it has a public update', async () => {
  const open = incident('INC-2026-0001');
  const { page, updates, tick } = fixture({ incidents: [open] });
  let s = await page.snapshot();
  assert.deepEqual(
    s.components.map((c) => [c.name, c.group, c.status]),
    [
      ['Checkout', 'Shop', 'major_outage'],
      ['Database', 'Shop', 'partial_outage'],
      ['search', null, 'operational'],
    ],
  );
  assert.equal(s.active.length, 0, 'no public update yet: the impact shows, the incident does not');
  assert.equal(s.status.indicator, 'critical');
  const bars = s.components[0]!.uptime;
  assert.equal(bars.days.length, 90);
  assert.equal(bars.days[89]!.date, '2026-12-07');
  assert.equal(bars.days[86]!.ratio, 0.9);
  assert.equal(bars.days[0]!.ratio, null);
  assert.equal(bars.ratio, 190 / 200);
  assert.equal(s.components[2]!.uptime.ratio, null, 'a component without checks has no uptime data');

  await updates.post('INC-2026-0001', { status: 'investigating', message: 'Some payments fail. We are looking into it.', title: 'Checkout errors' }, 'alice');
  tick(60_000);
  await updates.post('INC-2026-0001', { status: 'identified', message: 'A database node ran out of disk; <b>fix</b> under way.' }, 'alice');
  s = await page.snapshot();
  assert.equal(s.active.length, 1);
  const pub = s.active[0]!;
  assert.equal(pub.name, 'Checkout errors', 'the public title, not the internal one');
  assert.equal(pub.status, 'identified');
  assert.deepEqual(pub.components, ['Checkout']);
  assert.deepEqual(pub.updates.map((u) => u.status), ['identified', 'investigating']);

  const json = statusJson(s, 'https://status.example.com/status');
  assert.deepEqual(Object.keys(json), ['status', 'components', 'incidents', 'maintenance']);
  assert.deepEqual(json.components[1], { name: 'Database', service: 'shop-db', group: 'Shop', status: 'partial_outage' });
  const html = renderStatusPage(s, { base: '/status', json: '/status.json', feed: '/status/feed.atom' }, { email: true, webhook: false });
  const feed = renderFeed(s, 'https://status.example.com/status');
  for (const [what, text] of [['json', JSON.stringify(json)], ['html', html], ['feed', feed]] as const) {
    assert.ok(!text.includes('disk full on db-7'), `${what} leaks the internal title`);
    assert.ok(!text.includes('alice'), `${what} names the author`);
  }
  assert.ok(html.includes('&lt;b&gt;fix&lt;/b&gt;'), 'messages are escaped');
  assert.ok(!html.includes('<script'), 'the page needs no JavaScript');
  assert.ok(feed.includes('<title>Checkout errors (identified)</title>'));
  assert.ok(feed.includes('&amp;lt;b&amp;gt;fix'), 'feed content is escaped HTML, escaped again as XML text');
});

test('resolved incidents move to past ones, and age out; maintenance covering a component shows', async () => {
  const done = incident('INC-2026-0002', { status: 'resolved', resolvedAt: NOW - 2 * DAY, severity: 'high' });
  const old = incident('INC-2026-0003', { status: 'resolved', resolvedAt: NOW - 20 * DAY });
  const internalOnly = window({ id: 'mw-internal', services: ['billing-batch'] });
  const { page, updates } = fixture({ incidents: [done, old], windows: { active: [window(), internalOnly], upcoming: [window({ id: 'mw-2', services: ['shop-api'], start: NOW + DAY, end: NOW + DAY + 3600_000, reason: 'Payment provider switch' })] } });
  await updates.post('INC-2026-0002', { status: 'resolved', message: 'Fixed.' }, 'bob');
  await updates.post('INC-2026-0003', { status: 'resolved', message: 'Fixed long ago.' }, 'bob');
  const s = await page.snapshot();
  assert.deepEqual(s.active, []);
  assert.deepEqual(s.past.map((i) => [i.id, i.status]), [['INC-2026-0002', 'resolved']]);
  assert.deepEqual(s.maintenance.map((m) => [m.id, m.status, m.components]), [
    ['mw-1', 'in_progress', ['Database']],
    ['mw-2', 'scheduled', ['Checkout']],
  ]);
  assert.equal(s.components[1]!.status, 'under_maintenance');
  assert.equal(s.status.indicator, 'maintenance');
});

test('past incidents: every one resolved in the period, a long-running one behind hundreds of short ones too', async () => {
  const short = Array.from({ length: 600 }, (_, n) => incident(`INC-2026-${String(1000 + n)}`, { status: 'resolved', openedAt: NOW - DAY + n * 1000, resolvedAt: NOW - DAY + n * 1000 + 60_000 }));
  const long = incident('INC-2026-0009', { status: 'resolved', openedAt: NOW - 30 * DAY, resolvedAt: NOW - DAY });
  const { page, updates } = fixture({ incidents: [...short, long] });
  await updates.post('INC-2026-0009', { status: 'resolved', message: 'The month-long degradation is over.' }, 'bob');
  await updates.post('INC-2026-1599', { status: 'resolved', message: 'Fixed.' }, 'bob');
  const s = await page.snapshot();
  assert.deepEqual(s.past.map((i) => i.id), ['INC-2026-1599', 'INC-2026-0009']);
});

test('public updates: validated, unknown incidents refused', async () => {
  const { updates } = fixture({ incidents: [incident('INC-2026-0001')] });
  await assert.rejects(updates.post('INC-2026-0001', { status: 'investigating', message: '   ' }, 'a'), /message must not be empty/);
  await assert.rejects(updates.post('INC-2026-0001', { status: 'investigating', message: 'x'.repeat(10_001) }, 'a'), /at most 10000/);
  await assert.rejects(updates.post('INC-2026-0001', { status: 'investigating', message: 'bell \u0007' }, 'a'), /control character/);
  await assert.rejects(updates.post('INC-2026-0001', { status: 'investigating', message: 'ok', title: '' }, 'a'), /title must not be empty/);
  await assert.rejects(updates.post('INC-2026-0009', { status: 'investigating', message: 'ok' }, 'a'), /not found/);
  const u = await updates.post('INC-2026-0001', { status: 'monitoring', message: 'line one\r\nline two' }, 'a');
  assert.equal(u.message, 'line one\nline two');
});

test('the snapshot is cached briefly and rebuilt after an update', async () => {
  const { page, updates, tick } = fixture({ incidents: [incident('INC-2026-0001')] });
  const a = await page.snapshot();
  assert.equal(await page.snapshot(), a);
  tick(6000);
  const b = await page.snapshot();
  assert.notEqual(b, a);
  await updates.post('INC-2026-0001', { status: 'investigating', message: 'Looking.' }, 'a');
  assert.equal((await page.snapshot()).active.length, 1);
});

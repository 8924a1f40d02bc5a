import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryIncidentRepo, type Incident, type IncidentFilter } from '../incidents/index.js';
import { reportingConfigSchema } from './config.js';
import { dailyReport } from './daily-report.js';
import { handoffReport } from './handoff-report.js';
import { slaReport } from './sla-report.js';
import type { ReportSources } from './sources.js';

const at = (iso: string) => Date.parse(iso);
const incident = (n: number, opened: string, resolved: string | null): Incident => ({
  id: `INC-2026-${String(n).padStart(4, '0')}`, title: `i${n}`, severity: 'high', status: resolved === null ? 'triggered' : 'resolved',
  services: ['api'], assignee: null, openedAt: at(opened), acknowledgedAt: null, acknowledgedBy: null, mitigatedAt: null,
  resolvedAt: resolved === null ? null : at(resolved), resolvedBy: null, acknowledgedSeverity: null, resolvedSeverity: null, updatedAt: at(opened),
});

// Around the day 2026-11-03 (UTC).
const ROWS = [
  incident(1, '2026-11-01T10:00:00Z', '2026-11-02T10:00:00Z'), // before the day: out
  incident(2, '2026-11-02T20:00:00Z', null), // started the day before, still open: in
  incident(3, '2026-11-02T22:00:00Z', '2026-11-03T00:00:00Z'), // resolved exactly as the day began: resolved that day
  incident(4, '2026-11-03T10:00:00Z', '2026-11-03T11:00:00Z'), // inside: in
  incident(5, '2026-11-04T01:00:00Z', null), // after the day: out
  incident(6, '2026-11-02T23:00:00Z', '2026-11-02T23:59:59.999Z'), // resolved a millisecond before the day: out
  incident(7, '2026-10-20T10:00:00Z', '2026-10-21T10:00:00Z'), // the month before: out of November's SLA report
];

async function sources(now: string): Promise<{ src: ReportSources; filters: IncidentFilter[] }> {
  const repo = new MemoryIncidentRepo();
  for (const r of ROWS) await repo.insert(r);
  const filters: IncidentFilter[] = [];
  const src: ReportSources = {
    now: () => at(now),
    incidents: {
      list: (f) => (filters.push(f), repo.list(f)),
      detail: async (id) => ({ incident: ROWS.find((r) => r.id === id)!, timeline: [], alerts: [] }) as never,
    },
    followups: { postmortem: async () => assert.fail('not read'), actionItems: async () => [] },
    services: async () => [],
    alertHistory: async () => [],
    query: async () => [],
  };
  return { src, filters };
}

/** Every list a report made asked the store for a period or for open incidents only: none read the whole table. */
const onlyWhatIsNeeded = (filters: readonly IncidentFilter[]) => {
  assert.ok(filters.length > 0);
  for (const f of filters) assert.ok(f.overlapping !== undefined || f.status === 'open', JSON.stringify(f));
};

const cfg = reportingConfigSchema.parse({});

test('daily report: reads only the day from the store; an incident opened before the day and still open is in, those outside are not', async () => {
  const { src, filters } = await sources('2026-11-05T08:00:00Z');
  const doc = await dailyReport(src, cfg, '2026-11-03');
  onlyWhatIsNeeded(filters);
  assert.deepEqual(doc.data['incidents'], { total: 3, open: ['INC-2026-0002'], resolved: ['INC-2026-0003', 'INC-2026-0004'] });
});

test('handoff report: recent changes come from the shift only, one resolved as it began included', async () => {
  const { src, filters } = await sources('2026-11-03T12:00:00Z');
  const doc = await handoffReport(src, cfg); // the default 12h shift: from 2026-11-03T00:00Z
  onlyWhatIsNeeded(filters);
  const changes = (doc.data['changes'] as string[]).map((c) => c.replace(/^.*?(INC-\d+-\d+ \w+).*$/, '$1'));
  assert.deepEqual(changes.sort(), ['INC-2026-0003 resolved', 'INC-2026-0004 opened', 'INC-2026-0004 resolved', 'INC-2026-0005 opened']);
});

test('SLA report: the month’s incidents, none of the month before', async () => {
  const { src, filters } = await sources('2026-12-01T09:00:00Z');
  const doc = await slaReport(src, cfg, '2026-11');
  onlyWhatIsNeeded(filters);
  assert.deepEqual((doc.data['incidents'] as { id: string }[]).map((i) => i.id), ['INC-2026-0001', 'INC-2026-0002', 'INC-2026-0003', 'INC-2026-0006', 'INC-2026-0004', 'INC-2026-0005']);
});

import type { Incident } from '../incidents/index.js';
import { Fmt, duration, p, table, type Block } from './document.js';
import type { AlertRecord, MaintenanceWindow, ReportSources } from './sources.js';

/**
 * Incidents opened before `to` and not resolved before `from`, oldest first: the store
 * selects them, nothing else is read. An incident resolved exactly at `from` counts (it was
 * resolved during the period); the store's `overlapping` excludes it, so ask from a
 * millisecond earlier (timestamps are whole milliseconds).
 */
export async function incidentsDuring(src: ReportSources, from: number, to: number): Promise<Incident[]> {
  const list = await src.incidents.list({ status: 'all', overlapping: { from: Math.ceil(from) - 1, to } });
  return list.sort((a, b) => a.openedAt - b.openedAt);
}

export function incidentRows(list: readonly Incident[], fmt: Fmt, now: number): string[][] {
  return list.map((i) => [i.id, i.severity, i.status, i.title, i.services.join(', ') || '—', fmt.time(i.openedAt), i.resolvedAt === null ? '—' : fmt.time(i.resolvedAt), i.resolvedAt === null ? `${duration(now - i.openedAt)} (ongoing)` : duration(i.resolvedAt - i.openedAt)]);
}
export const INCIDENT_COLUMNS = ['Incident', 'Severity', 'Status', 'Title', 'Services', 'Opened', 'Resolved', 'Duration'];

export interface AlertSummaryRow {
  readonly severity: string;
  readonly fired: number;
  readonly resolved: number;
}

const ORDER = ['critical', 'high', 'medium', 'low'];

/** Alerts that fired in [from, to) by severity, and how many of them resolved by `to`. */
export function summarizeAlerts(records: readonly AlertRecord[], from: number, to: number): AlertSummaryRow[] {
  const fired = new Map<string, { severity: string; at: number }>();
  const resolved = new Set<string>();
  for (const r of records) {
    if (r.at >= to) continue;
    if (r.kind === 'fired' && r.at >= from) fired.set(`${r.fingerprint}@${r.at}`, { severity: r.labels?.['severity'] ?? 'none', at: r.at });
  }
  for (const r of records) {
    if (r.kind !== 'resolved' || r.at >= to) continue;
    for (const [k, f] of fired) if (k.startsWith(`${r.fingerprint}@`) && f.at <= r.at) resolved.add(k);
  }
  const rows = new Map<string, { fired: number; resolved: number }>();
  for (const [k, f] of fired) {
    const row = rows.get(f.severity) ?? { fired: 0, resolved: 0 };
    row.fired++;
    if (resolved.has(k)) row.resolved++;
    rows.set(f.severity, row);
  }
  const rank = (s: string) => (ORDER.includes(s) ? ORDER.indexOf(s) : ORDER.length);
  return [...rows.entries()].sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : 1)).map(([severity, r]) => ({ severity, ...r }));
}

export async function maintenanceBlocks(src: ReportSources, from: number, to: number, fmt: Fmt): Promise<{ blocks: Block[]; windows: MaintenanceWindow[] }> {
  if (!src.maintenance) return { blocks: [p('No maintenance windows are configured.')], windows: [] };
  const windows = await src.maintenance.between(from, to);
  if (windows.length === 0) return { blocks: [p('No maintenance in this period.')], windows };
  return { blocks: [table(['Services', 'Start', 'End', 'Reason'], windows.map((w) => [w.services.join(', '), fmt.time(w.start), fmt.time(w.end), w.reason]))], windows };
}

/** Problems the report ran into (a query that failed): said at the end, never hidden. */
export function problemsSection(errors: readonly string[]): { heading: string; blocks: Block[] }[] {
  return errors.length ? [{ heading: 'Data problems', blocks: [p('Some figures could not be computed:'), { type: 'list', items: [...errors] }] }] : [];
}

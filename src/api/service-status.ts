import type { AlertView, CheckView, IncidentView, ServiceState, ServiceView } from './schemas/index.js';

export interface DeclaredService {
  readonly name: string;
  readonly description?: string | undefined;
  readonly owner?: string | undefined;
  readonly tier?: string | undefined;
}

const ORDER: Record<ServiceState, number> = { down: 0, degraded: 1, unknown: 2, maintenance: 3, up: 4 };
const ACTIVE = new Set(['triggered', 'acknowledged']);

/**
 * Each service's state from what Vigil knows of it: its checks, the alerts firing with its
 * `service` label, and its open incidents. Services named by a check, alert or incident but
 * not declared under `services:` are listed too. Most troubled first.
 */
export function serviceStatus(
  declared: readonly DeclaredService[],
  checks: readonly CheckView[],
  alerts: readonly AlertView[],
  incidents: readonly IncidentView[],
  /** The maintenance windows active now for a service (its alerts are muted). */
  maintenance: (service: string) => readonly { readonly reason: string; readonly end: number }[] = () => [],
): ServiceView[] {
  const names = new Set(declared.map((s) => s.name));
  for (const c of checks) if (c.service) names.add(c.service);
  for (const a of alerts) if (a.status === 'firing' && a.labels['service']) names.add(a.labels['service']);
  for (const i of incidents) for (const s of i.services) names.add(s);
  const byName = new Map(declared.map((s) => [s.name, s]));

  const out = [...names].map((name): ServiceView => {
    const decl = byName.get(name);
    const mine = checks.filter((c) => c.service === name);
    const firing = alerts.filter((a) => a.status === 'firing' && a.labels['service'] === name);
    const open = incidents.filter((i) => i.status !== 'resolved' && i.services.includes(name));
    const count = (s: CheckView['state']) => mine.filter((c) => c.state === s).length;
    const down: string[] = [];
    const degraded: string[] = [];
    for (const c of mine) {
      const why = c.last_result?.message ? `: ${c.last_result.message}` : '';
      if (c.state === 'down') down.push(`check ${c.name} down${why}`);
      else if (c.state === 'failing') degraded.push(`check ${c.name} failing${why}`);
    }
    const checkNames = new Set(mine.map((c) => c.name));
    const bySeverity: Record<string, number> = {};
    for (const a of firing) {
      const sev = a.labels['severity'] || 'none';
      bySeverity[sev] = (bySeverity[sev] ?? 0) + 1;
      // A check's own alert says what its check already said.
      if (a.labels['check'] && checkNames.has(a.labels['check'])) continue;
      const text = `alert ${a.labels['alertname'] ?? 'unnamed'} firing${sev !== 'none' ? ` (${sev})` : ''}`;
      (sev === 'critical' ? down : degraded).push(text);
    }
    for (const i of open) {
      const text = `incident ${i.id} ${i.status} (${i.severity}): ${i.title}`;
      if (i.severity === 'critical' && ACTIVE.has(i.status)) down.push(text);
      else if (ACTIVE.has(i.status)) degraded.push(text);
    }
    const pending = count('pending');
    const windows = maintenance(name);
    // Under maintenance its alerts are muted on purpose: that is its state, what else is wrong follows.
    const state: ServiceState = windows.length ? 'maintenance' : down.length ? 'down' : degraded.length ? 'degraded' : mine.length > 0 && pending === mine.length ? 'unknown' : 'up';
    const reasons = [...windows.map((w) => `maintenance until ${new Date(w.end).toISOString()}${w.reason ? `: ${w.reason}` : ''}`), ...down, ...degraded];
    if (state === 'unknown') reasons.push('no check has a result yet');
    for (const i of open) if (!ACTIVE.has(i.status)) reasons.push(`incident ${i.id} ${i.status}: ${i.title}`);
    return {
      name,
      description: decl?.description ?? null,
      owner: decl?.owner ?? null,
      tier: decl?.tier ?? null,
      declared: decl !== undefined,
      state,
      reasons,
      checks: { total: mine.length, up: count('up'), failing: count('failing'), down: count('down'), pending },
      firing_alerts: bySeverity,
      open_incidents: open.map((i) => ({ id: i.id, title: i.title, severity: i.severity, status: i.status })),
    };
  });
  return out.sort((a, b) => ORDER[a.state] - ORDER[b.state] || a.name.localeCompare(b.name));
}

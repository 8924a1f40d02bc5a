import type { CheckInput, ComponentStatus, IncidentInput, Indicator, PlannedWindow } from './types.js';

const ACTIVE = new Set(['triggered', 'acknowledged']);

/** How bad each status is, for picking the worst. */
const RANK: Record<ComponentStatus, number> = { operational: 0, under_maintenance: 1, degraded_performance: 2, partial_outage: 3, major_outage: 4 };

export function worstStatus(statuses: readonly ComponentStatus[]): ComponentStatus {
  let worst: ComponentStatus = 'operational';
  for (const s of statuses) if (RANK[s] > RANK[worst]) worst = s;
  return worst;
}

/**
 * A component's state from what Vigil knows of its service, worst first:
 * - an active (triggered or acknowledged) incident of severity critical: major_outage; high: partial_outage;
 * - an active maintenance window covering it: under_maintenance (its failing checks are expected then);
 * - every one of its checks down (failing past its threshold): major_outage; some: partial_outage;
 * - an active incident of lower severity: degraded_performance;
 * - otherwise operational. A check failing below its threshold, or a mitigated incident, does not count.
 */
export function componentStatus(service: string, checks: readonly CheckInput[], incidents: readonly IncidentInput[], maintenance: readonly PlannedWindow[]): ComponentStatus {
  const active = incidents.filter((i) => ACTIVE.has(i.status) && i.services.includes(service));
  if (active.some((i) => i.severity === 'critical')) return 'major_outage';
  if (active.some((i) => i.severity === 'high')) return 'partial_outage';
  if (maintenance.some((w) => w.services.includes(service))) return 'under_maintenance';
  const mine = checks.filter((c) => c.check.service === service);
  const down = mine.filter((c) => c.state === 'down').length;
  if (down > 0 && down === mine.length) return 'major_outage';
  if (down > 0) return 'partial_outage';
  if (active.length > 0) return 'degraded_performance';
  return 'operational';
}

/** An incident's impact as Statuspage names it, from its severity. */
export function incidentImpact(severity: string): Exclude<Indicator, 'maintenance'> {
  switch (severity) {
    case 'critical':
      return 'critical';
    case 'high':
      return 'major';
    case 'medium':
      return 'minor';
    default:
      return 'none';
  }
}

const INDICATOR_RANK: Record<Indicator, number> = { none: 0, maintenance: 1, minor: 2, major: 3, critical: 4 };
const DESCRIPTION: Record<Indicator, string> = {
  none: 'All Systems Operational',
  maintenance: 'Service Under Maintenance',
  minor: 'Partially Degraded Service',
  major: 'Partial System Outage',
  critical: 'Major System Outage',
};

const FROM_COMPONENT: Record<ComponentStatus, Indicator> = {
  operational: 'none',
  under_maintenance: 'maintenance',
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
};

/**
 * The page's overall status by Statuspage's conventions: the worst of the components' states
 * (degraded → minor, partial outage → major, major outage → critical, maintenance →
 * maintenance) and of the unresolved public incidents' impacts.
 */
export function overallStatus(components: readonly ComponentStatus[], impacts: readonly Indicator[]): { indicator: Indicator; description: string } {
  let indicator: Indicator = 'none';
  for (const i of [...components.map((c) => FROM_COMPONENT[c]), ...impacts]) if (INDICATOR_RANK[i] > INDICATOR_RANK[indicator]) indicator = i;
  return { indicator, description: DESCRIPTION[indicator] };
}

export const STATUS_LABEL: Record<ComponentStatus, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
};

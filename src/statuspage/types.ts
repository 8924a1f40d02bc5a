/**
 * The status page's vocabulary, spelled as Atlassian Statuspage spells it so status
 * aggregators read Vigil's /status.json like any Statuspage summary.
 */
export const COMPONENT_STATUSES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

/** The public stages of an incident (Statuspage's incident statuses). */
export const UPDATE_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type UpdateStatus = (typeof UPDATE_STATUSES)[number];

/** Statuspage's page indicator, from the components and the unresolved incidents. */
export type Indicator = 'none' | 'minor' | 'major' | 'critical' | 'maintenance';

/** What the page reads of an incident (the incidents module's Incident fits). */
export interface IncidentInput {
  readonly id: string;
  readonly title: string;
  readonly severity: string;
  readonly status: string;
  readonly services: readonly string[];
  readonly openedAt: number;
  readonly resolvedAt: number | null;
  readonly updatedAt: number;
}

/** What the page reads of a check's state now (the probes module's CheckStatus fits). */
export interface CheckInput {
  readonly check: { readonly name: string; readonly service: string };
  readonly state: 'up' | 'down' | 'failing' | 'pending';
}

/** A maintenance window as the page shows it (the maintenance module's windows fit). */
export interface PlannedWindow {
  readonly id: string;
  readonly services: readonly string[];
  readonly start: number;
  readonly end: number;
  readonly reason: string;
}

/**
 * The page's narrow view of maintenance windows: windows active at a time, and those still to
 * come. The maintenance module's MaintenanceReader implements it.
 */
export interface MaintenanceSource {
  active(at?: number): readonly PlannedWindow[];
  upcoming(at?: number): readonly PlannedWindow[];
  overlapping(from: number, to: number): readonly PlannedWindow[];
}

/** A public update of an incident: what responders tell the public, stored apart from the internal timeline. */
export interface PublicUpdate {
  readonly id: number;
  readonly incidentId: string;
  readonly status: UpdateStatus;
  readonly message: string;
  /** The incident's public title from this update on; null keeps the previous one. */
  readonly title: string | null;
  /** Who posted it (token name); never shown publicly. */
  readonly author: string;
  readonly at: number;
}

export type NewPublicUpdate = Omit<PublicUpdate, 'id'>;

/** Daily check results, summed over checks: `day` is the UTC midnight (ms) of the day. */
export interface DailyCounts {
  readonly day: number;
  readonly total: number;
  readonly ok: number;
}

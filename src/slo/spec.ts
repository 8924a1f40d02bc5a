/**
 * An SLO as every source (vigil.yml's `slos:`, OpenSLO v1 files) normalizes it. Durations are
 * milliseconds, the objective a percentage (99.9), the latency threshold in the histogram's
 * unit (seconds for `_seconds` histograms).
 */
export interface SloSpec {
  readonly name: string;
  readonly service: string;
  readonly description: string;
  /** Percent of good events, in (0, 100). */
  readonly objective: number;
  readonly window: SloWindow;
  readonly sli: SliSpec;
  readonly alerting: AlertingSpec;
  /** Added to every generated series and alert (Sloth's SLO labels). */
  readonly labels: Readonly<Record<string, string>>;
  /** Leave time inside the service's maintenance windows out of the SLI and budget. */
  readonly excludeMaintenance: boolean;
  /** Where it was declared: `vigil.yml` or an OpenSLO file (with the document's index). */
  readonly source: string;
  /** `vigil/v1` or `openslo/v1`. */
  readonly spec: string;
}

export type CalendarUnit = 'day' | 'week' | 'month' | 'quarter' | 'year';

export type SloWindow =
  /** The last `ms` before now. */
  | { readonly kind: 'rolling'; readonly ms: number }
  /**
   * Calendar periods of `count` `unit`s in `zone`: from `anchor` (a wall-clock start such as
   * OpenSLO's calendar.startTime, ISO local time without zone) or, without one, the start of
   * each unit (weeks start on Monday).
   */
  | { readonly kind: 'calendar'; readonly unit: CalendarUnit; readonly count: number; readonly zone: string; readonly anchor?: string };

export type SliSpec =
  /**
   * Sloth's events: PromQL giving per-second rates of bad (or good) events and of all events,
   * with `{{.window}}` where each rule's range goes.
   */
  | { readonly kind: 'events'; readonly errorQuery?: string; readonly goodQuery?: string; readonly totalQuery: string }
  /** Requests faster than `threshold` are good: the histogram bucket `le` = threshold against the count. */
  | { readonly kind: 'latency'; readonly metric: string; readonly selector: string; readonly threshold: number }
  /** A synthetic check's availability: successful runs over all runs, from its probe_success samples. */
  | { readonly kind: 'check'; readonly check: string }
  /**
   * Time slices (OpenSLO Timeslices / RatioTimeslices): `good` is a PromQL expression worth 1
   * for a good slice and 0 for a bad one (or the slice's good ratio), with `{{.window}}` set to
   * the slice length; a window's SLI is the mean over its slices.
   */
  | { readonly kind: 'timeslices'; readonly good: string; readonly sliceMs: number };

export interface AlertSpec {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface AlertingSpec {
  /** The alertname of both alerts. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** null: not generated. */
  readonly page: AlertSpec | null;
  readonly ticket: AlertSpec | null;
}

export const DEFAULT_ALERT_NAME = 'ErrorBudgetBurn';
/** `severity` of the alerts when their labels set none. */
export const DEFAULT_SEVERITY = { page: 'critical', ticket: 'medium' } as const;

/** `1 − objective/100`, to 12 significant digits (99.9 → 0.001, not 0.0010000000000000009). */
export function budgetOf(objective: number): number {
  return Number(((100 - objective) / 100).toPrecision(12));
}

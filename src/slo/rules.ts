import { labelFilter } from './promql-text.js';
import type { SliQueries } from './sli.js';
import { budgetOf, DEFAULT_SEVERITY, type AlertSpec, type SloSpec } from './spec.js';
import { promDuration } from './window.js';

/** A generated rule group, shaped as the rule engine's GroupSpec (rules/spec.ts). */
export interface GeneratedRule {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}
export interface GeneratedGroup {
  readonly name: string;
  readonly file: string;
  readonly rules: readonly GeneratedRule[];
}

/**
 * The multi-window, multi-burn-rate alerts of the SRE workbook (chapter 5, "Alerting on SLOs"),
 * as Sloth generates them: each alert fires when the error rate over both a long and a short
 * window exceeds `factor` × the error budget. The factors are the workbook's for a 30-day
 * budget (2% of it in 1h, 5% in 6h, 10% in 1d and in 3d) and are used whatever the window.
 */
export const BURN_WINDOWS = {
  page: [
    { factor: 14.4, long: 3_600_000, short: 300_000 },
    { factor: 6, long: 21_600_000, short: 1_800_000 },
  ],
  ticket: [
    { factor: 3, long: 86_400_000, short: 7_200_000 },
    { factor: 1, long: 259_200_000, short: 21_600_000 },
  ],
} as const;

/** The windows whose burn rates the API reports, shortest first (those the alerts use). */
export const RATE_WINDOWS: readonly number[] = [300_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 86_400_000, 259_200_000];

// Sloth's names, so its Grafana dashboards read Vigil's series as they are.
export const SLI_ERROR_METRIC = 'slo:sli_error:ratio_rate';
export const LABEL = { id: 'sloth_id', service: 'sloth_service', slo: 'sloth_slo', window: 'sloth_window', severity: 'sloth_severity' } as const;

export function sliErrorMetric(windowMs: number): string {
  return `${SLI_ERROR_METRIC}${promDuration(windowMs)}`;
}

/** The labels identifying an SLO's series (Sloth's sloth_id, sloth_service, sloth_slo). */
export function idLabels(slo: Pick<SloSpec, 'name' | 'service'>): Record<string, string> {
  return { [LABEL.id]: slo.name, [LABEL.service]: slo.service, [LABEL.slo]: slo.name };
}

/** The rule file name generated groups carry in /api/v1/rules. */
export function groupFile(slo: Pick<SloSpec, 'name'>): string {
  return `slo/${slo.name}`;
}

/** Go's %g as Sloth's templates print floats (14.4, 6, 0.001). */
function num(x: number): string {
  return String(x);
}

function alertExpr(metricFilter: string, budget: number, windows: ReadonlyArray<{ factor: number; long: number; short: number }>): string {
  const clause = (w: { factor: number; long: number; short: number }) =>
    `(\n    max(${sliErrorMetric(w.short)}${metricFilter} > (${num(w.factor)} * ${num(budget)})) without (${LABEL.window})\n    and\n    max(${sliErrorMetric(w.long)}${metricFilter} > (${num(w.factor)} * ${num(budget)})) without (${LABEL.window})\n)`;
  return windows.map(clause).join('\nor\n') + '\n';
}

export interface GenerateOptions {
  /** Vigil's version, on `sloth_slo_info`. */
  readonly version: string;
}

/**
 * The rule groups of one SLO, as Sloth lays them out:
 * - `sloth-slo-sli-recordings-<name>`: `slo:sli_error:ratio_rate<w>` for every alert window, and
 *   for a rolling SLO window also over the whole window (Sloth's optimized form: the mean of the
 *   5m ratios — for dashboards; the API computes the window's SLI from raw data);
 * - `sloth-slo-meta-recordings-<name>`: objective, error budget, time period, current and
 *   period burn rate, remaining budget, `sloth_slo_info`;
 * - `sloth-slo-alerts-<name>`: the page and ticket alerts.
 * Calendar SLOs have no whole-window rules (a calendar period is not a PromQL range).
 */
export function generateGroups(slo: SloSpec, q: SliQueries, opts: GenerateOptions): GeneratedGroup[] {
  const file = groupFile(slo);
  const ids = idLabels(slo);
  const filter = labelFilter(ids);
  const budget = budgetOf(slo.objective);
  const objectiveRatio = Number((slo.objective / 100).toPrecision(12));
  const base = { ...slo.labels, ...ids };
  const rolling = slo.window.kind === 'rolling' ? slo.window.ms : undefined;
  const sli: GeneratedRule[] = RATE_WINDOWS.map((w) => ({ record: sliErrorMetric(w), expr: q.ratio(promDuration(w)), labels: { ...base, [LABEL.window]: promDuration(w) } }));
  if (rolling !== undefined && !RATE_WINDOWS.includes(rolling)) {
    const short = sliErrorMetric(RATE_WINDOWS[0] as number);
    sli.push({
      record: sliErrorMetric(rolling),
      expr: `sum_over_time(${short}${filter}[${promDuration(rolling)}])\n/ ignoring (${LABEL.window})\ncount_over_time(${short}${filter}[${promDuration(rolling)}])\n`,
      labels: { ...base, [LABEL.window]: promDuration(rolling) },
    });
  }
  const burn = (metric: string) => `${metric}${filter}\n/ on(${LABEL.id}, ${LABEL.slo}, ${LABEL.service}) group_left\nslo:error_budget:ratio${filter}\n`;
  const meta: GeneratedRule[] = [
    { record: 'slo:objective:ratio', expr: `vector(${num(objectiveRatio)})`, labels: base },
    { record: 'slo:error_budget:ratio', expr: `vector(${num(budget)})`, labels: base },
    { record: 'slo:current_burn_rate:ratio', expr: burn(sliErrorMetric(RATE_WINDOWS[0] as number)), labels: base },
  ];
  if (rolling !== undefined) {
    meta.push(
      { record: 'slo:time_period:days', expr: `vector(${num(rolling / 86_400_000)})`, labels: base },
      { record: 'slo:period_burn_rate:ratio', expr: burn(sliErrorMetric(rolling)), labels: base },
      { record: 'slo:period_error_budget_remaining:ratio', expr: `1 - slo:period_burn_rate:ratio${filter}`, labels: base },
    );
  }
  meta.push({
    record: 'sloth_slo_info',
    expr: 'vector(1)',
    labels: { ...base, sloth_mode: 'vigil', sloth_spec: slo.spec, sloth_version: opts.version, sloth_objective: num(slo.objective) },
  });
  const alerts: GeneratedRule[] = [];
  const a = slo.alerting;
  const alert = (kind: 'page' | 'ticket', spec: AlertSpec | null) => {
    if (!spec) return;
    const labels = { ...a.labels, ...spec.labels };
    alerts.push({
      alert: a.name,
      expr: alertExpr(filter, budget, BURN_WINDOWS[kind]),
      labels: { [LABEL.severity]: kind, service: slo.service, slo: slo.name, ...(labels['severity'] === undefined ? { severity: DEFAULT_SEVERITY[kind] } : {}), ...labels },
      annotations: {
        title: `(${kind}) {{$labels.${LABEL.service}}} {{$labels.${LABEL.slo}}} SLO error budget burn rate is too fast.`,
        summary: `{{$labels.${LABEL.service}}} {{$labels.${LABEL.slo}}} SLO error budget burn rate is over expected.`,
        ...a.annotations,
        ...spec.annotations,
      },
    });
  };
  alert('page', a.page);
  alert('ticket', a.ticket);
  const groups: GeneratedGroup[] = [
    { name: `sloth-slo-sli-recordings-${slo.name}`, file, rules: sli },
    { name: `sloth-slo-meta-recordings-${slo.name}`, file, rules: meta },
  ];
  if (alerts.length > 0) groups.push({ name: `sloth-slo-alerts-${slo.name}`, file, rules: alerts });
  return groups;
}

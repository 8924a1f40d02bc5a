/**
 * SLOs: specs (vigil.yml `slos:`, OpenSLO v1 `slo_files:`) compiled into Sloth-style recording
 * rules and multi-window multi-burn-rate alerts for the rule engine, and evaluated on demand
 * into SLI, error budget, burn rates and state.
 *
 * ## For other modules (reports, status page, UI)
 *
 * Use a `SloService` (the app builds one; the API exposes it under /api/v1/slos):
 * - `list()` → `SloStatus[]`: every SLO now. `SloStatus.status` is `ok`, `at_risk` or
 *   `breached`; `budget` has `total` (1 − objective/100), `consumed`/`remaining` (fractions
 *   of the budget; remaining < 0 when overspent) and `remainingMinutes` (minutes of full
 *   outage left in the whole period); `burnRates['5m' … '3d']`; `incidents` (which incidents
 *   consumed how much: `IncidentConsumption.consumed` as a fraction of the budget); `problems`
 *   (why a number is null).
 * - `atRisk()`: the SLOs whose status is not `ok` (the handoff's "SLO budgets at risk").
 * - `report(name, from, to)` → `SloReport`: the SLO over a fixed period (a calendar month for
 *   the SLA report): `sli`, `budget`, `result` (`met`/`breached`/`no_data`), `deficit`, and the
 *   incidents that consumed budget in it.
 * - `definitions()`: the SLOs' specs (`SloSpec`: name, service, objective, window, …).
 * - `history(name, from, to, step)`: SLI and budget at each step.
 * All times are epoch milliseconds; every number is computed from the raw data when asked.
 *
 * ## For the app
 *
 * `compileSlos(specs, parsePromQL, {version})` → each SLO's queries and rule groups (feed
 * `groups` to the rule manager as the `slo` source); `slosFromConfig` and `readOpenSlo` turn
 * the two config forms into specs; `new SloService({query, clock, maintenance, incidents})`.
 */
export { slosConfigSchema, sloConfigSchema, sloFilesSchema, slosFromConfig, MIN_WINDOW_MS, DEFAULT_WINDOW_MS, CALENDAR_UNITS } from './config.js';
export type { SloConfig } from './config.js';
export { readOpenSlo } from './openslo.js';
export type { OpenSloDocument, OpenSloOptions, OpenSloResult } from './openslo.js';
export { compileSlos } from './compile.js';
export type { CompiledSlo, CompileResult } from './compile.js';
export { compileSli } from './sli.js';
export type { SliQueries, ParsePromQL } from './sli.js';
export { generateGroups, BURN_WINDOWS, RATE_WINDOWS, sliErrorMetric, idLabels, groupFile, LABEL } from './rules.js';
export type { GeneratedGroup, GeneratedRule } from './rules.js';
export { SloService, MAX_HISTORY_POINTS } from './service.js';
export type { SloServiceOptions, SloStatus, SloReport, SloHistoryPoint, IncidentSpan, IncidentConsumption } from './service.js';
export { AT_RISK_REMAINING, RATE_WINDOW_NAMES, budgetFrom, stateOf, burning } from './status.js';
export type { Budget, SloState } from './status.js';
export { periodAt, periodLength, describeWindow, promDuration } from './window.js';
export type { Period } from './window.js';
export { budgetOf, DEFAULT_ALERT_NAME, DEFAULT_SEVERITY } from './spec.js';
export type { SloSpec, SliSpec, SloWindow, CalendarUnit, AlertingSpec, AlertSpec } from './spec.js';
export type { InstantQueryFn, Interval } from './evaluate.js';

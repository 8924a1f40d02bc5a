import { BURN_WINDOWS, RATE_WINDOWS } from './rules.js';
import { promDuration } from './window.js';

/** `ok`, `at_risk` (little budget left, or burning fast enough to alert), `breached` (overspent). */
export type SloState = 'ok' | 'at_risk' | 'breached';

/** Below this fraction of budget remaining an SLO is at risk. */
export const AT_RISK_REMAINING = 0.25;

/** The burn-rate windows by name (`5m` … `3d`), as the API keys them. */
export const RATE_WINDOW_NAMES: readonly string[] = RATE_WINDOWS.map(promDuration);

export interface Budget {
  /** `1 − objective/100`. */
  readonly total: number;
  /** Fractions of the budget (remaining 1: untouched; negative: overspent); null without data. */
  readonly consumed: number | null;
  readonly remaining: number | null;
  /** Minutes of full outage the remaining budget still allows over the whole period (negative: overspent). */
  readonly remainingMinutes: number | null;
}

/**
 * The budget from the error ratio over the part of the period measured. `elapsed` is the share
 * of the period that part covers (1 for a rolling window; the month so far for a calendar
 * month): the month's budget is spent as errors accrue, so an hour's outage on the 1st uses an
 * hour of the month's budget, not the budget of one day.
 */
export function budgetFrom(total: number, badRatio: number | undefined, elapsed: number, periodMs: number): Budget {
  if (badRatio === undefined) return { total, consumed: null, remaining: null, remainingMinutes: null };
  const consumed = (badRatio * elapsed) / total;
  const remaining = 1 - consumed;
  return { total, consumed, remaining, remainingMinutes: (remaining * total * periodMs) / 60_000 };
}

/** Whether one of the SLO's burn-rate alerts' conditions holds at these burn rates. */
export function burning(rates: Readonly<Record<string, number | null>>): { page: boolean; ticket: boolean } {
  const over = (ws: ReadonlyArray<{ factor: number; long: number; short: number }>) =>
    ws.some((w) => (rates[promDuration(w.long)] ?? 0) > w.factor && (rates[promDuration(w.short)] ?? 0) > w.factor);
  return { page: over(BURN_WINDOWS.page), ticket: over(BURN_WINDOWS.ticket) };
}

/** Rounding noise: an SLI exactly at its objective (0.95 from 1 − 9.5/10) is not a breach. */
export const EPSILON = 1e-9;

/** breached: budget overspent; at_risk: under AT_RISK_REMAINING left, or a burn-rate alert condition holds; else ok. */
export function stateOf(budget: Budget, rates: Readonly<Record<string, number | null>>): SloState {
  if (budget.remaining !== null && budget.remaining < -EPSILON) return 'breached';
  const b = burning(rates);
  if ((budget.remaining !== null && budget.remaining < AT_RISK_REMAINING) || b.page || b.ticket) return 'at_risk';
  return 'ok';
}

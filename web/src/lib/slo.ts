import type { SloView } from './types';

export type SloState = 'ok' | 'at_risk' | 'breached';

/** What the SLO views show of an SLO: the one place that reads the API's shape. */
export interface SloRow {
  readonly name: string;
  readonly service: string;
  readonly description: string;
  /** Percent, e.g. 99.9. */
  readonly objective: number;
  readonly window: string;
  /** 0..1, null without data. */
  readonly sli: number | null;
  /** Fraction of the error budget left (negative: overspent), null without data. */
  readonly remaining: number | null;
  readonly remainingMinutes: number | null;
  readonly state: SloState;
  readonly problems: readonly string[];
}

export function sloRow(v: SloView): SloRow {
  return {
    name: v.name,
    service: v.service,
    description: v.description,
    objective: v.objective,
    window: v.window,
    sli: v.sli,
    remaining: v.error_budget.remaining,
    remainingMinutes: v.error_budget.remaining_minutes,
    state: v.status,
    problems: v.problems,
  };
}

const RANK: Record<SloState, number> = { breached: 0, at_risk: 1, ok: 2 };

/** Worst first: breached, then at risk, then by budget left. */
export function byRisk(a: SloRow, b: SloRow): number {
  return RANK[a.state] - RANK[b.state] || (a.remaining ?? 2) - (b.remaining ?? 2) || a.name.localeCompare(b.name);
}

/** A budget fraction as words: "62% left", "overspent by 12%", "no data". */
export function budgetText(remaining: number | null): string {
  if (remaining === null) return 'no data';
  if (remaining < 0) return `overspent by ${Math.round(-remaining * 100)}%`;
  return `${Math.floor(remaining * 100)}% left`;
}

export const SLO_STATE_TEXT: Record<SloState, string> = { ok: 'within budget', at_risk: 'at risk', breached: 'breached' };

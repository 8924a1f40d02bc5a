import { SLO_STATE_TEXT, budgetText, type SloRow } from '../lib/slo';

/** The error budget left as a bar with its words beside it (never colour alone). */
export function BudgetBar({ slo }: { slo: SloRow }) {
  const left = slo.remaining === null ? 0 : Math.max(0, Math.min(1, slo.remaining));
  return (
    <span className="budget">
      <span className={`budget-bar slo-${slo.state}`} role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(left * 100)} aria-label={`Error budget of ${slo.name}: ${budgetText(slo.remaining)}`}>
        <span style={{ width: `${left * 100}%` }} />
      </span>
      <span className="small">{budgetText(slo.remaining)}</span>
    </span>
  );
}

const ICON = { ok: '●', at_risk: '▲', breached: '■' } as const;

export function SloStateBadge({ state }: { state: SloRow['state'] }) {
  return (
    <span className={`badge slo-badge slo-${state}`}>
      <span aria-hidden="true">{ICON[state]}</span> {SLO_STATE_TEXT[state]}
    </span>
  );
}

import { usePoll } from '../lib/poll';
import { Link } from '../lib/router';
import { byRisk, sloRow } from '../lib/slo';
import type { SlosResponse } from '../lib/types';
import { Empty, Resource } from './states';
import { BudgetBar } from './slo-budget';

/** The overview's "SLO budgets at risk": breached and at-risk SLOs, worst first; else that all are within budget. */
export function SlosAtRisk() {
  const polled = usePoll<SlosResponse>('/api/v1/slos', 30_000);
  return (
    <Resource polled={polled} what="SLOs">
      {(data) => {
        const rows = data.slos.map(sloRow).sort(byRisk);
        const risky = rows.filter((r) => r.state !== 'ok');
        if (rows.length === 0) return <Empty title="No SLOs">Declare them under slos: in vigil.yml (docs/slo.md).</Empty>;
        if (risky.length === 0)
          return (
            <Empty title={`All ${rows.length} SLO${rows.length === 1 ? ' is' : 's are'} within budget`} icon="✓">
              <Link to="/slos">See the budgets</Link>
            </Empty>
          );
        return (
          <ul className="rows compact" data-testid="slos-at-risk">
            {risky.slice(0, 6).map((r) => (
              <li key={r.name} className="row">
                <span className="row-main">
                  <Link to={`/slos?service=${encodeURIComponent(r.service)}`}>{r.name}</Link> <span className="muted small">{r.service}</span>
                </span>
                <BudgetBar slo={r} />
              </li>
            ))}
            {risky.length > 6 ? (
              <li className="row">
                <Link to="/slos">{risky.length - 6} more</Link>
              </li>
            ) : null}
          </ul>
        );
      }}
    </Resource>
  );
}

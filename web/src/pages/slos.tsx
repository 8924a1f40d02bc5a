import { usePoll } from '../lib/poll';
import { Link, setSearch, useLocation, useTitle } from '../lib/router';
import { byRisk, sloRow } from '../lib/slo';
import type { SlosResponse } from '../lib/types';
import { Empty, Resource } from '../components/states';
import { BudgetBar, SloStateBadge } from '../components/slo-budget';

const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(x >= 0.999 ? 3 : 2)}%`);
/** Minutes of full outage as words; under a minute in seconds (short windows make small budgets). */
function amount(m: number): string {
  return m >= 120 ? `${Math.round(m / 60)} h` : m >= 1 ? `${Math.round(m)} min` : `${Math.round(m * 60)} s`;
}
const minutes = (m: number | null) => (m === null ? '' : m < 0 ? `${amount(-m)} over` : `${amount(m)} of outage left`);

/** Every SLO with its SLI, objective, error budget left and state; worst first; filter by service. */
export default function Slos() {
  useTitle('SLOs');
  const { search } = useLocation();
  const service = search.get('service') ?? '';
  const polled = usePoll<SlosResponse>('/api/v1/slos', 30_000);
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>SLOs</h1>
          <p className="muted">Service level objectives from vigil.yml and OpenSLO files: how much of each error budget is left, worst first.</p>
        </div>
      </div>
      <Resource polled={polled} what="SLOs">
        {(data) => {
          const rows = data.slos.map(sloRow).sort(byRisk);
          const services = [...new Set(rows.map((r) => r.service))].sort();
          const shown = rows.filter((r) => !service || r.service === service);
          return (
            <>
              {services.length > 1 ? (
                <form className="toolbar" role="search" aria-label="Filter SLOs" onSubmit={(e) => e.preventDefault()}>
                  <div className="field">
                    <label htmlFor="slo-service">Service</label>
                    <select id="slo-service" value={service} onChange={(e) => setSearch({ service: e.target.value || undefined })}>
                      <option value="">Any</option>
                      {services.map((s) => (
                        <option key={s} value={s}>
                          {s}
                        </option>
                      ))}
                    </select>
                  </div>
                </form>
              ) : null}
              <section className="panel">
                {shown.length === 0 ? (
                  <Empty title="No SLOs yet">
                    Declare them under <code>slos:</code> in vigil.yml or in OpenSLO files (<code>slo_files:</code>); see docs/slo.md.
                  </Empty>
                ) : (
                  <table className="table responsive">
                    <thead>
                      <tr>
                        <th scope="col">SLO</th>
                        <th scope="col">Service</th>
                        <th scope="col">Objective</th>
                        <th scope="col">SLI</th>
                        <th scope="col">Error budget</th>
                        <th scope="col">State</th>
                      </tr>
                    </thead>
                    <tbody>
                      {shown.map((r) => (
                        <tr key={r.name} data-testid={`slo-${r.name}`} data-state={r.state}>
                          <td data-label="SLO">
                            <strong>{r.name}</strong>
                            {r.description ? <div className="muted small">{r.description}</div> : null}
                            {r.problems.map((p) => (
                              <div key={p} className="form-error small">
                                {p}
                              </div>
                            ))}
                          </td>
                          <td data-label="Service">
                            <Link to={`/checks?service=${encodeURIComponent(r.service)}`}>{r.service}</Link>
                          </td>
                          <td data-label="Objective">
                            {r.objective}% over {r.window}
                          </td>
                          <td data-label="SLI">{pct(r.sli)}</td>
                          <td data-label="Error budget">
                            <BudgetBar slo={r} />
                            <div className="muted small">{minutes(r.remainingMinutes)}</div>
                          </td>
                          <td data-label="State">
                            <SloStateBadge state={r.state} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </section>
            </>
          );
        }}
      </Resource>
    </div>
  );
}

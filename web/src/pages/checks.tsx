import { usePoll } from '../lib/poll';
import { Link, setSearch, useLocation, useTitle } from '../lib/router';
import { Time, formatDuration } from '../lib/time';
import type { ChecksResponse } from '../lib/types';
import { CheckStateBadge, Percent } from '../components/badges';
import { Empty, Resource } from '../components/states';

const ORDER: Record<string, number> = { down: 0, failing: 1, pending: 2, up: 3 };

/** Every check: state, last result and why it failed, uptime over 24 h / 7 d / 30 d. */
export default function Checks() {
  useTitle('Checks');
  const { search } = useLocation();
  const service = search.get('service') ?? '';
  const text = search.get('q') ?? '';
  const polled = usePoll<ChecksResponse>('/api/v1/checks');
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Checks</h1>
          <p className="muted">Synthetic checks from the configuration, failing ones first.</p>
        </div>
      </div>
      <form className="toolbar" role="search" aria-label="Filter checks" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="c-q">Name contains</label>
          <input id="c-q" value={text} data-shortcut="focus" onChange={(e) => setSearch({ q: e.target.value }, { replace: true })} />
        </div>
        <div className="field">
          <label htmlFor="c-svc">Service</label>
          <select id="c-svc" value={service} onChange={(e) => setSearch({ service: e.target.value })}>
            <option value="">Any</option>
            {[...new Set([...(polled.data?.checks.map((c) => c.service) ?? []), ...(service ? [service] : [])])].sort().map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </form>
      <section className="panel" aria-label="Check list">
        <Resource polled={polled} what="Checks">
          {(data) => {
            const list = data.checks
              .filter((c) => (!service || c.service === service) && (!text || c.name.toLowerCase().includes(text.toLowerCase())))
              .sort((a, b) => (ORDER[a.state] ?? 9) - (ORDER[b.state] ?? 9) || a.name.localeCompare(b.name));
            if (list.length === 0) {
              return (
                <Empty title={data.checks.length ? 'No check matches' : 'No checks configured'}>
                  {data.checks.length ? 'Clear the filters to see all checks.' : 'Add checks (http, tcp, dns, tls) under checks: in vigil.yml.'}
                </Empty>
              );
            }
            return (
              <div className="table-wrap">
                <table className="table responsive">
                  <thead>
                    <tr>
                      <th scope="col">State</th>
                      <th scope="col">Check</th>
                      <th scope="col">Service</th>
                      <th scope="col">Last result</th>
                      <th scope="col" className="num">
                        Took
                      </th>
                      <th scope="col" className="num">
                        24 h
                      </th>
                      <th scope="col" className="num">
                        7 d
                      </th>
                      <th scope="col" className="num">
                        30 d
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((c) => (
                      <tr key={c.name} data-testid={`check-${c.name}`}>
                        <td data-label="State">
                          <CheckStateBadge state={c.state} />
                        </td>
                        <td data-label="Check">
                          <Link to={`/checks/${encodeURIComponent(c.name)}`}>{c.name}</Link>{' '}
                          <span className="muted small">
                            {c.type}, every {formatDuration(c.interval_ms)}
                          </span>
                        </td>
                        <td data-label="Service">{c.service || '–'}</td>
                        <td data-label="Last result">
                          {c.last_result ? (
                            <>
                              <Time t={c.last_result.at} /> {c.last_result.success ? <span className="muted">ok</span> : <span className="form-error">{c.last_result.message}</span>}
                            </>
                          ) : (
                            <span className="muted">not run yet</span>
                          )}
                        </td>
                        <td data-label="Took" className="num">
                          {c.last_result ? `${Math.round(c.last_result.duration_ms)} ms` : '–'}
                        </td>
                        <td data-label="24 h" className="num">
                          <Percent value={c.uptime['24h']} />
                        </td>
                        <td data-label="7 d" className="num">
                          <Percent value={c.uptime['7d']} />
                        </td>
                        <td data-label="30 d" className="num">
                          <Percent value={c.uptime['30d']} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            );
          }}
        </Resource>
      </section>
    </div>
  );
}

import { usePoll } from '../lib/poll';
import { Link, setSearch, useLocation, useTitle } from '../lib/router';
import { Time, formatDuration } from '../lib/time';
import { RANGES, autoStep, promRange, toSeries } from '../lib/prom';
import { useQuery } from '../lib/use-query';
import type { CheckResultsResponse, ChecksResponse } from '../lib/types';
import { CheckStateBadge, Percent } from '../components/badges';
import { Empty, Failure, Loading, Resource } from '../components/states';
import { TimeChart } from '../charts/time-chart';

const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/** One check: state and uptime, latency over time (from its probe_duration_seconds samples), the last results with their reasons. */
export default function Check({ params }: { params: Record<string, string> }) {
  const name = params['name'] ?? '';
  useTitle(name);
  const { search } = useLocation();
  const range = search.get('range') ?? '6h';
  const seconds = RANGES[range] ?? 21600;
  const checks = usePoll<ChecksResponse>('/api/v1/checks');
  const results = usePoll<CheckResultsResponse>(`/api/v1/checks/${encodeURIComponent(name)}/results?limit=50`);
  const minute = Math.floor(Date.now() / 60_000);
  const latencyQuery = useQuery(`${name}|${range}|${minute}`, async (signal) => {
    const end = Date.now() / 1000;
    return { resp: await promRange(`probe_duration_seconds{check="${esc(name)}"}`, end - seconds, end, autoStep(seconds), signal), window: [end - seconds, end] as const };
  });
  const latency = { ...latencyQuery, data: latencyQuery.data?.resp };
  const check = checks.data?.checks.find((c) => c.name === name);
  return (
    <div className="page">
      <p>
        <Link to="/checks">← Checks</Link>
      </p>
      {checks.data && !check ? (
        <Failure error={new Error(`There is no check named "${name}" in the configuration.`)} what="Unknown check" />
      ) : (
        <>
          <div className="panel">
            <div className="incident-head">
              <h1>{name}</h1>
              {check ? <CheckStateBadge state={check.state} /> : null}
            </div>
            {check ? (
              <dl className="meta">
                <div>
                  <dt>Service</dt>
                  <dd>{check.service || '–'}</dd>
                </div>
                <div>
                  <dt>Type</dt>
                  <dd>
                    {check.type}, every {formatDuration(check.interval_ms)}
                  </dd>
                </div>
                <div>
                  <dt>Uptime 24 h</dt>
                  <dd>
                    <Percent value={check.uptime['24h']} />
                  </dd>
                </div>
                <div>
                  <dt>Uptime 7 d</dt>
                  <dd>
                    <Percent value={check.uptime['7d']} />
                  </dd>
                </div>
                <div>
                  <dt>Uptime 30 d</dt>
                  <dd>
                    <Percent value={check.uptime['30d']} />
                  </dd>
                </div>
                <div>
                  <dt>Alert</dt>
                  <dd>{check.alert_firing ? <span className="form-error">firing</span> : 'not firing'}</dd>
                </div>
              </dl>
            ) : (
              <Loading />
            )}
          </div>
          <section className="panel" aria-labelledby="lat-h">
            <div className="page-head">
              <h2 id="lat-h">Latency</h2>
              <div className="field">
                <label htmlFor="lat-range">Range</label>
                <select id="lat-range" value={range} onChange={(e) => setSearch({ range: e.target.value === '6h' ? undefined : e.target.value })}>
                  {['1h', '6h', '24h', '7d', '30d'].map((r) => (
                    <option key={r} value={r}>
                      last {r}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            {latency.data ? (
              toSeries(latency.data.data).length ? (
                <TimeChart series={toSeries(latency.data.data)} unit="s" label={`Latency of ${name} over the last ${range}`} height={220} showLegend={false} {...(latencyQuery.data ? { range: latencyQuery.data.window } : {})} />
              ) : (
                <Empty title="No latency samples in this range" />
              )
            ) : latency.error ? (
              <Failure error={latency.error} />
            ) : (
              <Loading what="Loading latency" />
            )}
          </section>
          <section className="panel" aria-labelledby="res-h">
            <h2 id="res-h">Last results</h2>
            <Resource polled={results} what="Results">
              {(data) =>
                data.results.length ? (
                  <div className="table-wrap">
                    <table className="table responsive">
                      <thead>
                        <tr>
                          <th scope="col">When</th>
                          <th scope="col">Result</th>
                          <th scope="col" className="num">
                            Took
                          </th>
                          <th scope="col">Reason</th>
                        </tr>
                      </thead>
                      <tbody>
                        {data.results.map((r) => (
                          <tr key={r.at}>
                            <td data-label="When">
                              <Time t={r.at} />
                            </td>
                            <td data-label="Result">{r.success ? <CheckStateBadge state="up" /> : <CheckStateBadge state="down" />}</td>
                            <td data-label="Took" className="num">
                              {Math.round(r.duration_ms)} ms
                            </td>
                            <td data-label="Reason">{r.success ? <span className="muted">{r.message || 'ok'}</span> : r.message}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                ) : (
                  <Empty title="No results yet" />
                )
              }
            </Resource>
          </section>
        </>
      )}
    </div>
  );
}

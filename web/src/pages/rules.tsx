import { useQuery } from '../lib/use-query';
import { api } from '../lib/api';
import { useTitle } from '../lib/router';
import { Time, formatDuration } from '../lib/time';
import type { PromResponse } from '../lib/types';
import { StatusBadge } from '../components/badges';
import { Labels } from '../components/labels';
import { Empty, Failure, Loading } from '../components/states';

/** Prometheus's GET /api/v1/rules shapes (public, fixed). */
interface Rule {
  name: string;
  query: string;
  type: 'alerting' | 'recording';
  health: 'ok' | 'err' | 'unknown';
  lastError?: string;
  state?: 'firing' | 'pending' | 'inactive';
  duration?: number;
  labels?: Record<string, string>;
  alerts?: unknown[];
  lastEvaluation?: string;
  evaluationTime?: number;
}
interface RuleGroup {
  name: string;
  file: string;
  interval: number;
  rules: Rule[];
  lastEvaluation?: string;
  evaluationTime?: number;
}

/** Rule groups with their health and last evaluation. */
export default function Rules() {
  useTitle('Rules');
  const result = useQuery('rules', (signal) => api.get<PromResponse<{ groups: RuleGroup[] }>>('/api/v1/rules', { signal }), 15_000);
  const groups = result.data?.data.groups ?? [];
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Rules</h1>
          <p className="muted">Recording and alerting rule groups, as Prometheus shows them.</p>
        </div>
      </div>
      {result.error && !result.data ? (
        <Failure error={result.error} />
      ) : !result.data ? (
        <Loading what="Loading rules" />
      ) : groups.length === 0 ? (
        <Empty title="No rule groups">Add rule files to the configuration.</Empty>
      ) : (
        groups.map((g) => {
          const bad = g.rules.filter((r) => r.health === 'err').length;
          return (
            <section key={`${g.file}/${g.name}`} className="panel" aria-label={`Rule group ${g.name}`}>
              <h2>
                {g.name} <span className="muted small">{g.file}</span>
              </h2>
              <p className="muted small">
                every {formatDuration(g.interval * 1000)} · last evaluated {g.lastEvaluation ? <Time t={g.lastEvaluation} /> : 'never'}
                {g.evaluationTime !== undefined ? ` in ${(g.evaluationTime * 1000).toFixed(1)} ms` : ''}
                {bad ? <strong className="form-error"> · {bad} rule(s) failing</strong> : null}
              </p>
              <div className="table-wrap">
                <table className="table responsive">
                  <thead>
                    <tr>
                      <th scope="col">Rule</th>
                      <th scope="col">State</th>
                      <th scope="col">Health</th>
                      <th scope="col">Last evaluation</th>
                    </tr>
                  </thead>
                  <tbody>
                    {g.rules.map((r) => (
                      <tr key={`${r.type}/${r.name}/${r.query}`}>
                        <td data-label="Rule">
                          <strong>{r.name}</strong> <span className="muted small">{r.type}</span>
                          <div className="mono small">{r.query}</div>
                          {r.labels && Object.keys(r.labels).length ? <Labels labels={r.labels} /> : null}
                        </td>
                        <td data-label="State">{r.type === 'alerting' ? <StatusBadge status={r.state ?? 'inactive'} /> : <span className="muted">–</span>}</td>
                        <td data-label="Health">{r.health === 'err' ? <span className="form-error">error: {r.lastError}</span> : r.health}</td>
                        <td data-label="Last evaluation">{r.lastEvaluation ? <Time t={r.lastEvaluation} /> : '–'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          );
        })
      )}
    </div>
  );
}

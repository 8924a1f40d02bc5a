import { useState, type FormEvent } from 'react';
import { usePoll } from '../lib/poll';
import { api, errorText } from '../lib/api';
import { setSearch, useLocation, useTitle } from '../lib/router';
import { formatDuration } from '../lib/time';
import type { RouteNodeView, RouteTestResponse, RoutingResponse } from '../lib/types';
import { Resource } from '../components/states';
import { Labels } from '../components/labels';
import { parseLabelSet } from '../lib/label-set';

function RouteNode({ node, result }: { node: RouteNodeView; result: RouteTestResponse | undefined }) {
  const visit = result?.visited.find((v) => v.index === node.index);
  const matched = result?.matches.some((m) => m.index === node.index);
  const onPath = result?.matches.some((m) => m.path.includes(node.index));
  const cls = ['route-card', visit ? 'visited' : '', visit && !visit.matched ? 'no-match' : '', onPath ? 'on-path' : '', matched ? 'matched' : ''].filter(Boolean).join(' ');
  const state = matched ? 'the label set ends here' : onPath ? 'on the path' : visit ? (visit.matched ? 'matched, went deeper' : 'did not match') : undefined;
  return (
    <li className="route-node">
      <div className={cls} data-testid={`route-${node.index}`} data-matched={matched ? 'true' : undefined}>
        <span>
          <span className="route-receiver">→ {node.receiver}</span>
          {node.index === 0 ? <span className="muted"> (root: everything)</span> : null}
          {state ? <span className="sr-only"> — {state}</span> : null}
          {matched ? <strong className="target-met"> ✓ delivered here</strong> : null}
        </span>
        {node.matchers.length ? (
          <span className="mono small">{node.matchers.join(', ')}</span>
        ) : node.index === 0 ? null : (
          <span className="muted small">no matchers: matches all</span>
        )}
        <span className="route-opts">
          group by {node.group_by.length ? node.group_by.join(', ') : '(nothing)'} · wait {formatDuration(node.group_wait_ms)} · interval {formatDuration(node.group_interval_ms)} · repeat {formatDuration(node.repeat_interval_ms)}
          {node.continue ? ' · continue' : ''}
        </span>
      </div>
      {node.routes.length ? (
        <ul>
          {node.routes.map((r) => (
            <RouteNode key={r.index} node={r} result={result} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** The routing tree as configured, and where any label set would go (`amtool config routes test`). */
export default function Routing() {
  useTitle('Routing');
  const { search } = useLocation();
  const polled = usePoll<RoutingResponse>('/api/v1/routes', 60_000);
  const [text, setText] = useState(search.get('labels') ?? 'alertname="HighLatency", service="shop-api", severity="critical"');
  const [result, setResult] = useState<RouteTestResponse>();
  const [error, setError] = useState<string>();
  const test = async (e?: FormEvent) => {
    e?.preventDefault();
    const parsed = parseLabelSet(text);
    if ('error' in parsed) {
      setError(parsed.error);
      setResult(undefined);
      return;
    }
    setError(undefined);
    setSearch({ labels: text }, { replace: true });
    try {
      setResult(await api.post<RouteTestResponse>('/api/v1/routes/test', { labels: parsed.labels }));
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Routing</h1>
          <p className="muted">The route tree from the configuration (route: and receivers:), with each route's effective options.</p>
        </div>
      </div>
      <form className="panel" onSubmit={(e) => void test(e)} aria-labelledby="tester-h">
        <h2 id="tester-h">Test a label set</h2>
        <label htmlFor="labelset">Labels of an alert</label>
        <textarea id="labelset" data-shortcut="focus" value={text} onChange={(e) => setText(e.target.value)} rows={2} aria-describedby="labelset-hint" />
        <p id="labelset-hint" className="muted small">
          name="value" pairs, separated by commas or lines.
        </p>
        <button type="submit" className="btn btn-primary">
          Test routing
        </button>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <div aria-live="polite" data-testid="route-result">
          {result ? (
            <div className="route-result">
              <p>
                Delivered to <strong>{[...new Set(result.matches.map((m) => m.receiver))].join(', ')}</strong>
                {result.matches.length > 1 ? ` (${result.matches.length} routes, by continue)` : ''}.
              </p>
              {result.matches.map((m) => (
                <p key={m.index} className="small">
                  Route {m.id}: grouped by <Labels labels={m.group_labels} />
                </p>
              ))}
            </div>
          ) : null}
        </div>
      </form>
      <section className="panel" aria-labelledby="tree-h">
        <h2 id="tree-h">Route tree</h2>
        <Resource polled={polled} what="Routes">
          {(data) => (
            <>
              <ul className="route-tree" aria-label="Route tree">
                <RouteNode node={data.route} result={result} />
              </ul>
              <p className="muted small">Receivers: {data.receivers.join(', ')}</p>
            </>
          )}
        </Resource>
      </section>
    </div>
  );
}

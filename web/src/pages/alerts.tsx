import { useMemo, useState } from 'react';
import { api } from '../lib/api';
import { fromAm, loadAlerts, type AlertState, type AmAlertGroup, type UiAlert } from '../lib/alerts';
import { useCapability } from '../lib/capabilities';
import { useQuery } from '../lib/use-query';
import { setSearch, useLocation, useTitle } from '../lib/router';
import { useSession } from '../lib/session';
import { Time } from '../lib/time';
import type { RouteTestResponse } from '../lib/types';
import { SeverityBadge, StatusBadge } from '../components/badges';
import { Labels } from '../components/labels';
import { Empty, Failure, Loading } from '../components/states';
import { SilenceDialog } from '../components/silence-dialog';

interface Group {
  readonly key: string;
  readonly receiver: string;
  readonly labels: Record<string, string>;
  readonly alerts: UiAlert[];
}

const STATES: readonly AlertState[] = ['firing', 'pending', 'silenced', 'inhibited'];

/**
 * Alertmanager's own groups where its API exists; otherwise each alert is routed with
 * POST /api/v1/routes/test, which gives the same receiver and group labels the dispatcher uses.
 */
async function loadGroups(hasAm: boolean, signal: AbortSignal): Promise<Group[]> {
  const alerts = await loadAlerts(hasAm, signal);
  const groups = new Map<string, Group>();
  const add = (receiver: string, labels: Record<string, string>, a: UiAlert) => {
    const key = `${receiver}|${JSON.stringify(Object.entries(labels).sort())}`;
    const g = groups.get(key) ?? { key, receiver, labels, alerts: [] };
    if (!g.alerts.some((x) => x.fingerprint === a.fingerprint)) g.alerts.push(a);
    groups.set(key, g);
  };
  if (hasAm) {
    for (const g of await api.get<AmAlertGroup[]>('/api/v2/alerts/groups', { signal })) for (const a of g.alerts) add(g.receiver.name, g.labels, fromAm(a));
    // Pending alerts of rules are not in Alertmanager yet: route them as the others.
  }
  for (const a of alerts.slice(0, 500)) {
    if (hasAm && a.state !== 'pending') continue;
    const r = await api.post<RouteTestResponse>('/api/v1/routes/test', { labels: a.labels }, { signal });
    for (const m of r.matches) add(m.receiver, m.group_labels, a);
  }
  return [...groups.values()].sort((x, y) => y.alerts.filter((a) => a.state === 'firing').length - x.alerts.filter((a) => a.state === 'firing').length || x.key.localeCompare(y.key));
}

/** Everything in the pipeline, grouped as the route tree groups it, with state and labels; silence from an alert. */
export default function Alerts() {
  useTitle('Alerts');
  const { search } = useLocation();
  const { can } = useSession();
  const hasAm = useCapability('silences');
  const state = search.get('state') ?? '';
  const text = search.get('q') ?? '';
  const [silenceFor, setSilenceFor] = useState<Record<string, string>>();
  const [created, setCreated] = useState<string>();
  const minute = Math.floor(Date.now() / 5000);
  const result = useQuery(`groups|${hasAm}|${minute}`, (signal) => loadGroups(hasAm, signal), 5000);
  const filtered = useMemo(
    () =>
      (result.data ?? [])
        .map((g) => ({
          ...g,
          alerts: g.alerts.filter(
            (a) => a.state !== 'resolved' && (!state || a.state === state) && (!text || JSON.stringify(a.labels).toLowerCase().includes(text.toLowerCase()) || (a.annotations['summary'] ?? '').toLowerCase().includes(text.toLowerCase())),
          ),
        }))
        .filter((g) => g.alerts.length > 0),
    [result.data, state, text],
  );
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Alerts</h1>
          <p className="muted">Alerts from checks, log detectors, rules and other systems, grouped by receiver and group labels as the route tree groups them.</p>
        </div>
      </div>
      <form className="toolbar" role="search" aria-label="Filter alerts" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="a-state">State</label>
          <select id="a-state" value={state} onChange={(e) => setSearch({ state: e.target.value })}>
            <option value="">Any</option>
            {STATES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="a-q">Labels or summary contain</label>
          <input id="a-q" data-shortcut="focus" value={text} onChange={(e) => setSearch({ q: e.target.value }, { replace: true })} />
        </div>
      </form>
      {created ? (
        <p className="banner banner-info" role="status">
          Silence {created} created.
        </p>
      ) : null}
      {result.error && !result.data ? (
        <Failure error={result.error} what="Alerts could not be loaded" />
      ) : !result.data ? (
        <Loading what="Loading alerts" />
      ) : filtered.length === 0 ? (
        <Empty title={result.data.length ? 'No alert matches these filters' : 'No alerts'} icon="✓">
          {result.data.length ? 'Clear a filter to see the others.' : 'Nothing is firing or pending.'}
        </Empty>
      ) : (
        filtered.map((g) => (
          <section key={g.key} className="panel" aria-label={`Group ${g.receiver}`}>
            <h2>
              → {g.receiver} <Labels labels={g.labels} /> <span className="count">{g.alerts.length}</span>
            </h2>
            <ul className="rows">
              {g.alerts.map((a) => (
                <li key={a.fingerprint} className="row" data-testid="alert-row">
                  <StatusBadge status={a.state} />
                  <SeverityBadge severity={a.labels['severity'] ?? 'none'} />
                  <span className="row-main">
                    <strong>{a.labels['alertname']}</strong> {a.annotations['summary'] ?? a.annotations['description'] ?? ''}
                    <Labels labels={a.labels} hide={['alertname', ...Object.keys(g.labels)]} />
                  </span>
                  <span className="muted">
                    since <Time t={a.startsAt} />
                  </span>
                  {hasAm && can('responder') && a.state !== 'pending' ? (
                    <button type="button" className="btn btn-small" onClick={() => setSilenceFor(a.labels)} aria-label={`Silence ${a.labels['alertname'] ?? 'this alert'}`}>
                      Silence…
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
      <SilenceDialog open={silenceFor !== undefined} labels={silenceFor} onClose={() => setSilenceFor(undefined)} onCreated={setCreated} />
    </div>
  );
}

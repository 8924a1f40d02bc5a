import { usePoll } from '../lib/poll';
import { Link, setSearch, useLocation, useTitle } from '../lib/router';
import { Time, formatDuration } from '../lib/time';
import { SEVERITIES, type IncidentView, type IncidentsResponse } from '../lib/types';
import { SeverityBadge, StatusBadge } from '../components/badges';
import { Empty, Resource } from '../components/states';
import { DeclareDialog } from '../components/declare-dialog';
import { useSession } from '../lib/session';
import { useState } from 'react';

const WINDOWS: Record<string, number> = { '24h': 24 * 3600_000, '7d': 7 * 24 * 3600_000, '30d': 30 * 24 * 3600_000 };

function TargetCell({ t }: { t: IncidentView['sla']['time_to_acknowledge'] }) {
  const text = t.state === 'pending' ? `within ${formatDuration(t.target_ms)}` : `${t.state} (${formatDuration(t.actual_ms ?? 0)})`;
  return <span className={`target-${t.state}`}>{text}</span>;
}

/** Incidents with filters (status, severity, service, opened within), all in the URL. */
export default function Incidents() {
  useTitle('Incidents');
  const { search } = useLocation();
  const status = search.get('status') ?? 'open';
  const severity = search.get('severity') ?? '';
  const service = search.get('service') ?? '';
  const within = search.get('within') ?? '';
  const { can } = useSession();
  const [declaring, setDeclaring] = useState(false);
  const polled = usePoll<IncidentsResponse>(`/api/v1/incidents?status=${encodeURIComponent(status)}&limit=1000`);
  const services = [...new Set((polled.data?.incidents ?? []).flatMap((i) => i.services))].sort();
  const now = Date.now();
  const filter = (list: readonly IncidentView[]) =>
    list.filter(
      (i) =>
        (!severity || i.severity === severity) &&
        (!service || i.services.includes(service)) &&
        (!within || now - Date.parse(i.opened_at) <= (WINDOWS[within] ?? Infinity)),
    );
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Incidents</h1>
          <p className="muted">Opened by alerts of the severities in incidents.open_for_severities, or declared by hand; newest first.</p>
        </div>
        {can('responder') ? (
          <button type="button" className="btn btn-primary" onClick={() => setDeclaring(true)}>
            Declare incident…
          </button>
        ) : null}
      </div>
      <DeclareDialog open={declaring} onClose={() => setDeclaring(false)} />
      <form className="toolbar" role="search" aria-label="Filter incidents" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="f-status">Status</label>
          <select id="f-status" value={status} onChange={(e) => setSearch({ status: e.target.value === 'open' ? undefined : e.target.value })}>
            <option value="open">Open (not resolved)</option>
            <option value="resolved">Resolved</option>
            <option value="all">All</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-severity">Severity</label>
          <select id="f-severity" value={severity} onChange={(e) => setSearch({ severity: e.target.value })}>
            <option value="">Any</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-service">Service</label>
          <select id="f-service" value={service} onChange={(e) => setSearch({ service: e.target.value })}>
            <option value="">Any</option>
            {[...new Set([...services, ...(service ? [service] : [])])].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-within">Opened</label>
          <select id="f-within" value={within} onChange={(e) => setSearch({ within: e.target.value })}>
            <option value="">Any time</option>
            <option value="24h">Last 24 hours</option>
            <option value="7d">Last 7 days</option>
            <option value="30d">Last 30 days</option>
          </select>
        </div>
      </form>
      <section className="panel" aria-label="Incident list">
        <Resource polled={polled} what="Incidents">
          {(data) => {
            const list = filter(data.incidents);
            if (list.length === 0) {
              return (
                <Empty title={data.incidents.length ? 'No incident matches these filters' : status === 'open' ? 'No open incidents' : 'No incidents'} icon="✓">
                  {data.incidents.length ? 'Clear a filter to see more.' : 'Incidents open when alerts of the configured severities fire.'}
                </Empty>
              );
            }
            return (
              <div className="table-wrap">
                <table className="table responsive">
                  <thead>
                    <tr>
                      <th scope="col">Incident</th>
                      <th scope="col">Severity</th>
                      <th scope="col">Status</th>
                      <th scope="col">Services</th>
                      <th scope="col">Opened</th>
                      <th scope="col">Assignee</th>
                      <th scope="col">Acknowledge</th>
                      <th scope="col">Resolve</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((i) => (
                      <tr key={i.id}>
                        <td data-label="Incident">
                          <Link to={`/incidents/${i.id}`}>
                            <strong>{i.id}</strong>
                          </Link>{' '}
                          {i.title}
                        </td>
                        <td data-label="Severity">
                          <SeverityBadge severity={i.severity} />
                        </td>
                        <td data-label="Status">
                          <StatusBadge status={i.status} />
                        </td>
                        <td data-label="Services">{i.services.join(', ') || '–'}</td>
                        <td data-label="Opened">
                          <Time t={i.opened_at} />
                        </td>
                        <td data-label="Assignee">{i.assignee ?? <span className="muted">–</span>}</td>
                        <td data-label="Acknowledge">
                          <TargetCell t={i.sla.time_to_acknowledge} />
                        </td>
                        <td data-label="Resolve">
                          <TargetCell t={i.sla.time_to_resolve} />
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

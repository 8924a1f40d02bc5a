import { useEffect, useState } from 'react';
import { usePoll } from '../lib/poll';
import { Link, navigate, useLocation, useTitle } from '../lib/router';
import { useSession } from '../lib/session';
import { useCapability } from '../lib/capabilities';
import { incidentActions } from '../lib/incident-actions';
import { errorText } from '../lib/api';
import { TextWithTimes, Time, ago, formatLocal } from '../lib/time';
import { SEVERITIES, type IncidentView, type IncidentsResponse, type ServiceView, type ServicesResponse } from '../lib/types';
import { loadAlerts, type UiAlert } from '../lib/alerts';
import { useQuery } from '../lib/use-query';
import { SeverityBadge, StateBadge, StatusBadge } from '../components/badges';
import { Empty, Failure, Loading } from '../components/states';
import { OnCallNow } from '../components/oncall-now';
import { SlosAtRisk } from '../components/slo-at-risk';

type Overall = 'down' | 'degraded' | 'up' | 'unknown';

function overall(services: readonly ServiceView[]): Overall {
  if (services.some((s) => s.state === 'down')) return 'down';
  if (services.some((s) => s.state === 'degraded')) return 'degraded';
  if (services.length === 0 || services.every((s) => s.state === 'unknown')) return 'unknown';
  return 'up';
}

function summary(services: readonly ServiceView[]): string {
  if (services.length === 0) return 'No services yet: declare them under services: or add checks.';
  const n = (st: string) => services.filter((s) => s.state === st).length;
  const parts = [['down', n('down')], ['degraded', n('degraded')], ['in maintenance', n('maintenance')], ['unknown', n('unknown')]].filter(([, c]) => (c as number) > 0);
  if (parts.length === 0) return services.length === 1 ? 'The service is up.' : `All ${services.length} services are up.`;
  return `${parts.map(([w, c]) => `${c} ${w}`).join(', ')} of ${services.length} service${services.length === 1 ? '' : 's'}.`;
}

function ServiceTile({ s, big }: { s: ServiceView; big?: boolean }) {
  const incidents = s.open_incidents.length;
  return (
    <li className={`tile tile-${s.state}${big ? ' tile-big' : ''}`} data-testid={`service-${s.name}`} data-state={s.state}>
      <div className="tile-head">
        <Link to={`/checks?service=${encodeURIComponent(s.name)}`} className="tile-name">
          {s.name}
        </Link>
        <StateBadge state={s.state} />
      </div>
      {s.reasons.length ? (
        <ul className="tile-reasons">
          {s.reasons.slice(0, big ? 2 : 3).map((r) => (
            <li key={r}>
              <TextWithTimes text={r} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="tile-ok">{s.checks.total ? `${s.checks.up}/${s.checks.total} checks up` : 'no checks'}</p>
      )}
      {!big ? (
        <p className="tile-meta muted">
          {s.owner ? `${s.owner} · ` : ''}
          {s.checks.total} check{s.checks.total === 1 ? '' : 's'}
          {incidents ? ` · ${incidents} incident${incidents === 1 ? '' : 's'}` : ''}
        </p>
      ) : null}
    </li>
  );
}

function AckButton({ incident, onDone }: { incident: IncidentView; onDone: () => void }) {
  const { can } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  if (!can('responder') || incident.status !== 'triggered') return null;
  return (
    <>
      <button
        type="button"
        className="btn btn-small btn-primary"
        disabled={busy}
        aria-label={`Acknowledge ${incident.id}`}
        onClick={() => {
          setBusy(true);
          incidentActions.acknowledge(incident.id).then(
            () => (setBusy(false), onDone()),
            (e: unknown) => (setBusy(false), setError(errorText(e))),
          );
        }}
      >
        {busy ? 'Acknowledging…' : 'Acknowledge'}
      </button>
      {error ? (
        <span className="form-error" role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}

function IncidentRows({ incidents, refresh }: { incidents: readonly IncidentView[]; refresh: () => void }) {
  if (incidents.length === 0) return <Empty title="No open incidents" icon="✓" />;
  return (
    <ul className="rows">
      {incidents.map((i) => (
        <li key={i.id} className={`row row-${i.severity}`}>
          <SeverityBadge severity={i.severity} />
          <Link to={`/incidents/${i.id}`} className="row-main">
            <strong>{i.id}</strong> {i.title}
          </Link>
          <StatusBadge status={i.status} />
          <span className="muted" title={i.opened_at}>
            {ago(i.opened_at)}
          </span>
          <AckButton incident={i} onDone={refresh} />
        </li>
      ))}
    </ul>
  );
}

function FiringAlerts({ alerts }: { alerts: readonly UiAlert[] }) {
  const firing = alerts.filter((a) => a.state === 'firing');
  const by = (sev: string) => firing.filter((a) => (a.labels['severity'] ?? 'none') === sev);
  const other = firing.filter((a) => !SEVERITIES.includes(a.labels['severity'] as never));
  if (firing.length === 0) return <Empty title="No alerts firing" icon="✓" />;
  return (
    <>
      <ul className="sev-counts" aria-label="Firing alerts by severity">
        {[...SEVERITIES, 'other'].map((sev) => {
          const n = sev === 'other' ? other.length : by(sev).length;
          return (
            <li key={sev} className={`sev-count sev-${sev}${n ? '' : ' zero'}`}>
              <span className="sev-n">{n}</span> {sev}
            </li>
          );
        })}
      </ul>
      <ul className="rows compact">
        {firing.slice(0, 8).map((a) => (
          <li key={a.fingerprint} className="row">
            <SeverityBadge severity={a.labels['severity'] ?? 'none'} />
            <span className="row-main">
              <strong>{a.labels['alertname']}</strong> {a.labels['service'] ? <span className="muted">{a.labels['service']}</span> : null}{' '}
              {a.annotations['summary'] ?? a.annotations['description'] ?? ''}
            </span>
            <Time t={a.startsAt} relative />
          </li>
        ))}
      </ul>
      {firing.length > 8 ? <Link to="/alerts">All {firing.length} firing alerts</Link> : null}
    </>
  );
}

function useOverviewData(intervalMs: number) {
  const services = usePoll<ServicesResponse>('/api/v1/services', intervalMs);
  const incidents = usePoll<IncidentsResponse>('/api/v1/incidents?status=open', intervalMs);
  const hasAm = useCapability('silences');
  const alerts = useQuery(`alerts|${hasAm}`, (signal) => loadAlerts(hasAm, signal), intervalMs);
  return { services, incidents, alerts };
}

export function Overview() {
  useTitle('Overview');
  const { services, incidents, alerts } = useOverviewData(5000);
  const hasOncall = useCapability('oncall');
  const hasSlos = useCapability('slos');
  const list = services.data?.services;
  const state = list ? overall(list) : 'unknown';
  return (
    <div className="page overview">
      <div className={`overall overall-${state}`} data-testid="overall" data-state={state}>
        <div>
          <h1>Overview</h1>
          <p className="overall-text" aria-live="polite">
            {list ? summary(list) : 'Loading services…'}
          </p>
        </div>
        <Link to="/?kiosk=1" className="btn">
          Wall screen
        </Link>
      </div>
      <section aria-labelledby="svc-h" className="panel">
        <h2 id="svc-h">Services</h2>
        {list ? (
          list.length ? (
            <ul className="tiles">
              {list.map((s) => (
                <ServiceTile key={s.name} s={s} />
              ))}
            </ul>
          ) : (
            <Empty title="No services yet">
              Declare services under <code>services:</code> in vigil.yml and give them checks; see docs/configuration.md.
            </Empty>
          )
        ) : services.error ? (
          <Failure error={services.error} retry={services.refresh} />
        ) : (
          <Loading what="Loading services" />
        )}
      </section>
      <div className="columns">
        <section aria-labelledby="inc-h" className="panel">
          <h2 id="inc-h">
            Open incidents {incidents.data ? <span className="count">{incidents.data.incidents.length}</span> : null}
          </h2>
          {incidents.data ? <IncidentRows incidents={incidents.data.incidents} refresh={incidents.refresh} /> : incidents.error ? <Failure error={incidents.error} retry={incidents.refresh} /> : <Loading />}
        </section>
        <section aria-labelledby="alerts-h" className="panel">
          <h2 id="alerts-h">Firing alerts</h2>
          {alerts.data ? <FiringAlerts alerts={alerts.data} /> : alerts.error ? <Failure error={alerts.error} /> : <Loading />}
        </section>
        {hasSlos ? (
          <section aria-labelledby="slo-h" className="panel">
            <h2 id="slo-h">SLO budgets at risk</h2>
            <SlosAtRisk />
          </section>
        ) : null}
        {hasOncall ? (
          <section aria-labelledby="oncall-h" className="panel">
            <h2 id="oncall-h">On call now</h2>
            <OnCallNow />
          </section>
        ) : null}
      </div>
    </div>
  );
}

/** The wall screen: big tiles readable across a room, no chrome, refreshing by itself. */
export function Kiosk() {
  useTitle('Wall');
  const { search } = useLocation();
  const { services, incidents, alerts } = useOverviewData(10_000);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && navigate('/');
    window.addEventListener('keydown', esc);
    return () => (clearInterval(t), window.removeEventListener('keydown', esc));
  }, []);
  const list = services.data?.services ?? [];
  const state = services.data ? overall(list) : 'unknown';
  const firing = alerts.data?.filter((a) => a.state === 'firing') ?? [];
  const stale = services.error && services.updatedAt;
  return (
    <main className={`kiosk overall-${state}`} id="main" data-testid="overall" data-state={state}>
      <header className="kiosk-head">
        <h1>{services.data ? summary(list) : 'Connecting to Vigil…'}</h1>
        <div className="kiosk-clock" aria-label="Time now">
          {formatLocal(now)}
        </div>
        <Link to="/" className="btn kiosk-exit" aria-label="Leave the wall screen (Esc)">
          Exit
        </Link>
      </header>
      {stale ? (
        <div className="banner banner-error" role="alert">
          Connection to Vigil lost since {formatLocal(services.updatedAt ?? now)}; retrying.
        </div>
      ) : null}
      <ul className="tiles tiles-big">
        {list.map((s) => (
          <ServiceTile key={s.name} s={s} big />
        ))}
      </ul>
      <footer className="kiosk-foot">
        <span>
          <strong>{incidents.data?.incidents.length ?? '–'}</strong> open incident{incidents.data?.incidents.length === 1 ? '' : 's'}
        </span>
        {SEVERITIES.map((sev) => (
          <span key={sev} className={`sev-${sev}`}>
            <strong>{firing.filter((a) => a.labels['severity'] === sev).length}</strong> {sev}
          </span>
        ))}
        {search.get('refresh') ? null : <span className="muted">updates every 10 s</span>}
      </footer>
    </main>
  );
}

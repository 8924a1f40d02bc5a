import { usePoll } from '../lib/poll';
import { Link, setSearch, useLocation, useTitle } from '../lib/router';
import { TextWithTimes, Time, formatDuration } from '../lib/time';
import { errorText } from '../lib/api';
import type { IncidentDetailView } from '../lib/types';
import { SeverityBadge, StatusBadge } from '../components/badges';
import { Labels } from '../components/labels';
import { Empty, Resource } from '../components/states';
import { Tabs } from '../components/tabs';
import { IncidentActions } from './incident-actions';
import { PostmortemEditor } from './incident-postmortem';
import { ActionItems } from './incident-action-items';
import { PublicUpdates } from './incident-updates';
import { useCapability } from '../lib/capabilities';
import { ReportArticle, ReportDownloads, type ReportJson } from '../components/report-view';

/** The incident report (docs/reports.md): summary, timeline, response targets, post-mortem and action items, as a document to share. */
function IncidentReport({ id }: { id: string }) {
  const path = (format: string) => `/api/v1/incidents/${encodeURIComponent(id)}/report?format=${format}`;
  const polled = usePoll<ReportJson>(path('json'), 0);
  return (
    <>
      <div className="toolbar">
        <button type="button" className="btn" onClick={polled.refresh}>
          Refresh
        </button>
        <ReportDownloads path={path} stem={`incident-${id}`} />
      </div>
      <ReportArticle polled={polled} />
    </>
  );
}

function Target({ name, t }: { name: string; t: IncidentDetailView['sla']['time_to_acknowledge'] }) {
  const words = t.state === 'met' ? 'met' : t.state === 'breached' ? 'breached' : 'pending';
  return (
    <div className="target">
      <span className={`target-${t.state}`}>
        <span aria-hidden="true">{t.state === 'met' ? '✓' : t.state === 'breached' ? '✗' : '…'}</span> {name} {words}
      </span>
      <span className="muted">
        target {formatDuration(t.target_ms)}
        {t.actual_ms !== null ? `, took ${formatDuration(t.actual_ms)}` : ''}
      </span>
    </div>
  );
}

function Timeline({ entries }: { entries: IncidentDetailView['timeline'] }) {
  return (
    <ol className="timeline" aria-label="Timeline" data-testid="timeline">
      {[...entries].reverse().map((e, i) => (
        <li key={`${e.at}-${i}`} className={`tl-${e.kind}`}>
          <span className="tl-when">
            <Time t={e.at} />
          </span>
          {e.kind === 'note' ? (
            <>
              <strong>{e.actor}</strong> noted:
              <div className="tl-note-text">{e.message}</div>
            </>
          ) : (
            <span>
              <TextWithTimes text={e.message} />
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}

/** One incident: what, how bad, who, the targets, linked alerts, the live timeline, actions, the post-mortem and its action items, public updates. */
export default function Incident({ params }: { params: Record<string, string> }) {
  const id = params['id'] ?? '';
  useTitle(id);
  const { search } = useLocation();
  const tab = (search.get('tab') ?? 'timeline') as 'timeline' | 'alerts' | 'postmortem' | 'actions' | 'updates' | 'report';
  const publicUpdates = useCapability('publicUpdates');
  const statusPage = useCapability('statusPage');
  const reports = useCapability('reports');
  const polled = usePoll<IncidentDetailView>(`/api/v1/incidents/${encodeURIComponent(id)}`, 3000);
  return (
    <div className="page">
      <p>
        <Link to="/incidents">← Incidents</Link>
      </p>
      <Resource polled={polled} what={`Incident ${id}`}>
        {(inc) => (
          <>
            <div className="panel">
              <div className="incident-head">
                <h1>
                  {inc.id}: {inc.title}
                </h1>
              </div>
              <div className="incident-head">
                <SeverityBadge severity={inc.severity} />
                <StatusBadge status={inc.status} />
                {polled.error ? <span className="form-error">Not updating: {errorText(polled.error)}</span> : null}
              </div>
              <dl className="meta">
                <div>
                  <dt>Services</dt>
                  <dd>{inc.services.join(', ') || '–'}</dd>
                </div>
                <div>
                  <dt>Assignee</dt>
                  <dd data-testid="assignee">{inc.assignee ?? 'nobody'}</dd>
                </div>
                <div>
                  <dt>Opened</dt>
                  <dd>
                    <Time t={inc.opened_at} />
                  </dd>
                </div>
                <div>
                  <dt>Acknowledged</dt>
                  <dd>
                    <Time t={inc.acknowledged_at} />
                    {inc.acknowledged_by ? ` by ${inc.acknowledged_by}` : ''}
                  </dd>
                </div>
                <div>
                  <dt>Resolved</dt>
                  <dd>
                    <Time t={inc.resolved_at} />
                    {inc.resolved_by ? ` by ${inc.resolved_by}` : ''}
                  </dd>
                </div>
                <div className="wide">
                  <dt>Response targets</dt>
                  <dd>
                    <Target name="acknowledge" t={inc.sla.time_to_acknowledge} />
                    <Target name="resolve" t={inc.sla.time_to_resolve} />
                  </dd>
                </div>
              </dl>
              <IncidentActions incident={inc} onChange={polled.refresh} />
            </div>
            <Tabs
              label="Incident sections"
              value={tab}
              onChange={(t) => setSearch({ tab: t === 'timeline' ? undefined : t }, { replace: true })}
              tabs={[
                { id: 'timeline', label: `Timeline (${inc.timeline.length})` },
                { id: 'alerts', label: `Alerts (${inc.alerts.length})` },
                { id: 'postmortem', label: 'Post-mortem' },
                { id: 'actions', label: 'Action items' },
                ...(publicUpdates ? [{ id: 'updates', label: 'Public updates' }] : []),
                ...(reports ? [{ id: 'report', label: 'Report' }] : []),
              ]}
            />
            <section className="panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
              {tab === 'timeline' ? <Timeline entries={inc.timeline} /> : null}
              {tab === 'alerts' ? (
                inc.alerts.length ? (
                  <ul className="rows">
                    {inc.alerts.map((a) => (
                      <li key={a.fingerprint} className="row">
                        <StatusBadge status={a.status === 'firing' ? 'firing' : 'resolved'} />
                        <span className="row-main">
                          <strong>{a.labels['alertname']}</strong> {a.annotations['description'] ?? a.annotations['summary'] ?? ''}
                          <Labels labels={a.labels} hide={['alertname']} />
                        </span>
                        <span className="muted">
                          <Time t={a.starts_at} />
                          {a.ends_at ? (
                            <>
                              {' '}
                              – <Time t={a.ends_at} />
                            </>
                          ) : null}
                        </span>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <Empty title="No linked alerts" />
                )
              ) : null}
              {tab === 'postmortem' ? <PostmortemEditor id={inc.id} /> : null}
              {tab === 'actions' ? <ActionItems id={inc.id} /> : null}
              {tab === 'updates' && publicUpdates ? <PublicUpdates id={inc.id} statusPage={statusPage} /> : null}
              {tab === 'report' && reports ? <IncidentReport id={inc.id} /> : null}
            </section>
          </>
        )}
      </Resource>
    </div>
  );
}

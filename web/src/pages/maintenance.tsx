import { useState } from 'react';
import { api, errorText } from '../lib/api';
import { usePoll } from '../lib/poll';
import { setSearch, useLocation, useTitle } from '../lib/router';
import { useSession } from '../lib/session';
import { Time, formatDuration } from '../lib/time';
import type { MaintenanceList, MaintenanceView } from '../lib/types';
import { StateBadge } from '../components/badges';
import { Empty, Failure, Loading } from '../components/states';
import { Tabs } from '../components/tabs';
import { MaintenanceDialog } from '../components/maintenance-dialog';

type Tab = MaintenanceView['state'];
const TABS: readonly Tab[] = ['active', 'upcoming', 'completed'];
const TAB_TEXT: Record<Tab, string> = { active: 'In progress', upcoming: 'Upcoming', completed: 'Completed' };

/** When a window is, in words: "ends in 40m", "starts in 2h", "took 1h 30m". */
function when(w: MaintenanceView, now: number): string {
  const start = Date.parse(w.start);
  const end = Date.parse(w.end);
  if (w.state === 'active') return `ends in ${formatDuration(end - now)}`;
  if (w.state === 'upcoming') return `starts in ${formatDuration(start - now)}, lasts ${formatDuration(end - start)}`;
  return `lasted ${formatDuration(end - start)}`;
}

/**
 * Maintenance windows: while one is in progress its services show "in maintenance", their
 * alerts notify no one and open no incident, and uptime and SLOs do not count the time.
 */
export default function Maintenance() {
  useTitle('Maintenance');
  const { search } = useLocation();
  const { can } = useSession();
  const tab = (TABS as readonly string[]).includes(search.get('state') ?? '') ? (search.get('state') as Tab) : 'active';
  const polled = usePoll<MaintenanceList>('/api/v1/maintenance');
  const [dialog, setDialog] = useState<{ edit?: MaintenanceView } | undefined>();
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const all = polled.data?.maintenance ?? [];
  const list = all
    .filter((w) => w.state === tab)
    .sort((a, b) => (tab === 'completed' ? b.end.localeCompare(a.end) : a.start.localeCompare(b.start)));
  const now = Date.now();
  const end = async (w: MaintenanceView) => {
    setError(undefined);
    try {
      await api.del(`/api/v1/maintenance/${encodeURIComponent(w.id)}`);
      setStatus(w.state === 'active' ? `Maintenance of ${w.services.join(', ')} ended` : `Maintenance of ${w.services.join(', ')} cancelled`);
      polled.refresh();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Maintenance</h1>
          <p className="muted">While a window is in progress its services show as in maintenance, their alerts notify no one and open no incident, and uptime and SLOs leave the time out.</p>
        </div>
        {can('responder') ? (
          <button type="button" className="btn btn-primary" onClick={() => setDialog({})}>
            Schedule maintenance…
          </button>
        ) : null}
      </div>
      <p className="sr-only" role="status" aria-live="polite">
        {status}
      </p>
      <Tabs
        label="Maintenance state"
        value={tab}
        onChange={(t) => setSearch({ state: t === 'active' ? undefined : t })}
        tabs={TABS.map((s) => ({ id: s, label: `${TAB_TEXT[s]} (${all.filter((w) => w.state === s).length})` }))}
      />
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <section className="panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {polled.error && !polled.data ? (
          <Failure error={polled.error} retry={polled.refresh} what="Maintenance windows could not be loaded" />
        ) : !polled.data ? (
          <Loading what="Loading maintenance windows" />
        ) : list.length === 0 ? (
          <Empty title={tab === 'active' ? 'No maintenance in progress' : tab === 'upcoming' ? 'No maintenance scheduled' : 'No maintenance done yet'}>
            {tab !== 'completed' ? <>Schedule a window here, with <code>vigil maintenance</code>, or under <code>maintenance:</code> in vigil.yml.</> : null}
          </Empty>
        ) : (
          <ul className="rows" aria-label={`${TAB_TEXT[tab]} maintenance`}>
            {list.map((w) => (
              <li key={w.id} className="row" data-testid={`maintenance-${w.id}`}>
                <StateBadge state={w.state === 'active' ? 'maintenance' : 'unknown'} label={TAB_TEXT[w.state].toLowerCase()} />
                <span className="row-main">
                  <strong>{w.services.join(', ')}</strong>
                  {w.reason ? <> — {w.reason}</> : null}
                  <br />
                  <span className="muted small">
                    <Time t={w.start} /> → <Time t={w.end} /> · {when(w, now)} ·{' '}
                    {w.source === 'config' ? 'declared in vigil.yml' : `by ${w.created_by}`}
                    {w.ended_early_by ? (
                      <>
                        {' '}
                        · ended early by {w.ended_early_by} (planned until <Time t={w.planned_end} />)
                      </>
                    ) : null}
                  </span>
                </span>
                {can('responder') && w.source === 'api' && w.state !== 'completed' ? (
                  <span className="row-actions">
                    <button type="button" className="btn btn-small" aria-label={`Change maintenance of ${w.services.join(', ')}`} onClick={() => setDialog({ edit: w })}>
                      Change…
                    </button>
                    <button type="button" className="btn btn-small btn-danger" aria-label={`${w.state === 'active' ? 'End' : 'Cancel'} maintenance of ${w.services.join(', ')}`} onClick={() => void end(w)}>
                      {w.state === 'active' ? 'End now' : 'Cancel'}
                    </button>
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <MaintenanceDialog
        open={dialog !== undefined}
        edit={dialog?.edit}
        onClose={() => setDialog(undefined)}
        onSaved={(w) => {
          setStatus(`Maintenance of ${w.services.join(', ')} saved`);
          setSearch({ state: w.state === 'active' ? undefined : w.state });
          polled.refresh();
        }}
      />
    </div>
  );
}

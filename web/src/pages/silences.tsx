import { useState } from 'react';
import { errorText } from '../lib/api';
import { formatMatcher, silenceApi } from '../lib/silences';
import { useQuery } from '../lib/use-query';
import { setSearch, useLocation, useTitle } from '../lib/router';
import { useSession } from '../lib/session';
import { Time } from '../lib/time';
import { StatusBadge } from '../components/badges';
import { Empty, Failure, Loading } from '../components/states';
import { SilenceDialog } from '../components/silence-dialog';
import { Tabs } from '../components/tabs';

/** Silences (Alertmanager API v2): active, pending and expired; create one, expire one. */
export default function Silences() {
  useTitle('Silences');
  const { search } = useLocation();
  const { can } = useSession();
  const tab = (search.get('state') ?? 'active') as 'active' | 'pending' | 'expired';
  const [runs, setRuns] = useState(0);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string>();
  const result = useQuery(`silences|${runs}`, () => silenceApi.list(), 10_000);
  const list = (result.data ?? []).filter((s) => s.status.state === tab).sort((a, b) => b.startsAt.localeCompare(a.startsAt));
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Silences</h1>
          <p className="muted">Silenced alerts stay in the pipeline but notify no one and open no incident.</p>
        </div>
        {can('responder') ? (
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
            New silence…
          </button>
        ) : null}
      </div>
      <Tabs
        label="Silence state"
        value={tab}
        onChange={(t) => setSearch({ state: t === 'active' ? undefined : t })}
        tabs={(['active', 'pending', 'expired'] as const).map((s) => ({ id: s, label: `${s[0]?.toUpperCase()}${s.slice(1)} (${(result.data ?? []).filter((x) => x.status.state === s).length})` }))}
      />
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <section className="panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {result.error && !result.data ? (
          <Failure error={result.error} />
        ) : !result.data ? (
          <Loading what="Loading silences" />
        ) : list.length === 0 ? (
          <Empty title={`No ${tab} silences`} />
        ) : (
          <ul className="rows">
            {list.map((s) => (
              <li key={s.id} className="row">
                <StatusBadge status={s.status.state === 'active' ? 'silenced' : s.status.state} />
                <span className="row-main">
                  <span className="mono small">{s.matchers.map(formatMatcher).join(', ')}</span>
                  <br />
                  {s.comment} <span className="muted">— {s.createdBy}</span>
                </span>
                <span className="muted small">
                  <Time t={s.startsAt} /> → <Time t={s.endsAt} />
                </span>
                {can('responder') && s.status.state !== 'expired' ? (
                  <button
                    type="button"
                    className="btn btn-small btn-danger"
                    aria-label={`Expire silence ${s.id}`}
                    onClick={() =>
                      silenceApi.expire(s.id).then(
                        () => setRuns((n) => n + 1),
                        (e: unknown) => setError(errorText(e)),
                      )
                    }
                  >
                    Expire
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <SilenceDialog open={creating} onClose={() => setCreating(false)} onCreated={() => setRuns((n) => n + 1)} />
    </div>
  );
}

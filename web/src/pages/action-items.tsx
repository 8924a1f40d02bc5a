import { useState } from 'react';
import { usePoll } from '../lib/poll';
import { setSearch, useLocation, useTitle } from '../lib/router';
import type { ActionItemsResponse } from '../lib/types';
import { Empty, Resource } from '../components/states';
import { ActionItemRow } from './incident-action-items';

/** Follow-up work across incidents: what is still open, what is overdue, whose it is. */
export default function ActionItemsPage() {
  useTitle('Action items');
  const { search } = useLocation();
  const status = search.get('status') ?? 'pending';
  const overdue = search.get('overdue') === 'true';
  const owner = search.get('owner') ?? '';
  const [ownerText, setOwnerText] = useState(owner);
  const q = new URLSearchParams({ ...(status !== 'all' ? { status } : {}), ...(overdue ? { overdue: 'true' } : {}), ...(owner ? { owner } : {}) });
  const polled = usePoll<ActionItemsResponse>(`/api/v1/action-items?${q}`, 10_000);
  const [error, setError] = useState<string>();
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Action items</h1>
          <p className="muted">The follow-up work incidents leave behind, across every incident. Add them from an incident's Action items tab.</p>
        </div>
      </div>
      <form
        className="toolbar"
        role="search"
        aria-label="Filter action items"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch({ owner: ownerText.trim() || undefined });
        }}
      >
        <div className="field">
          <label htmlFor="ai-f-status">Status</label>
          <select id="ai-f-status" value={status} onChange={(e) => setSearch({ status: e.target.value === 'pending' ? undefined : e.target.value })}>
            <option value="pending">Not done</option>
            <option value="open">Open</option>
            <option value="in_progress">In progress</option>
            <option value="done">Done</option>
            <option value="all">All</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="ai-f-owner">Owner</label>
          <input id="ai-f-owner" value={ownerText} onChange={(e) => setOwnerText(e.target.value)} onBlur={() => setSearch({ owner: ownerText.trim() || undefined })} />
        </div>
        <label className="choice">
          <input type="checkbox" checked={overdue} onChange={(e) => setSearch({ overdue: e.target.checked ? 'true' : undefined })} /> Overdue only
        </label>
      </form>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <section className="panel">
        <Resource polled={polled} what="Action items">
          {(d) =>
            d.action_items.length === 0 ? (
              <Empty title={overdue ? 'Nothing overdue' : 'No action items'} icon="✓" />
            ) : (
              <ul className="rows" aria-label="Action items">
                {d.action_items.map((i) => (
                  <ActionItemRow key={i.id} item={i} showIncident onChange={(e) => (setError(e), polled.refresh())} />
                ))}
              </ul>
            )
          }
        </Resource>
      </section>
    </div>
  );
}

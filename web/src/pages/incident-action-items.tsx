import { useState } from 'react';
import { errorText } from '../lib/api';
import { incidentActions } from '../lib/incident-actions';
import { usePoll } from '../lib/poll';
import { Link } from '../lib/router';
import { useSession } from '../lib/session';
import type { ActionItemView, ActionItemsResponse } from '../lib/types';
import { Empty, Failure, Loading } from '../components/states';

export const ACTION_STATUS_TEXT: Record<ActionItemView['status'], string> = { open: 'Open', in_progress: 'In progress', done: 'Done' };
const KIND_TEXT: Record<ActionItemView['kind'], string> = { immediate: 'Immediate', preventive: 'Preventive' };

/** One action item as a row: title, kind, owner, due (overdue said in words), and its status, changeable by responders. */
export function ActionItemRow({ item, showIncident = false, onChange }: { item: ActionItemView; showIncident?: boolean; onChange: (error?: string) => void }) {
  const { can } = useSession();
  return (
    <li className="row" data-testid={`action-item-${item.id}`}>
      <span className={`badge ai-${item.status}`}>{ACTION_STATUS_TEXT[item.status]}</span>
      <span className="row-main">
        <strong>{item.title}</strong>
        <br />
        <span className="muted small">
          {KIND_TEXT[item.kind]} · {item.owner ? `owner ${item.owner}` : 'no owner'} · {item.due ? `due ${item.due}` : 'no due date'}
          {showIncident ? (
            <>
              {' '}
              · <Link to={`/incidents/${encodeURIComponent(item.incident_id)}?tab=actions`}>{item.incident_id}</Link>
            </>
          ) : null}
        </span>
        {item.overdue ? <span className="badge ai-overdue"> overdue</span> : null}
      </span>
      {can('responder') ? (
        <select
          aria-label={`Status of action item "${item.title}"`}
          value={item.status}
          onChange={(e) =>
            void incidentActions.updateActionItem(item.id, { status: e.target.value as ActionItemView['status'] }).then(
              () => onChange(),
              (err: unknown) => onChange(errorText(err)),
            )
          }
        >
          {(Object.keys(ACTION_STATUS_TEXT) as Array<ActionItemView['status']>).map((s) => (
            <option key={s} value={s}>
              {ACTION_STATUS_TEXT[s]}
            </option>
          ))}
        </select>
      ) : null}
    </li>
  );
}

/** The follow-up work an incident leaves: immediate fixes and preventive changes, each with an owner and a due day. */
export function ActionItems({ id }: { id: string }) {
  const { can } = useSession();
  const polled = usePoll<ActionItemsResponse>(`/api/v1/incidents/${encodeURIComponent(id)}/action-items`, 10_000);
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<ActionItemView['kind']>('preventive');
  const [owner, setOwner] = useState('');
  const [due, setDue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const add = async () => {
    if (!title.trim()) return setError('say what needs doing');
    setBusy(true);
    setError(undefined);
    try {
      await incidentActions.addActionItem(id, { title: title.trim(), kind, owner: owner.trim() || null, due: due || null });
      setTitle('');
      setOwner('');
      setDue('');
      polled.refresh();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const items = polled.data?.action_items ?? [];
  return (
    <>
      {can('responder') ? (
        <form
          className="update-form"
          aria-label="Add an action item"
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
        >
          <div className="field wide">
            <label htmlFor="ai-title">What needs doing</label>
            <input id="ai-title" value={title} onChange={(e) => setTitle(e.target.value)} placeholder="e.g. Alert on connection pool saturation" />
          </div>
          <div className="field">
            <label htmlFor="ai-kind">Kind</label>
            <select id="ai-kind" value={kind} onChange={(e) => setKind(e.target.value as ActionItemView['kind'])}>
              <option value="immediate">Immediate</option>
              <option value="preventive">Preventive</option>
            </select>
          </div>
          <div className="inline-fields">
            <div className="field">
              <label htmlFor="ai-owner">Owner</label>
              <input id="ai-owner" value={owner} onChange={(e) => setOwner(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="ai-due">Due</label>
              <input id="ai-due" type="date" value={due} onChange={(e) => setDue(e.target.value)} />
            </div>
          </div>
          {error ? (
            <p className="form-error wide" role="alert">
              {error}
            </p>
          ) : null}
          <div className="wide">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? 'Adding…' : 'Add action item'}
            </button>
          </div>
        </form>
      ) : null}
      {polled.error && !polled.data ? (
        <Failure error={polled.error} retry={polled.refresh} what="Action items could not be loaded" />
      ) : !polled.data ? (
        <Loading what="Loading action items" />
      ) : items.length === 0 ? (
        <Empty title="No action items">Follow-up work from this incident goes here, each with an owner and a due day.</Empty>
      ) : (
        <ul className="rows" aria-label="Action items">
          {items.map((i) => (
            <ActionItemRow key={i.id} item={i} onChange={(e) => (setError(e), polled.refresh())} />
          ))}
        </ul>
      )}
    </>
  );
}

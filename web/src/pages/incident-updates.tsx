import { useState } from 'react';
import { api, errorText } from '../lib/api';
import { usePoll } from '../lib/poll';
import { useSession } from '../lib/session';
import { Time } from '../lib/time';
import type { PublicUpdateView, PublicUpdatesResponse } from '../lib/types';
import { Empty, Failure, Loading } from '../components/states';

const STATUSES: ReadonlyArray<PublicUpdateView['status']> = ['investigating', 'identified', 'monitoring', 'resolved'];
const STATUS_TEXT: Record<PublicUpdateView['status'], string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

/**
 * What the public status page says about an incident: its updates, newest first, and (for
 * responders) a form to post the next one. The internal timeline and title are never public.
 */
export function PublicUpdates({ id, statusPage }: { id: string; statusPage: boolean }) {
  const { can } = useSession();
  const polled = usePoll<PublicUpdatesResponse>(`/api/v1/incidents/${encodeURIComponent(id)}/updates`, 10_000);
  const updates = [...(polled.data?.updates ?? [])].sort((a, b) => b.at.localeCompare(a.at));
  const last = updates[0];
  const [status, setStatus] = useState<PublicUpdateView['status']>();
  const [message, setMessage] = useState('');
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const chosen = status ?? (last ? last.status : 'investigating');
  const post = async () => {
    if (!message.trim()) return setError('write what the public should know');
    setBusy(true);
    setError(undefined);
    try {
      await api.post(`/api/v1/incidents/${encodeURIComponent(id)}/updates`, { status: chosen, message: message.trim(), ...(title.trim() ? { title: title.trim() } : {}) });
      setMessage('');
      setTitle('');
      setStatus(undefined);
      setDone('Update posted to the status page');
      polled.refresh();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <p className="muted small">
        What the public {statusPage ? <a href="/status">status page</a> : 'status page'} says about this incident. The internal title and timeline are never shown
        there.
      </p>
      {can('responder') ? (
        <form
          className="update-form"
          aria-label="Post a public update"
          onSubmit={(e) => {
            e.preventDefault();
            void post();
          }}
        >
          <div className="field">
            <label htmlFor="pu-status">Status</label>
            <select id="pu-status" value={chosen} onChange={(e) => setStatus(e.target.value as PublicUpdateView['status'])}>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_TEXT[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="field grow">
            <label htmlFor="pu-title">Public title (optional)</label>
            <input id="pu-title" value={title} onChange={(e) => setTitle(e.target.value)} placeholder={last?.title ?? 'e.g. Checkout is slow for some customers'} />
          </div>
          <div className="field wide">
            <label htmlFor="pu-message">Message</label>
            <textarea id="pu-message" rows={3} value={message} onChange={(e) => setMessage(e.target.value)} placeholder="What customers see, what you are doing, when you will update next" />
          </div>
          {error ? (
            <p className="form-error wide" role="alert">
              {error}
            </p>
          ) : null}
          <div className="wide">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? 'Posting…' : 'Post public update'}
            </button>
            <span className="sr-only" role="status">
              {done}
            </span>
          </div>
        </form>
      ) : null}
      {polled.error && !polled.data ? (
        <Failure error={polled.error} retry={polled.refresh} what="Public updates could not be loaded" />
      ) : !polled.data ? (
        <Loading what="Loading public updates" />
      ) : updates.length === 0 ? (
        <Empty title="Nothing posted publicly yet">{can('responder') ? 'Post the first update above: customers see it on the status page.' : null}</Empty>
      ) : (
        <ol className="timeline" aria-label="Public updates" data-testid="public-updates">
          {updates.map((u) => (
            <li key={u.id}>
              <span className="tl-when">
                <Time t={u.at} />
              </span>
              <strong>{STATUS_TEXT[u.status]}</strong>
              {u.title ? <> — {u.title}</> : null} <span className="muted small">(by {u.author})</span>
              <div className="tl-note-text">{u.message}</div>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

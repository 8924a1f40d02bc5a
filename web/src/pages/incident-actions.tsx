import { useState } from 'react';
import { errorText } from '../lib/api';
import { incidentActions } from '../lib/incident-actions';
import { useSession } from '../lib/session';
import { SEVERITIES, type IncidentDetailView, type Severity } from '../lib/types';
import { Dialog } from '../components/dialog';

type Open = 'note' | 'assign' | 'severity' | 'resolve' | 'reopen' | undefined;

/**
 * The responder's actions on an incident. Shown only to roles that may use them; each
 * button says what it does, and each result (or refusal) is announced.
 */
export function IncidentActions({ incident, onChange }: { incident: IncidentDetailView; onChange: () => void }) {
  const { can, session } = useSession();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [open, setOpen] = useState<Open>();
  const [text, setText] = useState('');
  const [assignee, setAssignee] = useState(incident.assignee ?? '');
  const [severity, setSeverity] = useState<Severity>(incident.severity);
  const [status, setStatus] = useState<string>();
  if (!can('responder')) return <p className="muted small">Your role ({session?.role}) can view incidents but not act on them.</p>;

  const run = async (what: string, fn: () => Promise<unknown>, done?: string) => {
    setBusy(what);
    setError(undefined);
    try {
      await fn();
      setOpen(undefined);
      setText('');
      setStatus(done ?? `${what}: done`);
      onChange();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(undefined);
    }
  };
  const id = incident.id;
  const st = incident.status;
  return (
    <>
      <div className="actions" role="group" aria-label="Incident actions">
        {st === 'triggered' ? (
          <button type="button" className="btn btn-primary" disabled={!!busy} onClick={() => void run('Acknowledge', () => incidentActions.acknowledge(id), 'Acknowledged')}>
            {busy === 'Acknowledge' ? 'Acknowledging…' : 'Acknowledge'}
          </button>
        ) : null}
        {st === 'triggered' || st === 'acknowledged' ? (
          <button type="button" className="btn" disabled={!!busy} onClick={() => void run('Mitigate', () => incidentActions.mitigate(id), 'Marked mitigated')}>
            Mitigate
          </button>
        ) : null}
        {st !== 'resolved' ? (
          <button type="button" className="btn" disabled={!!busy} onClick={() => setOpen('resolve')}>
            Resolve…
          </button>
        ) : null}
        {st === 'resolved' ? (
          <button type="button" className="btn" disabled={!!busy} onClick={() => (setText(''), setOpen('reopen'))}>
            Reopen…
          </button>
        ) : null}
        <button type="button" className="btn" onClick={() => setOpen('note')}>
          Add note…
        </button>
        <button type="button" className="btn" onClick={() => (setAssignee(incident.assignee ?? ''), setOpen('assign'))}>
          Assign…
        </button>
        <button type="button" className="btn" onClick={() => (setSeverity(incident.severity), setOpen('severity'))}>
          Change severity…
        </button>
      </div>
      <p className="sr-status muted small" role="status" aria-live="polite">
        {status}
      </p>
      {error && !open ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <Dialog open={open === 'note'} title={`Add a note to ${id}`} onClose={() => setOpen(undefined)} onSubmit={() => void run('Note', () => incidentActions.note(id, text), 'Note added')} submitLabel="Add note" busy={busy === 'Note'} error={open === 'note' ? error : undefined}>
        <label htmlFor="note-text">Note</label>
        <textarea id="note-text" value={text} onChange={(e) => setText(e.target.value)} required autoFocus placeholder="What you found, what you did" />
      </Dialog>
      <Dialog open={open === 'resolve'} title={`Resolve ${id}`} onClose={() => setOpen(undefined)} onSubmit={() => void run('Resolve', () => incidentActions.resolve(id, text.trim() || undefined), 'Resolved')} submitLabel="Resolve" busy={busy === 'Resolve'} error={open === 'resolve' ? error : undefined}>
        <label htmlFor="resolve-note">Resolution note (optional)</label>
        <textarea id="resolve-note" value={text} onChange={(e) => setText(e.target.value)} autoFocus placeholder="What fixed it" />
      </Dialog>
      <Dialog open={open === 'reopen'} title={`Reopen ${id}`} onClose={() => setOpen(undefined)} onSubmit={() => void run('Reopen', () => incidentActions.reopen(id, text.trim() || undefined), 'Reopened')} submitLabel="Reopen" busy={busy === 'Reopen'} error={open === 'reopen' ? error : undefined}>
        <label htmlFor="reopen-reason">Why (optional)</label>
        <textarea id="reopen-reason" value={text} onChange={(e) => setText(e.target.value)} autoFocus placeholder="e.g. the fix did not hold: errors are back" />
        <p className="muted small">It goes back to acknowledged, and time to resolve runs again.</p>
      </Dialog>
      <Dialog
        open={open === 'assign'}
        title={`Assign ${id}`}
        onClose={() => setOpen(undefined)}
        onSubmit={() => void run('Assign', () => incidentActions.assign(id, assignee.trim() || null), assignee.trim() ? `Assigned to ${assignee.trim()}` : 'Unassigned')}
        submitLabel={assignee.trim() ? 'Assign' : 'Unassign'}
        busy={busy === 'Assign'}
        error={open === 'assign' ? error : undefined}
      >
        <label htmlFor="assignee">Assignee (empty: nobody)</label>
        <input id="assignee" value={assignee} onChange={(e) => setAssignee(e.target.value)} autoFocus />
        {session?.name && session.name !== 'anonymous' ? (
          <button type="button" className="btn btn-small" onClick={() => setAssignee(session.name ?? '')}>
            Me ({session.name})
          </button>
        ) : null}
      </Dialog>
      <Dialog open={open === 'severity'} title={`Severity of ${id}`} onClose={() => setOpen(undefined)} onSubmit={() => void run('Severity', () => incidentActions.severity(id, severity), `Severity is now ${severity}`)} submitLabel="Change" busy={busy === 'Severity'} error={open === 'severity' ? error : undefined}>
        <label htmlFor="severity">Severity</label>
        <select id="severity" value={severity} onChange={(e) => setSeverity(e.target.value as Severity)} autoFocus>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <p className="muted small">Response targets already met or breached keep their verdict; open ones follow the new severity.</p>
      </Dialog>
    </>
  );
}

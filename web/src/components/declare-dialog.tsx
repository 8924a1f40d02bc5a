import { useEffect, useState } from 'react';
import { api, errorText } from '../lib/api';
import { incidentActions } from '../lib/incident-actions';
import { navigate } from '../lib/router';
import { SEVERITIES, type ServicesResponse, type Severity } from '../lib/types';
import { Dialog } from './dialog';

/**
 * Declare an incident by hand (a customer report, a failed deploy: no alert needed). It opens
 * acknowledged by whoever declares it; alerts of its services join it. Goes to the new incident.
 */
export function DeclareDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<Severity>('high');
  const [services, setServices] = useState<string[]>([]);
  const [known, setKnown] = useState<string[]>([]);
  const [summary, setSummary] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!open) return;
    setError(undefined);
    api.get<ServicesResponse>('/api/v1/services').then(
      (r) => setKnown(r.services.map((s) => s.name).sort()),
      () => setKnown([]),
    );
  }, [open]);
  const submit = async () => {
    if (!title.trim()) return setError('give it a title: what is wrong, as users see it');
    setBusy(true);
    setError(undefined);
    try {
      const inc = await incidentActions.declare({ title: title.trim(), severity, services, ...(summary.trim() ? { summary: summary.trim() } : {}) });
      setTitle('');
      setSummary('');
      setServices([]);
      onClose();
      navigate(`/incidents/${encodeURIComponent(inc.id)}`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} title="Declare an incident" onClose={onClose} onSubmit={() => void submit()} submitLabel="Declare incident" busy={busy} error={error}>
      <label htmlFor="di-title">Title</label>
      <input id="di-title" value={title} onChange={(e) => setTitle(e.target.value)} autoFocus placeholder="e.g. Customers cannot pay by card" />
      <label htmlFor="di-severity">Severity</label>
      <select id="di-severity" value={severity} onChange={(e) => setSeverity(e.target.value as Severity)}>
        {SEVERITIES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      {known.length ? (
        <fieldset className="choices">
          <legend>Services affected</legend>
          {known.map((name) => (
            <label key={name} className="choice">
              <input type="checkbox" checked={services.includes(name)} onChange={(e) => setServices((s) => (e.target.checked ? [...s, name] : s.filter((x) => x !== name)))} /> {name}
            </label>
          ))}
        </fieldset>
      ) : null}
      <label htmlFor="di-summary">What is known so far (optional)</label>
      <textarea id="di-summary" value={summary} onChange={(e) => setSummary(e.target.value)} />
      <p className="muted small">It opens acknowledged by you; alerts of its services join it.</p>
    </Dialog>
  );
}

import { useEffect, useState } from 'react';
import { api, errorText } from '../lib/api';
import { parsePromDuration, promDuration } from '../lib/prom';
import { toLocalInput } from '../lib/time';
import type { MaintenanceView, ServicesResponse } from '../lib/types';
import { Dialog } from './dialog';

/** Schedule a maintenance window (services, from when, for how long, why), or change one. */
export function MaintenanceDialog({ open, edit, onClose, onSaved }: { open: boolean; edit?: MaintenanceView | undefined; onClose: () => void; onSaved: (w: MaintenanceView) => void }) {
  const [services, setServices] = useState<string[]>([]);
  const [known, setKnown] = useState<string[]>([]);
  const [start, setStart] = useState('');
  const [duration, setDuration] = useState('1h');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!open) return;
    setError(undefined);
    setServices(edit ? [...edit.services] : []);
    setStart(edit && edit.state === 'upcoming' ? toLocalInput(Date.parse(edit.start)) : '');
    setDuration(edit ? promDuration(Math.round(Math.max(60_000, Date.parse(edit.end) - Math.max(Date.parse(edit.start), edit.state === 'active' ? Date.now() : 0)) / 60_000) * 60) : '1h');
    setReason(edit?.reason ?? '');
    api.get<ServicesResponse>('/api/v1/services').then(
      (r) => setKnown(r.services.map((s) => s.name).sort()),
      () => setKnown([]),
    );
  }, [open, edit]);
  const active = edit?.state === 'active';
  const submit = async () => {
    if (services.length === 0) return setError('choose at least one service');
    const secs = parsePromDuration(duration);
    if (!secs) return setError('duration: write e.g. 30m, 2h or 1d');
    const from = active ? Date.now() : start ? new Date(start).getTime() : Date.now();
    if (Number.isNaN(from)) return setError('start: choose a date and time, or leave it empty for now');
    const body = {
      services,
      ...(active ? {} : { start: new Date(from).toISOString() }),
      end: new Date(from + secs * 1000).toISOString(),
      reason: reason.trim(),
    };
    setBusy(true);
    setError(undefined);
    try {
      const w = edit
        ? await api.patch<MaintenanceView>(`/api/v1/maintenance/${encodeURIComponent(edit.id)}`, body)
        : await api.post<MaintenanceView>('/api/v1/maintenance', body);
      onSaved(w);
      onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const toggle = (name: string, on: boolean) => setServices((s) => (on ? [...new Set([...s, name])] : s.filter((x) => x !== name)));
  const choices = [...new Set([...known, ...services])];
  return (
    <Dialog open={open} title={edit ? 'Change maintenance' : 'Schedule maintenance'} onClose={onClose} onSubmit={() => void submit()} submitLabel={edit ? 'Save' : 'Schedule'} busy={busy} error={error}>
      <fieldset className="choices">
        <legend>Services</legend>
        {choices.length === 0 ? <p className="muted small">No services known yet.</p> : null}
        {choices.map((name) => (
          <label key={name} className="choice">
            <input type="checkbox" checked={services.includes(name)} onChange={(e) => toggle(name, e.target.checked)} /> {name}
          </label>
        ))}
      </fieldset>
      {active ? (
        <p className="muted small">In progress since {new Date(edit.start).toLocaleString()}.</p>
      ) : (
        <>
          <label htmlFor="mw-start">Starts (empty: now)</label>
          <input id="mw-start" type="datetime-local" step="60" value={start} onChange={(e) => setStart(e.target.value)} />
        </>
      )}
      <label htmlFor="mw-duration">{active ? 'Lasts from now' : 'Lasts'}</label>
      <input id="mw-duration" value={duration} onChange={(e) => setDuration(e.target.value)} aria-describedby="mw-duration-hint" />
      <span id="mw-duration-hint" className="muted small">
        e.g. 30m, 2h, 1d
      </span>
      <label htmlFor="mw-reason">Why</label>
      <input id="mw-reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. database upgrade to 16.2" />
    </Dialog>
  );
}

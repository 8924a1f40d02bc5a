import { useState } from 'react';
import { api, errorText } from '../lib/api';
import { usePoll } from '../lib/poll';
import { useSession } from '../lib/session';
import { Time } from '../lib/time';
import type { CalendarFeedsResponse, CalendarUrlResponse } from '../lib/types';

const PATHS = { schedule: 'schedules', person: 'people' } as const;

/**
 * A feed's secret calendar URL (for Google Calendar, Outlook, Apple Calendar: apps that cannot
 * send a token header): whether one exists and who made it; a responder makes one (shown once,
 * with a copy button), makes a new one (the old stops working) or revokes it. A viewer sees
 * only whether one exists.
 */
export function CalendarUrl({ kind, name }: { kind: 'schedule' | 'person'; name: string }) {
  const { can } = useSession();
  const feeds = usePoll<CalendarFeedsResponse>('/api/v1/calendar-urls', 60_000);
  const [made, setMade] = useState<CalendarUrlResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const existing = feeds.data?.feeds.find((f) => f.kind === kind && f.name === name);
  const shown = made && made.kind === kind && made.name === name ? made : null;
  const path = `/api/v1/${PATHS[kind]}/${encodeURIComponent(name)}/calendar-url`;

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      feeds.refresh();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const make = () => run(async () => setMade(await api.post<CalendarUrlResponse>(path)));
  const revoke = () =>
    run(async () => {
      await api.del(path);
      setMade(null);
    });

  return (
    <div className="calendar-url" data-testid="calendar-url">
      <p className="muted">
        {existing ? (
          <>
            A secret calendar URL exists, made by {existing.created_by} <Time t={existing.created_at} />. Whoever has it can read the shifts.
          </>
        ) : (
          'No secret calendar URL yet. Calendar apps cannot send a token; a secret URL lets them subscribe to these shifts.'
        )}
      </p>
      {shown ? (
        <div className="field">
          <label htmlFor="calendar-url-value">Subscribe with this URL (shown once: copy it now)</label>
          <div className="toolbar">
            <input id="calendar-url-value" readOnly value={shown.url} onFocus={(e) => e.currentTarget.select()} size={60} />
            <button type="button" className="btn" onClick={() => void navigator.clipboard?.writeText(shown.url)}>
              Copy
            </button>
            <a className="btn" href={shown.webcal_url}>
              Open in calendar app
            </a>
          </div>
        </div>
      ) : null}
      {can('responder') ? (
        <div className="toolbar">
          <button type="button" className="btn" disabled={busy} onClick={() => void make()}>
            {existing ? 'Make a new calendar URL' : 'Make a calendar URL'}
          </button>
          {existing ? (
            <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void revoke()}>
              Revoke calendar URL
            </button>
          ) : null}
          {existing ? <span className="muted">A new URL replaces the old one, which stops working.</span> : null}
        </div>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

import { useEffect, useState } from 'react';
import { onConnection } from '../lib/api';
import { formatLocal } from '../lib/time';

/**
 * Whether Vigil is answering. A lost connection is shown, never hidden: the banner says
 * since when the data on screen is stale; views keep polling and it clears by itself.
 */
export function useConnection(): { online: boolean; lastOk: number | undefined; since: number | undefined } {
  const [state, setState] = useState<{ online: boolean; lastOk?: number; since?: number }>({ online: true });
  useEffect(
    () =>
      onConnection((ok) =>
        setState((s) => (ok ? { online: true, lastOk: Date.now() } : { online: false, lastOk: s.lastOk, since: s.online ? Date.now() : s.since })),
      ),
    [],
  );
  return { online: state.online, lastOk: state.lastOk, since: state.since };
}

export function ConnectionBanner() {
  const { online, lastOk } = useConnection();
  if (online) return null;
  return (
    <div className="banner banner-error" role="alert" data-testid="connection-lost">
      <strong>Connection to Vigil lost.</strong> Retrying every few seconds
      {lastOk ? <> — what you see is from {formatLocal(lastOk)}</> : null}.
    </div>
  );
}

export function ConnectionDot() {
  const { online } = useConnection();
  return (
    <span className={`conn ${online ? 'conn-ok' : 'conn-lost'}`} role="status" aria-label={online ? 'Live: connected to Vigil' : 'Offline: connection lost'} title={online ? 'Live' : 'Connection lost'}>
      <span aria-hidden="true">●</span>
      <span className="conn-text">{online ? 'Live' : 'Offline'}</span>
    </span>
  );
}

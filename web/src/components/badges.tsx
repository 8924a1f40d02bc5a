import type { ServiceState } from '../lib/types';

const SERVICE_TEXT: Record<ServiceState, string> = { up: 'Up', degraded: 'Degraded', down: 'Down', maintenance: 'Maintenance', unknown: 'Unknown' };
const SERVICE_ICON: Record<ServiceState, string> = { up: '●', degraded: '▲', down: '■', maintenance: '◆', unknown: '○' };

/** A state, in words and a shape besides its colour (readable without colour vision). */
export function StateBadge({ state, label }: { state: string; label?: string }) {
  const s = state as ServiceState;
  return (
    <span className={`badge state-${state}`}>
      <span aria-hidden="true">{SERVICE_ICON[s] ?? '●'}</span> {label ?? SERVICE_TEXT[s] ?? state}
    </span>
  );
}

export function SeverityBadge({ severity }: { severity: string }) {
  return <span className={`badge sev sev-${severity}`}>{severity}</span>;
}

const STATUS_ICON: Record<string, string> = { triggered: '!', acknowledged: '✓', mitigated: '◐', resolved: '●', firing: '!', resolved_alert: '●', pending: '…' };

export function StatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge status status-${status}`}>
      <span aria-hidden="true">{STATUS_ICON[status] ?? '•'}</span> {status}
    </span>
  );
}

const CHECK_TEXT: Record<string, string> = { up: 'up', down: 'down', failing: 'failing', pending: 'pending' };
export function CheckStateBadge({ state }: { state: string }) {
  const map: Record<string, string> = { up: 'up', down: 'down', failing: 'degraded', pending: 'unknown' };
  return <StateBadge state={map[state] ?? state} label={CHECK_TEXT[state] ?? state} />;
}

/** A share 0..1 as a percentage with useful precision (99.95%), or a dash. */
export function Percent({ value }: { value: number | null | undefined }) {
  if (value === null || value === undefined) return <span className="muted">–</span>;
  const pct = value * 100;
  const text = pct === 100 ? '100%' : pct >= 99 ? `${pct.toFixed(2)}%` : `${pct.toFixed(1)}%`;
  const cls = pct >= 99.9 ? 'good' : pct >= 99 ? 'warn' : 'bad';
  return <span className={`pct pct-${cls}`}>{text}</span>;
}

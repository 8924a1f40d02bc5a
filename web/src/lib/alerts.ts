import { api } from './api';
import type { AlertView } from './types';

export type AlertState = 'firing' | 'pending' | 'silenced' | 'inhibited' | 'resolved';

/** An alert as every alerts view shows it, whichever API it came from. */
export interface UiAlert {
  readonly fingerprint: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly startsAt: string;
  readonly state: AlertState;
  readonly receivers: readonly string[];
  /** Silence ids that mute it. */
  readonly silencedBy: readonly string[];
  readonly generatorURL: string;
}

// Alertmanager API v2 (public, fixed shapes).
export interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
  fingerprint: string;
  receivers: Array<{ name: string }>;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; silencedBy: string[]; inhibitedBy: string[]; mutedBy?: string[] };
}
export interface AmAlertGroup {
  labels: Record<string, string>;
  receiver: { name: string };
  alerts: AmAlert[];
}
// Prometheus /api/v1/alerts (alerts of rules).
interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing' | 'inactive';
  activeAt?: string;
  value?: string;
}

export function fromAm(a: AmAlert): UiAlert {
  const state: AlertState = a.status.silencedBy.length ? 'silenced' : a.status.inhibitedBy.length || (a.status.mutedBy?.length ?? 0) ? 'inhibited' : 'firing';
  return {
    fingerprint: a.fingerprint,
    labels: a.labels,
    annotations: a.annotations,
    startsAt: a.startsAt,
    state,
    receivers: a.receivers.map((r) => r.name),
    silencedBy: a.status.silencedBy,
    generatorURL: a.generatorURL ?? '',
  };
}

function fromVigil(a: AlertView): UiAlert {
  return {
    fingerprint: a.fingerprint,
    labels: a.labels,
    annotations: a.annotations,
    startsAt: a.starts_at,
    state: a.status,
    receivers: a.receivers,
    silencedBy: [],
    generatorURL: a.generator_url,
  };
}

const key = (l: Record<string, string>) => JSON.stringify(Object.entries(l).sort(([a], [b]) => a.localeCompare(b)));

function fromProm(a: PromAlert): UiAlert {
  return {
    fingerprint: key(a.labels),
    labels: a.labels,
    annotations: a.annotations,
    startsAt: a.activeAt ?? '',
    state: a.state === 'pending' ? 'pending' : 'firing',
    receivers: [],
    silencedBy: [],
    generatorURL: '',
  };
}

/**
 * Every alert in the pipeline. The Alertmanager API (GET /api/v2/alerts) says which are
 * silenced or inhibited; rules' pending alerts come from the Prometheus API
 * (GET /api/v1/alerts). Before either exists, Vigil's own GET /api/v1/alerts.
 */
export async function loadAlerts(hasAm: boolean, signal?: AbortSignal): Promise<UiAlert[]> {
  const opts = signal ? { signal } : {};
  const v1 = api.get<{ alerts?: AlertView[]; status?: string; data?: { alerts: PromAlert[] } }>('/api/v1/alerts', opts).catch(() => undefined);
  const am = hasAm ? await api.get<AmAlert[]>('/api/v2/alerts', opts) : undefined;
  const other = await v1;
  const out: UiAlert[] = am ? am.map(fromAm) : (other?.alerts ?? []).map(fromVigil);
  if (other?.data?.alerts) {
    const seen = new Set(out.map((a) => key(a.labels)));
    for (const a of other.data.alerts) if (a.state === 'pending' && !seen.has(key(a.labels))) out.push(fromProm(a));
    if (!am) for (const a of other.data.alerts) if (a.state === 'firing' && !seen.has(key(a.labels))) out.push(fromProm(a));
  }
  return out;
}

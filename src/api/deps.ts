import type { IncidentService } from '../incidents/index.js';
import type { CheckStatus, StoredResult } from '../probes/index.js';
import type { AlertPipeline } from '../alerts/index.js';
import type { FailureLimiter, TokenVerifier } from '../auth/index.js';

/** A check as the API shows it. */
export interface CheckView {
  readonly name: string;
  readonly service: string;
  readonly type: string;
  readonly interval_ms: number;
  readonly state: 'up' | 'down' | 'failing' | 'pending';
  readonly alert_firing: boolean;
  readonly consecutive_failures: number;
  readonly consecutive_successes: number;
  readonly last_result: ResultView | null;
  readonly uptime: { readonly '24h': number | null; readonly '7d': number | null; readonly '30d': number | null };
}

export interface ResultView {
  readonly at: string;
  readonly success: boolean;
  readonly duration_ms: number;
  readonly message: string;
}

export interface AlertView {
  readonly fingerprint: string;
  readonly status: 'firing' | 'resolved';
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly starts_at: string;
  readonly ends_at: string | null;
  readonly generator_url: string;
  readonly receivers: readonly string[];
}

export interface ReadyReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, boolean>>;
}

/** Everything the HTTP layer calls. The composition root (app/) builds it. */
export interface ApiDeps {
  readonly incidents: IncidentService;
  readonly checks: {
    statuses(): Promise<CheckStatus[]>;
    has(name: string): boolean;
    results(name: string, opts: { limit: number; before?: number }): Promise<StoredResult[]>;
  };
  readonly alerts: Pick<AlertPipeline, 'alerts'>;
  readonly health: { ready(): Promise<ReadyReport> };
  readonly metrics: {
    text(): Promise<string>;
    readonly contentType: string;
    observeRequest(route: string, method: string, status: number, seconds: number): void;
  };
  readonly auth: { readonly verifier: TokenVerifier; readonly limiter: FailureLimiter };
  readonly now: () => number;
  readonly version: string;
}

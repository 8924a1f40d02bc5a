import type { FollowUpService, IncidentService } from '../incidents/index.js';
import type { CheckStatus, StoredResult } from '../probes/index.js';
import type { AlertPipeline } from '../alerts/index.js';
import type { Route } from '../alerting/index.js';
import type { FailureLimiter, SessionCodec, TokenVerifier } from '../auth/index.js';
import type { DeclaredService } from './service-status.js';
import type { AlertView, CheckView, ResultView } from './schemas/index.js';

export type { AlertView, CheckView, ResultView };

export interface ReadyReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, boolean>>;
}

/** Everything the HTTP layer calls. The composition root (app/) builds it. */
export interface ApiDeps {
  readonly incidents: IncidentService;
  /** Post-mortems and action items. */
  readonly followups: FollowUpService;
  readonly checks: {
    statuses(): Promise<CheckStatus[]>;
    has(name: string): boolean;
    results(name: string, opts: { limit: number; before?: number }): Promise<StoredResult[]>;
  };
  readonly alerts: Pick<AlertPipeline, 'alerts'>;
  /** The services declared in the configuration. */
  readonly services: () => readonly DeclaredService[];
  /** The maintenance windows active now for a service (GET /api/v1/services shows it in maintenance). */
  readonly maintenance?: (service: string) => readonly { readonly reason: string; readonly end: number }[];
  /** The routing tree in force and the receivers' names. */
  readonly routing: () => { readonly root: Route; readonly receivers: readonly string[] };
  readonly health: { ready(): Promise<ReadyReport> };
  readonly metrics: {
    text(): Promise<string>;
    readonly contentType: string;
    observeRequest(route: string, method: string, status: number, seconds: number): void;
  };
  readonly auth: {
    readonly verifier: TokenVerifier;
    readonly limiter: FailureLimiter;
    /** Signs browser session cookies and their CSRF tokens. */
    readonly sessions: SessionCodec;
    /** Mark the session cookie Secure (served over HTTPS, e.g. behind a TLS proxy). */
    readonly secureCookies: boolean;
    /**
     * This server's public host (`host[:port]` of server.external_url), when behind a proxy:
     * browser Origins naming it are this server's, and the open API answers to it too.
     */
    readonly publicHosts?: readonly string[];
  };
  readonly now: () => number;
  readonly version: string;
}

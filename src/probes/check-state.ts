import type { Alert } from '../model/alert.js';
import type { Labels } from '../model/labels.js';

/** What the state machine needs of a check (CheckConfig has it). */
export interface AlertingCheck {
  readonly name: string;
  readonly service: string;
  readonly severity: string;
  readonly failure_threshold: number;
  readonly recovery_threshold: number;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly alertname?: string | undefined;
}

/**
 * Per-check alerting state. A plain JSON-safe object: the app persists it and passes it
 * back after a restart, so an alert that was firing stays firing without firing again.
 */
export interface CheckState {
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
  readonly firing: boolean;
  /** Time of the first failure of the current failure streak (or of the firing alert). */
  readonly failingSince: number | null;
  /** Message of the latest failed result; the alert's description. */
  readonly lastFailure: string | null;
  readonly lastResultAt: number | null;
}

export interface CheckEvent {
  readonly kind: 'firing' | 'resolved';
  readonly alert: Alert;
}

export const initialCheckState: CheckState = Object.freeze({
  consecutiveFailures: 0,
  consecutiveSuccesses: 0,
  firing: false,
  failingSince: null,
  lastFailure: null,
  lastResultAt: null,
});

/** Accepts persisted state, falling back to the initial state for anything malformed. */
export function restoreCheckState(raw: unknown): CheckState {
  if (raw === null || typeof raw !== 'object') return initialCheckState;
  const r = raw as Record<string, unknown>;
  const count = (v: unknown) => (Number.isInteger(v) && (v as number) >= 0 ? (v as number) : 0);
  const time = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const firing = r.firing === true;
  return {
    consecutiveFailures: count(r.consecutiveFailures),
    consecutiveSuccesses: count(r.consecutiveSuccesses),
    firing,
    failingSince: time(r.failingSince) ?? (firing ? 0 : null),
    lastFailure: typeof r.lastFailure === 'string' ? r.lastFailure : null,
    lastResultAt: time(r.lastResultAt),
  };
}

export function checkAlertLabels(check: AlertingCheck): Labels {
  return {
    ...check.labels,
    alertname: check.alertname ?? check.name,
    check: check.name,
    service: check.service,
    severity: check.severity,
  };
}

function alertOf(check: AlertingCheck, state: CheckState, endsAt: number, updatedAt: number, generatorURL: string): Alert {
  return {
    labels: checkAlertLabels(check),
    annotations: {
      summary: `${check.name} is failing`,
      description: state.lastFailure ?? 'check failed',
      ...check.annotations,
    },
    startsAt: state.failingSince ?? updatedAt,
    endsAt,
    generatorURL,
    updatedAt,
  };
}

/**
 * Feeds one result (at time `t`) to the state machine. Fires after `failure_threshold`
 * consecutive failures; resolves after `recovery_threshold` consecutive successes while
 * firing. Returns the new state and the transition, if any.
 */
export function applyResult(
  state: CheckState,
  check: AlertingCheck,
  result: { readonly success: boolean; readonly message: string },
  t: number,
  generatorURL = '',
): { state: CheckState; event?: CheckEvent } {
  if (!result.success) {
    const next: CheckState = {
      consecutiveFailures: state.consecutiveFailures + 1,
      consecutiveSuccesses: 0,
      firing: state.firing,
      failingSince: state.consecutiveFailures === 0 && !state.firing ? t : (state.failingSince ?? t),
      lastFailure: result.message,
      lastResultAt: t,
    };
    if (!next.firing && next.consecutiveFailures >= check.failure_threshold) {
      const fired = { ...next, firing: true };
      return { state: fired, event: { kind: 'firing', alert: alertOf(check, fired, 0, t, generatorURL) } };
    }
    return { state: next };
  }
  const next: CheckState = {
    consecutiveFailures: 0,
    consecutiveSuccesses: state.consecutiveSuccesses + 1,
    firing: state.firing,
    failingSince: state.firing ? state.failingSince : null,
    lastFailure: state.firing ? state.lastFailure : null,
    lastResultAt: t,
  };
  if (next.firing && next.consecutiveSuccesses >= check.recovery_threshold) {
    const alert = alertOf(check, next, t, t, generatorURL);
    return { state: { ...next, firing: false, failingSince: null, lastFailure: null }, event: { kind: 'resolved', alert } };
  }
  return { state: next };
}

/** The alert currently firing for the check, for periodic re-sends and after a restart. */
export function activeAlert(state: CheckState, check: AlertingCheck, now: number, generatorURL = ''): Alert | undefined {
  return state.firing ? alertOf(check, state, 0, now, generatorURL) : undefined;
}

/**
 * Fraction of successful results with `t` in (now - windowMs, now], or undefined when
 * there are none (unknown is not 100%). For 24h/7d/30d uptime over recorded results.
 */
export function uptime(results: Iterable<{ readonly t: number; readonly success: boolean }>, windowMs: number, now: number): number | undefined {
  let total = 0;
  let ok = 0;
  for (const r of results) {
    if (r.t <= now - windowMs || r.t > now) continue;
    total++;
    if (r.success) ok++;
  }
  return total === 0 ? undefined : ok / total;
}

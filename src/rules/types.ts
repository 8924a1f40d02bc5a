import type { Labels } from '../model/labels.js';

/** One element of an instant query's result. `labels` includes `__name__` when the series has one. */
export interface QuerySample {
  readonly labels: Labels;
  readonly t: number;
  readonly v: number;
}

/**
 * The one way the rule engine reaches PromQL (Prometheus's rules.QueryFunc): an instant query
 * of `expr` at `t` (ms). A scalar result comes back as one sample without labels; any other
 * result type is an error. The caller decides where it runs (the embedded store, or
 * `metrics.query_remote`) and applies its limits; the engine passes `signal` so a stopped group
 * cancels its query.
 */
export type QueryFn = (expr: string, t: number, signal?: AbortSignal) => Promise<readonly QuerySample[]>;

/**
 * Parses a PromQL expression and returns it printed canonically (Prometheus evaluates and shows
 * `expr.String()`, not the text as written); throws an Error whose message is the parser's
 * (`1:7: parse error: unexpected end of input`).
 */
export type ParseExprFn = (text: string) => string;

/** An alert as a rule hands it to the alert pipeline (Prometheus's notifier.Alert). Times in ms. */
export interface RuleAlertOut {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly startsAt: number;
  /** When the alert resolved, or the time until which it counts as firing unless re-sent. */
  readonly endsAt: number;
  readonly generatorURL: string;
}

/**
 * Receives the alerts of one alerting rule after an evaluation: those that need sending
 * (Prometheus's sendAlerts: firing ones every `resend_delay`, resolved ones while kept).
 */
export type NotifyFn = (alerts: readonly RuleAlertOut[], source: { readonly group: string; readonly file: string; readonly rule: string; readonly expr: string }) => void;

/** What the engine logs; pino's shape. */
export interface RulesLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const nopLogger: RulesLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export type RuleHealth = 'ok' | 'err' | 'unknown';
export type AlertState = 'inactive' | 'pending' | 'firing';

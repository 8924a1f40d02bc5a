import type { NotificationMessage } from './message.js';

/**
 * The outcome of one delivery attempt. `retryable` says whether trying again later may
 * succeed (network errors, timeouts, 5xx, 429) or cannot (other 4xx, bad config).
 * `error` never contains credentials.
 */
export type NotifyResult = { readonly ok: true } | { readonly ok: false; readonly retryable: boolean; readonly error: string };

/** One integration of a receiver (one entry of webhook_configs, log_configs, …). Never throws. */
export interface Notifier {
  notify(msg: NotificationMessage, ctx: { readonly signal: AbortSignal }): Promise<NotifyResult>;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    const causeMsg = cause instanceof Error ? cause.message : undefined;
    return causeMsg && causeMsg !== err.message ? `${err.message}: ${causeMsg}` : err.message;
  }
  return String(err);
}

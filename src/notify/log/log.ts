import type { LogConfig } from './config.js';
import type { NotificationMessage } from '../message.js';
import { errorMessage } from '../notifier.js';
import { resolvedText } from '../resolved.js';
import type { Notifier, NotifyResult } from '../notifier.js';

/**
 * One human-readable line per notification, e.g.
 * `[FIRING:1] shop-api-health (service=shop-api severity=critical) -> receiver ops-webhook: status 503 (expected 200)`:
 * status and firing count, the alert name, the other labels common to all alerts, the
 * receiver, and the common summary (or the only alert's summary/description; for a resolved
 * alert, that it recovered and after how long).
 */
export function formatLogLine(msg: NotificationMessage): string {
  const firing = msg.alerts.filter((a) => a.status === 'firing').length;
  const head = firing > 0 ? `[FIRING:${firing}]` : '[RESOLVED]';
  const first = msg.alerts[0];
  const commonKeys = first ? Object.keys(first.labels).filter((k) => msg.alerts.every((a) => a.labels[k] === first.labels[k])) : [];
  const name = first && commonKeys.includes('alertname') ? first.labels.alertname : (msg.groupLabels.alertname ?? 'alerts');
  const pairs = commonKeys
    .filter((k) => k !== 'alertname')
    .sort()
    .map((k) => `${k}=${first?.labels[k] ?? ''}`);
  // One alert: what failed (its description) says most, or that it recovered; several: their common summary.
  const only = msg.alerts.length === 1 ? msg.alerts[0] : undefined;
  const summaries = new Set(msg.alerts.map((a) => a.annotations.summary ?? a.annotations.description ?? ''));
  const summary = only
    ? only.status === 'resolved'
      ? resolvedText(only)
      : (only.annotations.description ?? only.annotations.summary ?? '')
    : firing === 0
      ? `${msg.alerts.length} alerts recovered`
      : summaries.size === 1
        ? [...summaries][0]
        : `${msg.alerts.length} alerts`;
  return `${head} ${name}${pairs.length ? ` (${pairs.join(' ')})` : ''} -> receiver ${msg.receiver}${summary ? `: ${summary}` : ''}`;
}

/** Writes through the injected writer; a throwing writer is a retryable failure. */
export class LogNotifier implements Notifier {
  constructor(
    _config: LogConfig,
    private readonly write: (line: string) => void,
  ) {}

  async notify(msg: NotificationMessage, ctx: { readonly signal: AbortSignal }): Promise<NotifyResult> {
    if (ctx.signal.aborted) return { ok: false, retryable: true, error: 'log: aborted' };
    try {
      this.write(formatLogLine(msg));
      return { ok: true };
    } catch (err) {
      return { ok: false, retryable: true, error: `log: ${errorMessage(err)}` };
    }
  }
}

import { formatDuration } from '../model/duration.js';
import type { MessageAlert } from './message.js';

/** `40s`, `12m5s`, `3h20m`: seconds below an hour, minutes above, nothing finer. */
export function humanDuration(ms: number): string {
  const unit = ms >= 3600_000 ? 60_000 : 1000;
  return formatDuration(Math.max(unit, Math.round(ms / unit) * unit));
}

/**
 * What a notifier says of a resolved alert: that it recovered and after how long, with what
 * was wrong for context — never the failure text alone, which reads as if it still failed.
 */
export function resolvedText(alert: MessageAlert): string {
  const was = alert.annotations.description ?? alert.annotations.summary;
  const after = alert.endsAt > alert.startsAt && alert.startsAt > 0 ? ` after ${humanDuration(alert.endsAt - alert.startsAt)}` : '';
  return `recovered${after}${was ? ` (was: ${was})` : ''}`;
}

import type { Alert } from '../model/alert.js';
import type { Labels } from '../model/labels.js';

/** Alertmanager's LabelSet.Before: fewer labels first, then by sorted names and values. */
function labelsBefore(a: Labels, b: Labels): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return ka.length - kb.length;
  for (const name of [...ka, ...kb].sort()) {
    const va = a[name];
    const vb = b[name];
    if (va === undefined) return -1;
    if (vb === undefined) return 1;
    if (va !== vb) return va < vb ? -1 : 1;
  }
  return 0;
}

/**
 * Alertmanager's AlertSlice order used in notifications: by the `job` label, then `instance`
 * (alerts lacking one sort after those having it), then the whole label set.
 */
export function compareAlertLabels(a: Labels, b: Labels): number {
  for (const key of ['job', 'instance']) {
    const va = a[key];
    const vb = b[key];
    if (va === undefined && vb === undefined) continue;
    if (va === undefined) return 1;
    if (vb === undefined) return -1;
    if (va !== vb) return va < vb ? -1 : 1;
  }
  return labelsBefore(a, b);
}

/**
 * Combines a stored alert with a newly received one with the same fingerprint, as
 * Alertmanager's store does: only when their activity ranges overlap (otherwise the new one
 * replaces the old), keeping the earliest start; the younger alert's endsAt wins unless the
 * older one ends later and both agree on being firing/resolved. endsAt 0 = unknown end.
 */
export function mergeAlert(old: Alert, incoming: Alert, now: number): Alert {
  const end = (a: Alert) => (a.endsAt === 0 ? Number.POSITIVE_INFINITY : a.endsAt);
  const overlaps =
    (end(incoming) > old.startsAt && end(incoming) < end(old)) ||
    (incoming.startsAt > old.startsAt && incoming.startsAt < end(old));
  if (!overlaps) return incoming;
  const [older, younger] = incoming.updatedAt < old.updatedAt ? [incoming, old] : [old, incoming];
  const resolved = (a: Alert) => a.endsAt !== 0 && a.endsAt <= now;
  let endsAt = younger.endsAt;
  if (resolved(younger)) {
    if (resolved(older) && older.endsAt > younger.endsAt) endsAt = older.endsAt;
  } else if (younger.endsAt !== 0 && older.endsAt !== 0 && older.endsAt > younger.endsAt) {
    endsAt = older.endsAt;
  }
  const startsAt = Math.min(older.startsAt, younger.startsAt);
  // Nothing to change (a resend the pipeline already merged): the alert itself, not a copy, so
  // the dispatcher holds the pipeline's object instead of a second one per resent alert.
  if (startsAt === younger.startsAt && endsAt === younger.endsAt) return younger;
  return { ...younger, startsAt, endsAt };
}

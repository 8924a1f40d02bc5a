import type { Alert, AlertSource, PostableAlert } from '../model/alert.js';
import { fingerprint, isValidLabelName } from '../model/labels.js';
import type { Labels } from '../model/labels.js';
import type { StringInterner } from './intern.js';

/** An alert in the pipeline's store. `timeout`: its endsAt was set by resolve_timeout. */
export interface StoredAlert extends Alert {
  readonly fingerprint: string;
  readonly timeout: boolean;
  readonly source: string;
}

export interface NormalizeResult {
  readonly alerts: StoredAlert[];
  /** One line per rejected alert: `alerts[3]: at least one label pair required`. */
  readonly errors: string[];
}

function validLabels(labels: Labels, what: string): string | undefined {
  const names = Object.keys(labels);
  if (what === 'label' && names.length === 0) return 'at least one label pair required';
  for (const n of names) {
    if (!isValidLabelName(n)) return `invalid ${what} name ${JSON.stringify(n)}`;
    const v = labels[n];
    if (typeof v !== 'string') return `invalid ${what} value for ${n}`;
  }
  return undefined;
}

/**
 * The labels without those whose value is empty: an empty value is the same as no label (as in
 * Prometheus), and Alertmanager's API removes such labels before it checks an alert. The object
 * is copied only when it has one.
 */
function withoutEmptyValues(labels: Labels): Labels {
  for (const n in labels) {
    if (labels[n] !== '') continue;
    // fromEntries defines each key as an own property, a label named __proto__ included.
    return Object.fromEntries(Object.entries(labels).filter(([, v]) => v !== ''));
  }
  return labels;
}

/**
 * Turns what a source sent into stored alerts, as Alertmanager's API does
 * (api/v2 postAlertsHandler, types.Alert.Validate): a missing startsAt becomes now (or
 * endsAt when only that is given), a missing endsAt is resolve_timeout from now (or "until
 * resolved" for a source that holds), and an alert that is invalid is rejected with its
 * reason while the others are accepted. Labels with an empty value are dropped first.
 */
export function normalizeAlerts(input: readonly PostableAlert[], source: AlertSource, now: number, resolveTimeout: number, strings?: StringInterner): NormalizeResult {
  const alerts: StoredAlert[] = [];
  const errors: string[] = [];
  input.forEach((a, i) => {
    const labels = withoutEmptyValues(a.labels ?? {});
    const annotations = a.annotations ?? {};
    const bad = validLabels(labels, 'label') ?? validLabels(annotations, 'annotation');
    if (bad) {
      errors.push(`alerts[${i}]: ${bad}`);
      return;
    }
    const endsIn = a.endsAt ?? 0;
    let startsAt = a.startsAt ?? 0;
    if (startsAt === 0) startsAt = endsIn !== 0 ? endsIn : now;
    let endsAt = endsIn;
    let timeout = false;
    if (endsAt === 0 && !source.holdsUntilResolved) {
      endsAt = now + resolveTimeout;
      timeout = true;
    }
    if (endsAt !== 0 && endsAt < startsAt) {
      errors.push(`alerts[${i}]: start time must be before end time`);
      return;
    }
    alerts.push({
      labels,
      // Annotations and generatorURL often repeat from alert to alert: held once (see StringInterner).
      annotations: strings ? strings.internValues(annotations) : annotations,
      startsAt,
      endsAt,
      generatorURL: strings && a.generatorURL ? strings.intern(a.generatorURL) : (a.generatorURL ?? ''),
      updatedAt: now,
      fingerprint: fingerprint(labels),
      timeout,
      source: source.name,
    });
  });
  return { alerts, errors };
}

const end = (a: Alert) => (a.endsAt === 0 ? Number.POSITIVE_INFINITY : a.endsAt);

function sameRecord(a: Labels, b: Labels): boolean {
  if (a === b) return true;
  let n = 0;
  for (const k in b) {
    if (a[k] !== b[k] || !Object.hasOwn(a, k)) return false;
    n++;
  }
  return n === Object.keys(a).length;
}

/**
 * The incoming copy of a held alert with the held one's label and annotation objects and
 * generatorURL where they are equal: a sender resends every firing alert every minute
 * (Prometheus's resend delay), and keeping the new objects would turn the old ones — held
 * long enough to live in V8's old generation — into garbage there at every resend.
 */
export function shareUnchanged(old: StoredAlert, incoming: StoredAlert): StoredAlert {
  const labels = sameRecord(old.labels, incoming.labels) ? old.labels : incoming.labels;
  const annotations = sameRecord(old.annotations, incoming.annotations) ? old.annotations : incoming.annotations;
  const generatorURL = old.generatorURL === incoming.generatorURL ? old.generatorURL : incoming.generatorURL;
  if (labels === incoming.labels && annotations === incoming.annotations && generatorURL === incoming.generatorURL) return incoming;
  return { ...incoming, labels, annotations, generatorURL };
}

/**
 * Combines a stored alert with a newly received one of the same fingerprint, as
 * Alertmanager's alert store does (provider/mem Put + types.Alert.Merge): only when their
 * activity ranges overlap (otherwise the new one replaces the old); the earliest start wins;
 * of two resolved alerts the later end wins; an older explicit (non-timeout) end that is later
 * than the younger one's wins. endsAt 0 = "until resolved".
 */
export function mergeStored(old: StoredAlert, incoming: StoredAlert, now: number): StoredAlert {
  const overlaps =
    (end(incoming) > old.startsAt && end(incoming) < end(old)) ||
    (incoming.startsAt > old.startsAt && incoming.startsAt < end(old));
  if (!overlaps) return incoming;
  const [older, younger] = incoming.updatedAt < old.updatedAt ? [incoming, old] : [old, incoming];
  const resolved = (a: Alert) => a.endsAt !== 0 && a.endsAt <= now;
  let endsAt = younger.endsAt;
  let timeout = younger.timeout;
  if (resolved(younger)) {
    if (resolved(older) && older.endsAt > younger.endsAt) endsAt = older.endsAt;
  } else if (end(older) > end(younger) && !older.timeout) {
    endsAt = older.endsAt;
    timeout = false;
  }
  const startsAt = Math.min(older.startsAt, younger.startsAt);
  if (startsAt === younger.startsAt && endsAt === younger.endsAt && timeout === younger.timeout) return younger;
  return { ...younger, startsAt, endsAt, timeout };
}

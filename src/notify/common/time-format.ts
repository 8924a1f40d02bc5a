const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** A time as Go marshals time.Time (RFC3339 with trailing zero fractions dropped, UTC); 0 = Go's zero time. */
export function rfc3339(ms: number): string {
  if (ms === 0) return GO_ZERO_TIME;
  // The alerts of one notification mostly share their start: format each time once.
  if (ms === lastMs) return lastText;
  lastText = new Date(ms).toISOString().replace(/\.(\d*?)0*Z$/, (_m, frac: string) => (frac ? `.${frac}Z` : 'Z'));
  lastMs = ms;
  return lastText;
}
let lastMs = Number.NaN;
let lastText = '';

/** Go's regexp.QuoteMeta, which Alertmanager applies to the receiver name in template data. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

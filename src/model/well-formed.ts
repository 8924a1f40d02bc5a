const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `s` with each lone UTF-16 surrogate replaced by U+FFFD, as Go's encoding/json (Prometheus,
 * Alertmanager) decodes them. JSON's `\uD800` escapes can carry one, but UTF-8 (SQLite,
 * PostgreSQL, every file Vigil writes) cannot: stored as is it would come back as U+FFFD
 * while the answer to the request had echoed the original.
 */
export function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, '\uFFFD');
}

/** Every string in a parsed JSON value made well-formed (a new value where one changed). Iterative. */
export function wellFormedDeep<T>(v: T): T {
  if (typeof v === 'string') return wellFormed(v) as T;
  if (v === null || typeof v !== 'object') return v;
  const stack: object[] = [v];
  for (let o = stack.pop(); o !== undefined; o = stack.pop()) {
    const rec = o as Record<string, unknown>;
    for (const k of Object.keys(rec)) {
      const x = rec[k];
      if (typeof x === 'string') {
        const w = wellFormed(x);
        if (w !== x) rec[k] = w;
      } else if (x !== null && typeof x === 'object') stack.push(x);
    }
  }
  return v;
}

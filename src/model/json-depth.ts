/**
 * How deep JSON-like input (OTLP AnyValues, NDJSON fields, JSON log lines) may nest before it
 * is refused. Walking or serializing a value recurses once per level, and JSON.stringify
 * overflows the stack somewhere past a few thousand levels; real payloads stay in single digits.
 */
export const MAX_JSON_DEPTH = 100;

/** Whether `v` nests arrays/objects deeper than `max` levels (a scalar is 0, `{}` and `[]` are 1). Iterative: safe at any depth. */
export function jsonDepthExceeds(v: unknown, max: number = MAX_JSON_DEPTH): boolean {
  if (v === null || typeof v !== 'object') return false;
  const stack: Array<[object, number]> = [[v, 1]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [o, depth] = top;
    if (depth > max) return true;
    const values: unknown[] = Array.isArray(o) ? o : Object.values(o);
    for (const x of values) if (x !== null && typeof x === 'object') stack.push([x, depth + 1]);
  }
  return false;
}

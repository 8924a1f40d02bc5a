/**
 * The small JSONPath subset HTTP checks need: `$.a.b[0]['c d']` (the leading `$` is
 * optional: `a.b[0]` means the same). No wildcards, filters or recursion.
 */
export type JsonPath = ReadonlyArray<string | number>;

const STEP = /^(?:\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\])/;

export function parseJsonPath(text: string): JsonPath | undefined {
  let s = text.trim();
  if (s.startsWith('$')) s = s.slice(1);
  else if (s !== '' && !s.startsWith('.') && !s.startsWith('[')) s = `.${s}`;
  const out: Array<string | number> = [];
  while (s.length > 0) {
    const m = STEP.exec(s);
    if (!m) return undefined;
    if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push((m[1] ?? m[3] ?? m[4]) as string);
    s = s.slice(m[0].length);
  }
  return out;
}

/** The value at `path`, or `found: false` when some step is missing. */
export function evalJsonPath(doc: unknown, path: JsonPath): { found: boolean; value?: unknown } {
  let cur: unknown = doc;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(cur) || step >= cur.length) return { found: false };
      cur = cur[step];
    } else {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, step)) return { found: false };
      cur = (cur as Record<string, unknown>)[step];
    }
  }
  return { found: true, value: cur };
}

/** Scalars compare strictly; objects and arrays compare by their JSON text. */
export function jsonEquals(actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true;
  if (typeof actual === 'object' && actual !== null) return JSON.stringify(actual) === JSON.stringify(expected);
  return false;
}

/**
 * Cutting texts to a vendor's limit the way Alertmanager does: the cut text ends with "…".
 * Lengths in runes (code points) or UTF-8 bytes; a cut never splits a code point.
 */
const MARKER = '…';

export function truncateRunes(s: string, n: number): { text: string; truncated: boolean } {
  const runes = [...s];
  if (runes.length <= n) return { text: s, truncated: false };
  if (n <= 3) return { text: runes.slice(0, n).join(''), truncated: true };
  return { text: runes.slice(0, n - 1).join('') + MARKER, truncated: true };
}

export function truncateBytes(s: string, n: number): { text: string; truncated: boolean } {
  if (Buffer.byteLength(s) <= n) return { text: s, truncated: false };
  if (n <= 3) return { text: n === 3 ? MARKER : '.'.repeat(Math.max(0, n)), truncated: true };
  let out = '';
  let bytes = 0;
  for (const r of s) {
    const b = Buffer.byteLength(r);
    if (bytes + b > n - 3) break;
    out += r;
    bytes += b;
  }
  return { text: out + MARKER, truncated: true };
}

/** Cuts texts to a vendor's limit in runes, logging a warning naming the field when it had to. */
export function runeCutter(type: string, logger: { warn(message: string, fields?: Readonly<Record<string, unknown>>): void } | undefined) {
  return (text: string, max: number, field: string): string => {
    const t = truncateRunes(text, max);
    if (t.truncated) logger?.warn(`${type}: truncated a text to fit the vendor's limit`, { field, max_runes: max });
    return t.text;
  };
}

/** Go's strconv.FormatFloat(f, 'f', -1, 64): shortest round-trip digits, never an exponent. */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const s = String(v);
  if (!/e/i.test(s)) return s;
  const [mant, expStr] = s.split(/e/i) as [string, string];
  const exp = Number(expStr);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const pointPos = (mant.replace('-', '').indexOf('.') === -1 ? mant.replace('-', '').length : mant.replace('-', '').indexOf('.')) + exp;
  let out: string;
  if (pointPos <= 0) out = `0.${'0'.repeat(-pointPos)}${digits}`;
  else if (pointPos >= digits.length) out = digits + '0'.repeat(pointPos - digits.length);
  else out = `${digits.slice(0, pointPos)}.${digits.slice(pointPos)}`;
  return neg ? `-${out}` : out;
}

/** Go's %q for a string that may carry invalid UTF-8 bytes (marked by the lexer). */
export function goQuote(s: string): string {
  const marker = '\u0000\uFFFF';
  if (s.startsWith(marker)) {
    let out = '"';
    for (const ch of s.slice(marker.length)) {
      const c = ch.charCodeAt(0);
      if (c >= 0x80) out += `\\x${c.toString(16).padStart(2, '0')}`;
      else if (ch === '"' || ch === '\\') out += `\\${ch}`;
      else out += ch;
    }
    return `${out}"`;
  }
  return JSON.stringify(s);
}

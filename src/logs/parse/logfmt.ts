import type { FormatParser } from './format.js';

/**
 * Parses `key=value key2="quoted \" value" flag` pairs as go-logfmt does: a bare key is
 * an empty value, quoted values take backslash escapes. Never throws.
 */
export function parseLogfmt(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && line[i]! <= ' ') i++;
    const ks = i;
    while (i < n && line[i]! > ' ' && line[i] !== '=' && line[i] !== '"') i++;
    const key = line.slice(ks, i);
    if (key === '') {
      i++;
      continue;
    }
    if (line[i] !== '=') {
      out[key] = '';
      continue;
    }
    i++;
    if (line[i] === '"') {
      i++;
      let v = '';
      while (i < n && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < n) {
          const c = line[i + 1]!;
          v += c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c;
          i += 2;
        } else v += line[i++];
      }
      i++;
      out[key] = v;
    } else {
      const vs = i;
      while (i < n && line[i]! > ' ') i++;
      out[key] = line.slice(vs, i);
    }
  }
  return out;
}

const PAIR = /(?:^|\s)[A-Za-z_][\w.\-/]*=(?:"(?:[^"\\]|\\.)*"|\S*)/g;

export const logfmtFormat: FormatParser = {
  name: 'logfmt',
  // At least two pairs, and pairs cover most of the line (free text with one `a=b` is not logfmt).
  detect(line) {
    // Two pairs need two `=`.
    const eq = line.indexOf('=');
    if (eq < 0 || line.indexOf('=', eq + 1) < 0) return false;
    let covered = 0;
    let count = 0;
    for (const m of line.matchAll(PAIR)) {
      covered += m[0].length;
      count++;
    }
    return count >= 2 && covered >= line.trim().length * 0.6;
  },
  parse(line) {
    const fields = parseLogfmt(line);
    return Object.keys(fields).length ? { fields } : null;
  },
};

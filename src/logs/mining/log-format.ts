import { RE2JS } from 're2js';

/**
 * Loghub-style log formats: `<Date> <Time> <Level> <Component>: <Content>`.
 * Each `<Name>` becomes a non-greedy named group, every run of spaces in the literal text
 * matches `\s+`, the rest of the literal text is kept as regex (so `\[`, `\|` and optional
 * groups work as in the Loghub benchmark), and the whole is anchored. The miner mines the
 * `Content` field. Formats come from users, so they run on RE2 semantics (re2js): no
 * catastrophic backtracking however many `.*?` groups a format has.
 */
export interface LogFormat {
  readonly source: string;
  readonly fields: readonly string[];
  /** The named fields of a line (surrounding whitespace and a trailing `\r` stripped), or null if it does not match. */
  parse(line: string): Record<string, string> | null;
}

export class LogFormatError extends Error {
  override name = 'LogFormatError';
}

const FIELD = /<([A-Za-z_][A-Za-z0-9_]*)>/g;

export function compileLogFormat(format: string): LogFormat {
  if (format.trim() === '') throw new LogFormatError('log format is empty');
  const fields: string[] = [];
  let pattern = '';
  let last = 0;
  for (const m of format.matchAll(FIELD)) {
    const name = m[1] as string;
    if (fields.includes(name)) throw new LogFormatError(`log format "${format}": field <${name}> appears twice`);
    fields.push(name);
    pattern += literal(format.slice(last, m.index)) + `(?P<${name}>.*?)`;
    last = m.index + m[0].length;
  }
  pattern += literal(format.slice(last));
  if (!fields.includes('Content')) {
    throw new LogFormatError(`log format "${format}" has no <Content> field (the part that is mined)`);
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(`^${pattern}$`, RE2JS.DOTALL);
  } catch (err) {
    throw new LogFormatError(`log format "${format}" is not a valid pattern: ${(err as Error).message}`);
  }
  return {
    source: format,
    fields,
    parse(line) {
      const m = re.matcher(line.trim());
      if (!m.matches()) return null;
      const out: Record<string, string> = {};
      for (const f of fields) out[f] = m.group(f) ?? '';
      return out;
    },
  };
}

function literal(text: string): string {
  return text.replace(/ +/g, '\\s+');
}

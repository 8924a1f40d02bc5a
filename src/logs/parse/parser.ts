import { detectFormat } from './detect.js';
import type { FormatParser } from './format.js';
import { normalizeParse, type ParsedLog } from './normalize.js';
import { compilePattern } from './pattern.js';
import { compileNamedRegex } from './regex.js';
import { builtinFormat } from './registry.js';

/** How one source's lines are parsed; `auto` (the default) detects the format per line. */
export type ParserSpec = (
  | { format: 'auto' }
  | { format: 'plain' }
  | { format: 'json' | 'logfmt' | 'combined' | 'syslog' | 'syslog5424' | 'syslog3164' }
  | { format: 'pattern'; pattern: string }
  | { format: 'regex'; regex: string }
) & {
  /** Target field → source field, e.g. `{ request_id: 'rid', tenant: 'org.id' }`. */
  fieldMap?: Record<string, string>;
};

export class ParserConfigError extends Error {
  override name = 'ParserConfigError';
}

export type LineParser = (line: string) => ParsedLog;

function fromExtractor(name: string, match: (line: string) => Record<string, string> | null): FormatParser {
  return { name, detect: (l) => match(l) !== null, parse: (l) => { const f = match(l); return f ? { fields: f } : null; } };
}

function resolve(spec: ParserSpec): FormatParser[] | 'auto' | 'plain' {
  switch (spec.format) {
    case 'auto': return 'auto';
    case 'plain': return 'plain';
    case 'syslog': return [builtinFormat('syslog5424')!, builtinFormat('syslog3164')!];
    case 'json': case 'logfmt': case 'combined': case 'syslog5424': case 'syslog3164':
      return [builtinFormat(spec.format)!];
    case 'pattern':
      try {
        return [fromExtractor('pattern', compilePattern(spec.pattern).match)];
      } catch (e) {
        throw new ParserConfigError((e as Error).message);
      }
    case 'regex':
      try {
        return [fromExtractor('regex', compileNamedRegex(spec.regex).match)];
      } catch (e) {
        throw new ParserConfigError((e as Error).message);
      }
    default: {
      const never: never = spec;
      throw new ParserConfigError(`unknown log format ${JSON.stringify((never as { format: string }).format)}`);
    }
  }
}

/**
 * Builds the parser for a source. Bad patterns or regexes throw ParserConfigError here,
 * at load; a line the format does not fit is kept as plain text (message = the line),
 * never dropped.
 */
export function createLineParser(spec: ParserSpec = { format: 'auto' }, now: () => number = Date.now): LineParser {
  const formats = resolve(spec);
  const fieldMap = spec.fieldMap ?? {};
  return (line) => {
    const ctx = { now: now() };
    if (formats === 'auto') {
      const f = detectFormat(line);
      const raw = f ? f.parse(line, ctx) : null;
      return raw ? normalizeParse(f!.name, line, raw, ctx.now, fieldMap) : normalizeParse('plain', line, null, ctx.now, fieldMap);
    }
    const candidates = formats === 'plain' ? [] : formats;
    for (const f of candidates) {
      const raw = f.parse(line, ctx);
      if (raw) return normalizeParse(f.name, line, raw, ctx.now, fieldMap);
    }
    return normalizeParse('plain', line, null, ctx.now, fieldMap);
  };
}

import { combinedFormat } from './combined.js';
import type { FormatParser } from './format.js';
import { jsonFormat } from './json.js';
import { logfmtFormat } from './logfmt.js';
import { syslog3164Format, syslog5424Format } from './syslog.js';

/**
 * The built-in formats in auto-detection order: most specific shape first, logfmt last
 * because many free-text lines contain a `key=value` or two. Adding a format is a new file
 * plus one line here.
 */
export const BUILTIN_FORMATS: readonly FormatParser[] = [
  jsonFormat,
  syslog5424Format,
  syslog3164Format,
  combinedFormat,
  logfmtFormat,
];

const byName = new Map<string, FormatParser>(BUILTIN_FORMATS.map((f) => [f.name, f]));

export function builtinFormat(name: string): FormatParser | undefined {
  return byName.get(name);
}

export function builtinFormatNames(): string[] {
  return [...byName.keys()];
}

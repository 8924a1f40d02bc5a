import type { FormatParser } from './format.js';
import { BUILTIN_FORMATS } from './registry.js';

/** The first built-in format whose shape the line has; undefined = plain text. */
export function detectFormat(line: string): FormatParser | undefined {
  return BUILTIN_FORMATS.find((f) => f.detect(line));
}

/**
 * The format most sample lines of a source have ('plain' when most have none), for
 * pinning a source's format after looking at its first lines.
 */
export function detectSourceFormat(lines: readonly string[]): string {
  const votes = new Map<string, number>();
  for (const l of lines) {
    if (l.trim() === '') continue;
    const name = detectFormat(l)?.name ?? 'plain';
    votes.set(name, (votes.get(name) ?? 0) + 1);
  }
  let best = 'plain';
  let n = 0;
  for (const [k, v] of votes) if (v > n) [best, n] = [k, v];
  return best;
}

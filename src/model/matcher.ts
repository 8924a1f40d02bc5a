import { RE2JS } from 're2js';
import type { Labels } from './labels.js';

export type MatchType = '=' | '!=' | '=~' | '!~';

/**
 * A label matcher as Prometheus and Alertmanager define it. Regexes are RE2 (no
 * backtracking blow-ups) and fully anchored. A missing label matches as the empty string.
 */
export interface Matcher {
  readonly type: MatchType;
  readonly name: string;
  readonly value: string;
  matches(value: string): boolean;
}

export class MatcherError extends Error {
  override name = 'MatcherError';
}

export function compileRegex(pattern: string): RE2JS {
  try {
    return RE2JS.compile(`^(?:${pattern})$`, RE2JS.DOTALL);
  } catch (e) {
    throw new MatcherError(`invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
}

export function newMatcher(type: MatchType, name: string, value: string): Matcher {
  switch (type) {
    case '=':
      return { type, name, value, matches: (v) => v === value };
    case '!=':
      return { type, name, value, matches: (v) => v !== value };
    case '=~': {
      const re = compileRegex(value);
      return { type, name, value, matches: (v) => re.matches(v) };
    }
    case '!~': {
      const re = compileRegex(value);
      return { type, name, value, matches: (v) => !re.matches(v) };
    }
    default: {
      const never: never = type;
      throw new MatcherError(`unknown match type ${String(never)}`);
    }
  }
}

export function matchesAll(matchers: readonly Matcher[], labels: Labels): boolean {
  return matchers.every((m) => m.matches(labels[m.name] ?? ''));
}

export function formatMatcher(m: Matcher): string {
  return `${m.name}${m.type}${JSON.stringify(m.value)}`;
}

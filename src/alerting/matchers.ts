import { MatcherError, newMatcher } from '../model/matcher.js';
import type { MatchType, Matcher } from '../model/matcher.js';

/**
 * Alertmanager's classic matcher syntax (pkg/labels/parse.go): `name op value` where op is
 * one of = != =~ !~, the value optionally double-quoted with OpenMetrics escapes (\" \\ \n).
 * A list may be wrapped in braces and separated by commas outside quotes:
 * `{severity="critical", team=~"a|b"}`.
 */
const MATCHER_RE = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*([\s\S]*?)\s*$/;

function bad(input: string, why: string): MatcherError {
  return new MatcherError(`bad matcher ${JSON.stringify(input)}: ${why}`);
}

/** Parses one matcher; throws MatcherError naming the input and the reason. */
export function parseMatcher(input: string): Matcher {
  const m = MATCHER_RE.exec(input);
  if (!m) {
    throw bad(input, 'expected <label name><operator><value> with operator one of =, !=, =~, !~ (e.g. severity="critical")');
  }
  const name = m[1] as string;
  const type = m[2] as MatchType;
  let raw = m[3] as string;
  let expectClosingQuote = false;
  if (raw.startsWith('"')) {
    raw = raw.slice(1);
    expectClosingQuote = true;
  }
  let value = '';
  const chars = [...raw];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    const last = i === chars.length - 1;
    if (c === '\\' && !last) {
      const n = chars[++i] as string;
      if (n === 'n') value += '\n';
      else if (n === '"' || n === '\\') value += n;
      else value += `\\${n}`; // a spurious escape is a literal backslash, as Alertmanager treats it
    } else if (c === '"') {
      if (!expectClosingQuote || !last) throw bad(input, 'value contains an unescaped double quote');
      expectClosingQuote = false;
    } else {
      value += c;
    }
  }
  if (expectClosingQuote) throw bad(input, 'value has an opening double quote but no closing one');
  try {
    return newMatcher(type, name, value);
  } catch (e) {
    throw bad(input, (e as Error).message);
  }
}

/** Parses a comma-separated list, optionally in braces; an empty list is valid. */
export function parseMatchers(input: string): Matcher[] {
  let s = input.trim();
  if (s.startsWith('{')) s = s.slice(1);
  if (s.endsWith('}')) s = s.slice(0, -1);
  const tokens: string[] = [];
  let token = '';
  let quoted = false;
  let escaped = false;
  for (const c of s) {
    if (c === ',' && !quoted) {
      tokens.push(token);
      token = '';
      continue;
    }
    if (c === '"') {
      if (!escaped) quoted = !quoted;
      escaped = false;
    } else if (c === '\\') {
      escaped = !escaped;
    } else {
      escaped = false;
    }
    token += c;
  }
  if (token.trim() !== '') tokens.push(token);
  return tokens.map((t) => {
    if (t.trim() === '') throw bad(input, 'empty matcher between commas');
    return parseMatcher(t);
  });
}

const MATCH_TYPE_ORDER: Record<MatchType, number> = { '=': 0, '!=': 1, '=~': 2, '!~': 3 };

/** Alertmanager's Matchers ordering: by name, then value, then type (= != =~ !~). */
export function compareMatchers(a: Matcher, b: Matcher): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return MATCH_TYPE_ORDER[a.type] - MATCH_TYPE_ORDER[b.type];
}

function openMetricsEscape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** `{name="value",other=~"re"}` exactly as Alertmanager prints a matcher list (used in route keys). */
export function formatMatchersAM(matchers: readonly Matcher[]): string {
  return `{${matchers.map((m) => `${m.name}${m.type}"${openMetricsEscape(m.value)}"`).join(',')}}`;
}

import { RE2JS } from 're2js';

export class RegexFormatError extends Error {
  override name = 'RegexFormatError';
}

export interface CompiledRegex {
  readonly source: string;
  readonly names: readonly string[];
  /** Named groups of the first match anywhere in the line (RE2, unanchored); null when none. */
  match(line: string): Record<string, string> | null;
}

/** A user regex with named groups, `(?P<name>…)` or `(?<name>…)`, run on RE2 semantics. */
export function compileNamedRegex(source: string): CompiledRegex {
  let re: RE2JS;
  try {
    re = RE2JS.compile(source.replace(/\(\?<([A-Za-z_]\w*)>/g, '(?P<$1>'));
  } catch (e) {
    throw new RegexFormatError(`invalid regular expression ${JSON.stringify(source)}: ${(e as Error).message}`);
  }
  const groups = re.namedGroups();
  const names = Object.keys(groups);
  if (names.length === 0) throw new RegexFormatError(`regular expression ${JSON.stringify(source)} has no named group like (?P<name>...)`);
  return {
    source,
    names,
    match(line) {
      const m = re.matcher(line);
      if (!m.find()) return null;
      const out: Record<string, string> = {};
      for (const n of names) {
        const v = m.group(n);
        if (v !== null) out[n] = v;
      }
      return out;
    },
  };
}

import { RE2JS } from 're2js';

/**
 * Go's regexp semantics where templates use them: MatchString (unanchored) and
 * ReplaceAllString (`$1`, `${name}`, `$$`; an empty match right after a match is skipped).
 * Patterns are RE2, so no template can make a regular expression backtrack for ever.
 */
const cache = new Map<string, RE2JS>();

export function compileGoRegexp(pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (!re) {
    try {
      re = RE2JS.compile(pattern);
    } catch (e) {
      throw new Error(`error parsing regexp: ${(e as Error).message}: \`${pattern}\``);
    }
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

export function goMatchString(pattern: string, s: string): boolean {
  return compileGoRegexp(pattern).matcher(s).find();
}

/** Regexp.Expand's template: `$name`/`${name}` (a number is a group index), `$$` is `$`. */
function expand(template: string, group: (name: string) => string): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    if (c !== '$') {
      out += c;
      continue;
    }
    const rest = template.slice(i + 1);
    if (rest.startsWith('$')) {
      out += '$';
      i++;
      continue;
    }
    const m = /^\{([A-Za-z0-9_]+)\}/.exec(rest) ?? /^([A-Za-z0-9_]+)/.exec(rest);
    if (!m) {
      out += '$';
      continue;
    }
    out += group(m[1] as string);
    i += m[0].length;
  }
  return out;
}

export function goReplaceAll(pattern: string, repl: string, text: string): string {
  const re = compileGoRegexp(pattern);
  const named = re.namedGroups() as Record<string, number>;
  const m = re.matcher(text);
  let out = '';
  let last = 0;
  let pos = 0;
  let prevEnd = -1;
  while (pos <= text.length && m.find(pos)) {
    const s = m.start();
    const e = m.end();
    const step = () => (e > s ? e : s + (/[\uD800-\uDBFF]/.test(text[s] ?? '') ? 2 : 1));
    if (e === s && s === prevEnd) {
      pos = step();
      continue;
    }
    out += text.slice(last, s);
    out += expand(repl, (name) => {
      const idx = /^\d+$/.test(name) ? Number(name) : named[name];
      if (idx === undefined || idx > m.groupCount()) return '';
      return m.group(idx) ?? '';
    });
    last = e;
    prevEnd = e;
    pos = step();
  }
  return out + text.slice(last);
}

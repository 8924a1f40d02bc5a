import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * Go's filepath.Glob, as Prometheus expands `rule_files:`: `*`, `?` and `[…]` within one path
 * element (no `**`), matches sorted, a pattern without meta characters returned if the file
 * exists. Relative patterns are resolved against `baseDir` (the config file's directory).
 */
export function expandGlobs(patterns: readonly string[], baseDir: string): { files: string[]; errors: string[] } {
  const files: string[] = [];
  const seen = new Set<string>();
  const errors: string[] = [];
  for (const raw of patterns) {
    const pattern = isAbsolute(raw) ? raw : join(baseDir, raw);
    let matches: string[];
    try {
      matches = glob(pattern);
    } catch (e) {
      errors.push(`${raw}: ${(e as Error).message}`);
      continue;
    }
    for (const m of matches) {
      if (seen.has(m)) continue;
      seen.add(m);
      files.push(m);
    }
  }
  return { files, errors };
}

const META = /[*?[\\]/;

function elementRegex(el: string): RegExp {
  let re = '^';
  for (let i = 0; i < el.length; i++) {
    const c = el[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      const n = el[++i];
      if (n === undefined) throw new Error('syntax error in pattern');
      re += n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (c === '[') {
      const close = el.indexOf(']', i + 2);
      if (close < 0) throw new Error('syntax error in pattern');
      let cls = el.slice(i + 1, close);
      if (cls.startsWith('^')) cls = `!${cls.slice(1)}`;
      re += cls.startsWith('!') ? `[^${cls.slice(1).replace(/\\/g, '\\\\')}]` : `[${cls.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`, 'u');
}

function glob(pattern: string): string[] {
  const abs = resolve(pattern);
  if (!META.test(abs)) {
    try {
      statSync(abs);
      return [abs];
    } catch {
      return [];
    }
  }
  const parts = abs.split('/');
  let dirs = ['/'];
  for (let i = 1; i < parts.length; i++) {
    const el = parts[i] as string;
    if (el === '') continue;
    const next: string[] = [];
    if (!META.test(el)) {
      for (const d of dirs) next.push(join(d, el));
    } else {
      const re = elementRegex(el);
      for (const d of dirs) {
        let names: string[];
        try {
          names = readdirSync(d);
        } catch {
          continue;
        }
        for (const n of names.sort()) if (re.test(n)) next.push(join(d, n));
      }
    }
    dirs = next;
  }
  return dirs.filter((p) => {
    try {
      statSync(p);
      return true;
    } catch {
      return false;
    }
  });
}

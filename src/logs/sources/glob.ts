import { readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';

/**
 * Path globs for file sources: `*` and `?` stay within one path segment, `**` spans any
 * number of segments (`/var/log/**\/*.log` also matches `/var/log/a.log`), `[abc]`/`[!a-z]`
 * are character classes. Everything else is literal.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        re += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = glob.slice(i + 1, end);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function hasMagic(segment: string): boolean {
  return /[*?[]/.test(segment);
}

/**
 * Files (not directories) matching an absolute glob, sorted. Walks only below the glob's
 * literal prefix, and no deeper than its segment count unless it has `**`. Unreadable
 * directories are skipped: a source must not fail because one directory vanished.
 */
export async function expandGlob(glob: string, maxFiles = 10_000): Promise<string[]> {
  const normalized = sep === '/' ? glob : glob.split(sep).join('/');
  const segments = normalized.split('/');
  let baseLen = 0;
  while (baseLen < segments.length - 1 && !hasMagic(segments[baseLen]!)) baseLen++;
  const base = segments.slice(0, baseLen).join('/') || '/';
  const rest = segments.slice(baseLen);
  const re = globToRegExp(normalized);
  const maxDepth = rest.includes('**') || rest.some((s) => s.includes('**')) ? Infinity : rest.length;
  const out: string[] = [];
  async function walk(dir: string, depth: number): Promise<void> {
    if (out.length >= maxFiles) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isFile() || e.isSymbolicLink()) {
        if (re.test(p)) out.push(p);
      } else if (e.isDirectory() && depth + 1 < maxDepth) await walk(p, depth + 1);
    }
  }
  if (rest.length === 0 || !hasMagic(rest.join('/'))) {
    // A literal path: just report it; the caller stats it.
    return [normalized];
  }
  await walk(base, 0);
  return out.sort();
}

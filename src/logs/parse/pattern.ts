/**
 * Loki's pattern expressions: `<name>` captures up to the next literal, `<_>` skips,
 * everything else is literal text. Matching starts at the beginning of the line; the
 * last capture takes the rest of the line when no literal follows it.
 */
export class PatternError extends Error {
  override name = 'PatternError';
}

type Part = { kind: 'lit'; text: string } | { kind: 'cap'; name: string };

export interface CompiledPattern {
  readonly source: string;
  readonly names: readonly string[];
  match(line: string): Record<string, string> | null;
}

const CAPTURE = /<(_|[A-Za-z_][A-Za-z0-9_]*)>/g;

export function compilePattern(source: string): CompiledPattern {
  const parts: Part[] = [];
  let last = 0;
  for (const m of source.matchAll(CAPTURE)) {
    if (m.index > last) parts.push({ kind: 'lit', text: source.slice(last, m.index) });
    const prev = parts[parts.length - 1];
    if (prev?.kind === 'cap') {
      throw new PatternError(`pattern ${JSON.stringify(source)}: captures <${prev.name}> and <${m[1]}> must be separated by literal text`);
    }
    parts.push({ kind: 'cap', name: m[1]! });
    last = m.index + m[0].length;
  }
  if (last < source.length) parts.push({ kind: 'lit', text: source.slice(last) });
  const names = parts.filter((p): p is { kind: 'cap'; name: string } => p.kind === 'cap' && p.name !== '_').map((p) => p.name);
  if (names.length === 0) throw new PatternError(`pattern ${JSON.stringify(source)} has no named capture like <name>`);
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new PatternError(`pattern ${JSON.stringify(source)}: duplicate capture <${n}>`);
    seen.add(n);
  }
  return {
    source,
    names,
    match(line) {
      const out: Record<string, string> = {};
      let pos = 0;
      for (let i = 0; i < parts.length; i++) {
        const p = parts[i]!;
        if (p.kind === 'lit') {
          if (i === 0) {
            if (!line.startsWith(p.text)) return null;
            pos = p.text.length;
          } else continue; // consumed together with the capture before it
        } else {
          const next = parts[i + 1];
          let end: number;
          if (next === undefined) end = line.length;
          else {
            end = line.indexOf((next as { text: string }).text, pos);
            if (end < 0) return null;
          }
          if (p.name !== '_') out[p.name] = line.slice(pos, end);
          pos = next === undefined ? end : end + (next as { text: string }).text.length;
        }
      }
      return out;
    },
  };
}

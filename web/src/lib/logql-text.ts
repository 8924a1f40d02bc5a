// Editing LogQL text; pure (no DOM), so node tests import it too.

/** A selector with one more matcher (`{a="b"}` + c=d → `{a="b", c="d"}`), else a label filter stage. */
export function addMatcher(query: string, name: string, value: string): string {
  const matcher = `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const close = query.indexOf('}');
  if (query.trim().startsWith('{') && close > 0) {
    const inner = query.slice(query.indexOf('{') + 1, close).trim();
    if (new RegExp(`(^|,)\\s*${name}\\s*=`).test(inner)) return `${query} | ${matcher}`;
    return `${query.slice(0, close).trimEnd()}${inner ? ', ' : ''}${matcher}${query.slice(close)}`;
  }
  return `{${matcher}}`;
}

/** The longest literal piece of a template: a line filter that finds its lines. */
export function templateFilter(template: string): string {
  const best = template
    .split('<*>')
    .map((s) => s.trim())
    .sort((a, b) => b.length - a.length)[0];
  return best ?? '';
}

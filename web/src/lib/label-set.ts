// Reading a label set typed by a person; pure (no DOM), so node tests import it too.

/** `{a="b", c="d"}`, `a=b, c=d` or one `a=b` per line → labels; or the first problem. */
export function parseLabelSet(text: string): { labels: Record<string, string> } | { error: string } {
  const body = text.trim().replace(/^\{/, '').replace(/\}$/, '');
  const labels: Record<string, string> = {};
  const re = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\n"]*))\s*(?:[,\n]|$)/y;
  let pos = 0;
  while (pos < body.length) {
    re.lastIndex = pos;
    const m = re.exec(body);
    if (!m || re.lastIndex === pos) return { error: `cannot read a label at "${body.slice(pos, pos + 20).trim()}": write name="value", separated by commas or lines` };
    labels[m[1] as string] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '').trim();
    pos = re.lastIndex;
  }
  return Object.keys(labels).length ? { labels } : { error: 'type at least one label, e.g. alertname="HighLatency"' };
}

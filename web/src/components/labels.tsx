/** Labels as chips (`service=shop-api`), usable inside text; `onPick` makes each a button (e.g. to filter by it). */
export function Labels({ labels, hide = [], onPick }: { labels: Record<string, string>; hide?: readonly string[]; onPick?: (name: string, value: string) => void }) {
  const entries = Object.entries(labels)
    .filter(([k]) => !hide.includes(k))
    .sort(([a], [b]) => (a === '__name__' ? -1 : b === '__name__' ? 1 : a.localeCompare(b)));
  if (entries.length === 0) return <span className="muted">no labels</span>;
  return (
    <span className="labels" role="list" aria-label="labels">
      {entries.map(([k, v]) => (
        <span key={k} role="listitem">
          {onPick ? (
            <button type="button" className="label" onClick={() => onPick(k, v)} title={`Filter by ${k}="${v}"`}>
              <span className="label-k">{k}</span>=<span className="label-v">{v}</span>
            </button>
          ) : (
            <span className="label">
              <span className="label-k">{k}</span>=<span className="label-v">{v}</span>
            </span>
          )}
        </span>
      ))}
    </span>
  );
}

export function formatSelector(labels: Record<string, string>): string {
  const { __name__: name, ...rest } = labels;
  const inner = Object.entries(rest)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
  return `${name ?? ''}{${inner}}`;
}

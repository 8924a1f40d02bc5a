import { Time } from '../lib/time';
import { Labels } from '../components/labels';

export interface LogLine {
  readonly ns: string;
  readonly labels: Record<string, string>;
  readonly line: string;
}

const levelOf = (l: LogLine) => (l.labels['level'] ?? l.labels['detected_level'] ?? '').toLowerCase();

/** Log lines, newest first or as given; a line opens to show its labels, each of which can filter. */
export function LogLines({ lines, onPick, showService = false }: { lines: readonly LogLine[]; onPick?: (k: string, v: string) => void; showService?: boolean }) {
  return (
    <ol className="log-lines" data-testid="log-lines" aria-label="Log lines">
      {lines.map((l, i) => (
        <li key={`${l.ns}-${i}`} className={`log-line level-${levelOf(l)}`}>
          <span className="muted">
            <Time t={Number(BigInt(l.ns) / 1_000_000n)} />
          </span>
          <details>
            <summary>
              {showService && l.labels['service'] ? <strong>{l.labels['service']} </strong> : null}
              <span className="log-text">{l.line}</span>
            </summary>
            <Labels labels={l.labels} {...(onPick ? { onPick } : {})} />
          </details>
        </li>
      ))}
    </ol>
  );
}

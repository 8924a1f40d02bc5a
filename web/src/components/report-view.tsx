import { Fragment } from 'react';
import type { Polled } from '../lib/poll';
import { Time } from '../lib/time';
import { Resource } from './states';

const FORMATS = [
  { format: 'markdown', label: 'Markdown', ext: 'md' },
  { format: 'html', label: 'HTML', ext: 'html' },
  { format: 'json', label: 'JSON', ext: 'json' },
] as const;

// The report as `?format=json` gives it (src/reports/render.ts). Every text is plain and is
// rendered by React, so escaped: nothing of the report is injected as HTML.
type Block =
  | { type: 'paragraph' | 'markdown'; text: string }
  | { type: 'list'; items: string[] }
  | { type: 'table'; columns: string[]; rows: string[][] }
  | { type: 'subsection'; heading: string; blocks: Block[] };
export interface ReportJson {
  title: string;
  generated_at: string;
  time_zone: string;
  sections: Array<{ heading: string; blocks: Block[] }>;
}

function Blocks({ blocks, level }: { blocks: readonly Block[]; level: 4 | 5 | 6 }) {
  return (
    <>
      {blocks.map((b, i) => {
        switch (b.type) {
          case 'paragraph':
            return <p key={i}>{b.text}</p>;
          case 'markdown':
            // What people wrote (post-mortem text), shown as written.
            return (
              <p key={i} className="report-text">
                {b.text}
              </p>
            );
          case 'list':
            return (
              <ul key={i}>
                {b.items.map((t, j) => (
                  <li key={j}>{t}</li>
                ))}
              </ul>
            );
          case 'table':
            return (
              <div key={i} className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      {b.columns.map((c, j) => (
                        <th key={j} scope="col">
                          {c}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {b.rows.map((r, j) => (
                      <tr key={j}>
                        {r.map((c, k) => (
                          <td key={k}>{c}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            );
          case 'subsection': {
            const H = `h${level}` as const;
            return (
              <Fragment key={i}>
                <H>{b.heading}</H>
                <Blocks blocks={b.blocks} level={level === 4 ? 5 : 6} />
              </Fragment>
            );
          }
          default:
            return null;
        }
      })}
    </>
  );
}

/** Download links for a report in each format (`path(format)` is its URL). */
export function ReportDownloads({ path, stem }: { path: (format: string) => string; stem: string }) {
  return (
    <span className="row-actions">
      {FORMATS.map((f) => (
        <a key={f.format} className="btn btn-small" href={path(f.format)} download={`${stem}.${f.ext}`} aria-label={`Download as ${f.label}`}>
          ⤓ {f.label}
        </a>
      ))}
    </span>
  );
}

/** A report as its JSON form gives it, rendered by React (plain texts, escaped). */
export function ReportArticle({ polled }: { polled: Polled<ReportJson> }) {
  return (
    <Resource polled={polled} what="The report">
      {(r) => (
        <article className="report" aria-label={r.title} data-testid="report">
          <h2>{r.title}</h2>
          <p className="muted small">
            Built <Time t={r.generated_at} /> · times in the report are in {r.time_zone}
          </p>
          {r.sections.map((s, i) => (
            <section key={i}>
              <h3>{s.heading}</h3>
              <Blocks blocks={s.blocks} level={4} />
            </section>
          ))}
        </article>
      )}
    </Resource>
  );
}

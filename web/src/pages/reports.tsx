import { Fragment } from 'react';
import { usePoll } from '../lib/poll';
import { setSearch, useLocation, useTitle } from '../lib/router';
import { Time } from '../lib/time';
import { Resource } from '../components/states';
import { Tabs } from '../components/tabs';

type Kind = 'daily' | 'handoff' | 'sla';
const KINDS: readonly Kind[] = ['daily', 'handoff', 'sla'];
const KIND_TEXT: Record<Kind, string> = { daily: 'Daily report', handoff: 'Handoff', sla: 'SLA compliance' };
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
interface ReportJson {
  title: string;
  generated_at: string;
  time_zone: string;
  sections: Array<{ heading: string; blocks: Block[] }>;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** Today in the browser's calendar, and last month (the SLA report's default period). */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
function lastMonth(): string {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - 1);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;
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

/**
 * The operations reports (docs/reports.md): the daily report of a day, the handoff document
 * for the next shift, the SLA compliance of a month; read here, downloaded as Markdown, HTML
 * or JSON.
 */
export default function Reports() {
  useTitle('Reports');
  const { search } = useLocation();
  const kind = (KINDS as readonly string[]).includes(search.get('kind') ?? '') ? (search.get('kind') as Kind) : 'daily';
  const date = search.get('date') ?? today();
  const month = search.get('month') ?? lastMonth();
  const query = new URLSearchParams(kind === 'daily' ? { date } : kind === 'sla' ? { month } : {});
  const path = (format: string) => {
    const q = new URLSearchParams(query);
    q.set('format', format);
    return `/api/v1/reports/${kind}?${q.toString()}`;
  };
  // Built on request from the raw data: fetched once per choice, refreshed by hand.
  const polled = usePoll<ReportJson>(path('json'), 0);
  const stem = kind === 'daily' ? `daily-${date}` : kind === 'sla' ? `sla-${month}` : 'handoff';
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Reports</h1>
          <p className="muted">What Vigil recorded, as the documents operations teams share: the day, the handoff to the next shift, the month's SLA compliance.</p>
        </div>
      </div>
      <Tabs label="Report" value={kind} onChange={(k) => setSearch({ kind: k === 'daily' ? undefined : k })} tabs={KINDS.map((k) => ({ id: k, label: KIND_TEXT[k] }))} />
      <section className="panel" role="tabpanel" id={`panel-${kind}`} aria-labelledby={`tab-${kind}`}>
        <form className="toolbar" aria-label="Report options" onSubmit={(e) => e.preventDefault()}>
          {kind === 'daily' ? (
            <div className="field">
              <label htmlFor="report-date">Day</label>
              <input id="report-date" type="date" value={date} required onChange={(e) => e.target.value && setSearch({ date: e.target.value })} />
            </div>
          ) : kind === 'sla' ? (
            <div className="field">
              <label htmlFor="report-month">Month</label>
              <input id="report-month" type="month" value={month} required onChange={(e) => /^\d{4}-\d{2}$/.test(e.target.value) && setSearch({ month: e.target.value })} />
            </div>
          ) : null}
          <button type="button" className="btn" onClick={polled.refresh}>
            Refresh
          </button>
          <span className="row-actions">
            {FORMATS.map((f) => (
              <a key={f.format} className="btn btn-small" href={path(f.format)} download={`${stem}.${f.ext}`} aria-label={`Download as ${f.label}`}>
                ⤓ {f.label}
              </a>
            ))}
          </span>
        </form>
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
      </section>
    </div>
  );
}

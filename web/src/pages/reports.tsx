import { usePoll } from '../lib/poll';
import { setSearch, useLocation, useTitle } from '../lib/router';
import { Tabs } from '../components/tabs';
import { ReportArticle, ReportDownloads, type ReportJson } from '../components/report-view';

type Kind = 'daily' | 'handoff' | 'sla';
const KINDS: readonly Kind[] = ['daily', 'handoff', 'sla'];
const KIND_TEXT: Record<Kind, string> = { daily: 'Daily report', handoff: 'Handoff', sla: 'SLA compliance' };
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
          <ReportDownloads path={path} stem={stem} />
        </form>
        <ReportArticle polled={polled} />
      </section>
    </div>
  );
}

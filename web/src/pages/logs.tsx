import { useEffect, useRef, useState } from 'react';
import { setSearch, useLocation, useTitle } from '../lib/router';
import { RANGES, autoStep, lokiRange, promDuration, toSeries } from '../lib/prom';
import { useQuery } from '../lib/use-query';
import { usePoll } from '../lib/poll';
import { errorText } from '../lib/api';
import type { LokiQueryData, PromMatrixResult, PromResponse } from '../lib/types';
import { QueryEditor } from '../editors/query-editor';
import { logqlLanguage } from '../editors/logql';
import { TimeChart } from '../charts/time-chart';
import { RangeControls } from '../components/range-controls';
import { Tabs } from '../components/tabs';
import { Empty, Failure, Loading } from '../components/states';
import { LogLines, type LogLine } from './log-lines';
import { addMatcher } from '../lib/logql-text';
import { Patterns } from './log-patterns';
import { Trace } from './log-trace';

const language = logqlLanguage();
const isLogQuery = (q: string) => q.trim().startsWith('{');

function linesOf(data: LokiQueryData): LogLine[] {
  if (data.resultType !== 'streams') return [];
  return data.result.flatMap((s) => s.values.map(([ns, line]) => ({ ns, labels: s.stream, line })));
}

const byTimeDesc = (a: LogLine, b: LogLine) => (BigInt(b.ns) > BigInt(a.ns) ? 1 : BigInt(b.ns) < BigInt(a.ns) ? -1 : 0);

/** New lines since the newest shown, every two seconds, on top (capped). */
function useTail(query: string, on: boolean): { lines: LogLine[]; error?: string } {
  const [state, setState] = useState<{ lines: LogLine[]; error?: string }>({ lines: [] });
  const newest = useRef<bigint>(0n);
  useEffect(() => {
    setState({ lines: [] });
    newest.current = BigInt(Date.now() - 60_000) * 1_000_000n;
    if (!on || !isLogQuery(query)) return;
    let stop = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const start = newest.current + 1n;
        const r = await lokiRange(query, { start: Number(start / 1_000_000n) / 1000, end: Date.now() / 1000 + 1, limit: 500, direction: 'forward' });
        const fresh = linesOf(r.data).filter((l) => BigInt(l.ns) >= start);
        if (!stop && fresh.length) {
          for (const l of fresh) if (BigInt(l.ns) > newest.current) newest.current = BigInt(l.ns);
          setState((s) => ({ lines: [...fresh.sort(byTimeDesc), ...s.lines].slice(0, 1000) }));
        } else if (!stop) setState((s) => (s.error ? { lines: s.lines } : s));
      } catch (e) {
        if (!stop) setState((s) => ({ ...s, error: errorText(e) }));
      }
      if (!stop) timer = setTimeout(() => void poll(), 2000);
    };
    void poll();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [query, on]);
  return state;
}

/** LogQL: lines with their labels and a volume histogram, live tail, mined patterns, and the trace view. */
export default function Logs() {
  useTitle('Logs');
  const { search } = useLocation();
  const q = search.get('q') ?? '';
  const range = search.get('range') ?? '1h';
  const end = search.get('end') ?? '';
  const limit = search.get('limit') ?? '200';
  const tab = (search.get('tab') ?? 'lines') as 'lines' | 'patterns' | 'trace';
  const live = search.get('live') === '1';
  const [text, setText] = useState(q);
  const [runs, setRuns] = useState(0);
  useEffect(() => setText(q), [q]);
  const seconds = RANGES[range] ?? 3600;
  const run = () => {
    setSearch({ q: text.trim(), tab: undefined });
    setRuns((n) => n + 1);
  };
  const services = usePoll<{ data?: string[] }>('/loki/api/v1/label/service/values', 60_000);
  const key = q && tab === 'lines' && !live ? `${q}|${range}|${end}|${limit}|${runs}` : undefined;
  type Window = readonly [number, number];
  type Result = { kind: 'metric'; metric: PromResponse<LokiQueryData>; window: Window } | { kind: 'lines'; lines: PromResponse<LokiQueryData>; volume: PromResponse<LokiQueryData> | undefined; window: Window };
  const result = useQuery(key, async (signal): Promise<Result> => {
    const endS = end ? Number(end) : Date.now() / 1000;
    const step = autoStep(seconds, 80);
    const window = [endS - seconds, endS] as const;
    if (!isLogQuery(q)) return { kind: 'metric', metric: await lokiRange(q, { start: endS - seconds, end: endS, step: autoStep(seconds) }, signal), window };
    const [lines, volume] = await Promise.all([
      lokiRange(q, { start: endS - seconds, end: endS, limit: Number(limit) || 200, direction: 'backward' }, signal),
      lokiRange(`sum(count_over_time(${q} [${promDuration(step)}]))`, { start: endS - seconds, end: endS, step }, signal).catch(() => undefined),
    ]);
    return { kind: 'lines', lines, volume, window };
  });
  const tail = useTail(q, live && tab === 'lines');
  const pick = (k: string, v: string) => {
    const next = addMatcher(q || text, k, v);
    setText(next);
    setSearch({ q: next });
  };
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Logs</h1>
          <p className="muted">
            LogQL over every log Vigil receives. <kbd>Enter</kbd> runs; open a line to see its labels and filter by one.
          </p>
        </div>
      </div>
      <div className="query-row">
        <QueryEditor value={text} onChange={setText} onRun={run} language={language} label="LogQL query" placeholder='e.g. {service="shop-api"} |= "error" | logfmt' testId="logql-editor" />
        <button type="button" className="btn btn-primary" onClick={run}>
          Run query
        </button>
      </div>
      <Tabs
        label="Log views"
        value={tab}
        onChange={(t) => setSearch({ tab: t === 'lines' ? undefined : t })}
        tabs={[
          { id: 'lines', label: 'Lines' },
          { id: 'patterns', label: 'Patterns' },
          { id: 'trace', label: 'Trace' },
        ]}
      />
      <section className="panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'lines' ? (
          <>
            <div className="toolbar">
              <RangeControls range={range} end={end} step="" showStep={false} onChange={(v) => setSearch(v)} />
              <div className="field">
                <label htmlFor="l-limit">Lines</label>
                <select id="l-limit" value={limit} onChange={(e) => setSearch({ limit: e.target.value === '200' ? undefined : e.target.value })}>
                  {['100', '200', '500', '1000', '5000'].map((n) => (
                    <option key={n}>{n}</option>
                  ))}
                </select>
              </div>
              <button type="button" className={`btn${live ? ' btn-primary' : ''}`} aria-pressed={live} onClick={() => setSearch({ live: live ? undefined : '1' })} disabled={!isLogQuery(q)}>
                {live ? '■ Stop live tail' : '▶ Live tail'}
              </button>
            </div>
            {!q ? (
              <Empty title="Type a LogQL query and run it">
                Start with a stream selector such as <code>{'{service="shop-api"}'}</code>, then filter: <code>|= "failed"</code>, <code>| logfmt | level="error"</code>.
              </Empty>
            ) : live ? (
              <>
                <p className="muted small" role="status" aria-live="polite">
                  Live: {tail.lines.length} new line{tail.lines.length === 1 ? '' : 's'} since tailing started{tail.error ? ` — ${tail.error}` : ''}
                </p>
                {tail.lines.length ? <LogLines lines={tail.lines} onPick={pick} /> : <Empty title="Waiting for new lines…" icon="…" />}
              </>
            ) : result.loading && !result.data ? (
              <Loading what="Running the query" />
            ) : result.error ? (
              <Failure error={result.error} what="The query failed" />
            ) : result.data?.kind === 'metric' ? (
              toSeries(result.data.metric.data as PromMatrixResult).length ? (
                <TimeChart series={toSeries(result.data.metric.data as PromMatrixResult)} label={`Graph of ${q}`} range={result.data.window} />
              ) : (
                <Empty title="No data in this range" />
              )
            ) : result.data?.kind === 'lines' ? (
              <>
                {result.data.volume && toSeries(result.data.volume.data as PromMatrixResult).length ? (
                  <TimeChart series={toSeries(result.data.volume.data as PromMatrixResult).map((s) => ({ ...s, label: 'lines' }))} bars height={110} label="Log volume over the range" showLegend={false} range={result.data.window} />
                ) : null}
                {linesOf(result.data.lines.data).length ? (
                  <>
                    <p className="muted small">
                      {linesOf(result.data.lines.data).length} lines (newest first{linesOf(result.data.lines.data).length >= Number(limit) ? `, the first ${limit}` : ''})
                    </p>
                    <LogLines lines={linesOf(result.data.lines.data).sort(byTimeDesc)} onPick={pick} />
                  </>
                ) : (
                  <Empty title="No lines match in this range" />
                )}
              </>
            ) : null}
          </>
        ) : null}
        {tab === 'patterns' ? (
          <Patterns
            service={search.get('service') ?? ''}
            services={services.data?.data ?? []}
            onService={(s) => setSearch({ service: s })}
            onShow={(svc, filter) => {
              const next = `{service="${svc}"}${filter ? ` |= ${JSON.stringify(filter)}` : ''}`;
              setText(next);
              setSearch({ q: next, tab: undefined, service: undefined });
            }}
          />
        ) : null}
        {tab === 'trace' ? <Trace id={search.get('trace') ?? ''} seconds={Math.max(seconds, 86400)} onId={(id) => setSearch({ trace: id })} /> : null}
      </section>
    </div>
  );
}

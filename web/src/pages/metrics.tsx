import { useEffect, useState } from 'react';
import { setSearch, useLocation, useTitle } from '../lib/router';
import { RANGES, autoStep, parsePromDuration, promInstant, promRange, seriesLabel, toSeries } from '../lib/prom';
import { useQuery } from '../lib/use-query';
import { formatLocal } from '../lib/time';
import type { PromQueryData, PromResponse } from '../lib/types';
import { QueryEditor } from '../editors/query-editor';
import { promqlLanguage } from '../editors/promql';
import { TimeChart, formatValue } from '../charts/time-chart';
import { RangeControls } from '../components/range-controls';
import { Tabs } from '../components/tabs';
import { Labels } from '../components/labels';
import { Empty, Failure, Loading } from '../components/states';

function Table({ data }: { data: PromQueryData }) {
  if (data.resultType === 'scalar' || data.resultType === 'string') {
    return (
      <p>
        {data.resultType}: <strong className="mono">{data.result[1]}</strong>
      </p>
    );
  }
  const rows: Array<{ metric: Record<string, string>; value: string }> =
    data.resultType === 'vector'
      ? data.result.map((s) => ({ metric: s.metric, value: s.value[1] }))
      : data.resultType === 'matrix'
        ? data.result.map((s) => ({ metric: s.metric, value: s.values[s.values.length - 1]?.[1] ?? '–' }))
        : [];
  if (rows.length === 0) return <Empty title="No series match at this time" />;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="result-table">
        <thead>
          <tr>
            <th scope="col">Series</th>
            <th scope="col" className="num">
              Value
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={seriesLabel(r.metric)}>
              <td>
                <Labels labels={r.metric} />
              </td>
              <td className="num mono">{r.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Warnings({ r }: { r: PromResponse<unknown> }) {
  const all = [...(r.warnings ?? []), ...(r.infos ?? [])];
  return all.length ? (
    <ul className="banner banner-info">
      {all.map((w) => (
        <li key={w}>{w}</li>
      ))}
    </ul>
  ) : null;
}

/** PromQL with completion; results as a graph (query_range) or a table (an instant query at the end). All state in the URL. */
export default function Metrics() {
  useTitle('Metrics');
  const { search } = useLocation();
  const q = search.get('q') ?? '';
  const range = search.get('range') ?? '1h';
  const end = search.get('end') ?? '';
  const step = search.get('step') ?? '';
  const tab = (search.get('tab') ?? 'graph') as 'graph' | 'table';
  const [text, setText] = useState(q);
  const [runs, setRuns] = useState(0);
  useEffect(() => setText(q), [q]);
  const seconds = RANGES[range] ?? 3600;
  const run = () => {
    setSearch({ q: text.trim() });
    setRuns((n) => n + 1);
  };
  const key = q ? `${q}|${range}|${end}|${step}|${tab}|${runs}` : undefined;
  const query = useQuery(key, async (signal) => {
    const endS = end ? Number(end) : Date.now() / 1000;
    const window = [endS - seconds, endS] as const;
    if (tab === 'table') return { resp: await promInstant(q, endS, signal), window };
    const st = (step && parsePromDuration(step)) || autoStep(seconds);
    return { resp: await promRange(q, endS - seconds, endS, st, signal), window };
  });
  const result = { ...query, data: query.data?.resp };
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Metrics</h1>
          <p className="muted">
            PromQL over Vigil's metrics (probes, scrapes, remote-write, log metrics). <kbd>Enter</kbd> runs, <kbd>Shift</kbd>+<kbd>Enter</kbd> adds a line, <kbd>Ctrl</kbd>+<kbd>Space</kbd> completes.
          </p>
        </div>
      </div>
      <div className="query-row">
        <QueryEditor value={text} onChange={setText} onRun={run} language={promqlLanguage()} label="PromQL query" placeholder='e.g. rate(probe_duration_seconds_sum[5m]) or probe_success{service="shop-api"}' testId="promql-editor" />
        <button type="button" className="btn btn-primary" onClick={run}>
          Run query
        </button>
      </div>
      <div className="toolbar">
        <RangeControls range={range} end={end} step={step} onChange={(v) => setSearch(v)} showStep={tab === 'graph'} />
        <button type="button" className="btn" onClick={() => void navigator.clipboard?.writeText(window.location.href)}>
          Copy link
        </button>
      </div>
      <Tabs label="Result view" value={tab} onChange={(t) => setSearch({ tab: t === 'graph' ? undefined : t })} tabs={[{ id: 'graph', label: 'Graph' }, { id: 'table', label: 'Table' }]} />
      <section className="panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} aria-live="polite">
        {!q ? (
          <Empty title="Type a PromQL query and run it">
            Try <code>probe_success</code>, <code>probe_duration_seconds</code> or <code>vigil_log_lines_total</code>.
          </Empty>
        ) : result.loading && !result.data ? (
          <Loading what="Running the query" />
        ) : result.error ? (
          <Failure error={result.error} what="The query failed" />
        ) : result.data ? (
          <>
            <Warnings r={result.data} />
            {tab === 'graph' ? (
              toSeries(result.data.data).length ? (
                <>
                  <p className="muted small">
                    {toSeries(result.data.data).length} series, {range} ending {end ? formatLocal(Number(end) * 1000) : 'now'}
                  </p>
                  <TimeChart series={toSeries(result.data.data)} label={`Graph of ${q}`} height={320} {...(query.data ? { range: query.data.window } : {})} />
                </>
              ) : result.data.data.resultType === 'scalar' ? (
                <p>
                  scalar: <strong>{formatValue(Number(result.data.data.result[1]))}</strong>
                </p>
              ) : (
                <Empty title="No data in this range" />
              )
            ) : (
              <Table data={result.data.data} />
            )}
          </>
        ) : null}
      </section>
    </div>
  );
}

import { useEffect, useState } from 'react';
import { useQuery } from '../lib/use-query';
import { api } from '../lib/api';
import type { TraceResponse } from '../lib/types';
import { Empty, Failure, Loading } from '../components/states';
import { LogLines } from './log-lines';

/** Every line of one request or trace id across services, in time order. */
export function Trace({ id, seconds, onId }: { id: string; seconds: number; onId: (id: string) => void }) {
  const [text, setText] = useState(id);
  useEffect(() => setText(id), [id]);
  const result = useQuery(id ? `${id}|${seconds}` : undefined, (signal) => {
    const end = Date.now() / 1000;
    return api.get<TraceResponse>(`/api/v1/logs/trace/${encodeURIComponent(id)}?start=${end - seconds}&end=${end}`, { signal });
  });
  return (
    <>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          onId(text.trim());
        }}
      >
        <div className="field">
          <label htmlFor="trace-id">Request or trace id</label>
          <input id="trace-id" value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. req-42 or a trace id" size={36} />
        </div>
        <button type="submit" className="btn btn-primary" disabled={!text.trim()}>
          Find lines
        </button>
      </form>
      {!id ? (
        <Empty title="Enter a request or trace id">Lines carrying it in a trace_id, request_id or similar field, from every service, in time order.</Empty>
      ) : result.loading ? (
        <Loading what="Finding lines" />
      ) : result.error ? (
        <Failure error={result.error} />
      ) : result.data && result.data.lines.length ? (
        <>
          <p className="muted small">
            {result.data.lines.length} lines across {new Set(result.data.lines.map((l) => l.labels['service'] ?? '?')).size} service(s)
          </p>
          <LogLines lines={result.data.lines.map((l) => ({ ns: l.ts, labels: l.labels, line: l.line }))} showService />
        </>
      ) : (
        <Empty title={`No line carries "${id}" in this range`}>Try a longer range.</Empty>
      )}
    </>
  );
}

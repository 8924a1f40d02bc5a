import { checkEntries, checkQueryLength, DEFAULT_LOG_QUERY_LIMITS, QueryGuard, type LogQueryLimits } from './logql/limits.js';
import type { LogStore } from './store/log-store.js';
import type { LogEntry } from './types.js';

export interface TraceOptions {
  /** Most lines returned (default 5000); more than limits.maxEntries is refused. */
  readonly limit?: number;
  readonly limits?: Partial<LogQueryLimits>;
  readonly signal?: AbortSignal;
}

/**
 * Every line, across all streams, whose request_id or trace_id field equals `id` or whose
 * text contains it, oldest first, within start ≤ t < end (ms). Stops at `limit`. The span and
 * the limit are checked against the log query limits first; the scan checks the timeout.
 */
export async function traceLines(store: LogStore, id: string, startMs: number, endMs: number, opts: TraceOptions = {}): Promise<LogEntry[]> {
  if (id === '') throw new RangeError('trace id must not be empty');
  const guard = new QueryGuard({ ...DEFAULT_LOG_QUERY_LIMITS, ...opts.limits }, opts.signal);
  const limit = opts.limit ?? 5000;
  checkEntries(guard.limits, limit);
  checkQueryLength(guard.limits, startMs, endMs, 0);
  const out: LogEntry[] = [];
  let seen = 0;
  const carries = (e: LogEntry): boolean => e.fields?.request_id === id || e.fields?.trace_id === id || e.line.includes(id);
  // The filter runs inside the store's scan: the timeout is checked there too, not only per match.
  const keep = (e: LogEntry): boolean => {
    if ((++seen & 1023) === 0) guard.check();
    return carries(e);
  };
  for await (const e of store.select([], startMs, endMs, 'forward', Infinity, keep)) {
    out.push(e);
    if (out.length >= limit) break;
    await guard.pace();
  }
  guard.check();
  return out;
}

import type { LogStore } from './store/log-store.js';
import type { LogEntry } from './types.js';

/**
 * Every line, across all streams, whose request_id or trace_id field equals `id` or whose
 * text contains it, oldest first, within start ≤ t < end (ms). Stops at `limit`.
 */
export async function traceLines(store: LogStore, id: string, startMs: number, endMs: number, limit = 5000): Promise<LogEntry[]> {
  if (id === '') throw new RangeError('trace id must not be empty');
  const out: LogEntry[] = [];
  const carries = (e: LogEntry): boolean => e.fields?.request_id === id || e.fields?.trace_id === id || e.line.includes(id);
  for await (const e of store.select([], startMs, endMs, 'forward', limit, carries)) out.push(e);
  return out;
}

import { api } from './api';
import type { LokiQueryData, PromQueryData, PromResponse } from './types';
import type { ChartSeries } from '../charts/time-chart';
export { autoStep, parsePromDuration, promDuration } from './durations';

export const RANGES: Record<string, number> = { '5m': 300, '15m': 900, '1h': 3600, '3h': 10800, '6h': 21600, '12h': 43200, '24h': 86400, '2d': 172800, '7d': 604800, '30d': 2592000 };

export function seriesLabel(metric: Record<string, string>): string {
  const { __name__: name, ...rest } = metric;
  const inner = Object.entries(rest)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');
  return `${name ?? ''}{${inner}}`;
}

export async function promRange(query: string, start: number, end: number, step: number, signal?: AbortSignal): Promise<PromResponse<PromQueryData>> {
  return api.post<PromResponse<PromQueryData>>('/api/v1/query_range', undefined, { form: { query, start: String(start), end: String(end), step: String(step) }, ...(signal ? { signal } : {}) });
}

export async function promInstant(query: string, time: number, signal?: AbortSignal): Promise<PromResponse<PromQueryData>> {
  return api.post<PromResponse<PromQueryData>>('/api/v1/query', undefined, { form: { query, time: String(time) }, ...(signal ? { signal } : {}) });
}

export async function lokiRange(
  query: string,
  opts: { start: number; end: number; step?: number; limit?: number; direction?: 'forward' | 'backward' },
  signal?: AbortSignal,
): Promise<PromResponse<LokiQueryData>> {
  const qs = new URLSearchParams({ query, start: String(opts.start), end: String(opts.end), limit: String(opts.limit ?? 100), direction: opts.direction ?? 'backward' });
  if (opts.step) qs.set('step', String(opts.step));
  return api.get<PromResponse<LokiQueryData>>(`/loki/api/v1/query_range?${qs}`, signal ? { signal } : {});
}

/** A matrix result as chart series. */
export function toSeries(data: PromQueryData): ChartSeries[] {
  if (data.resultType !== 'matrix') return [];
  return data.result.map((s) => ({ label: seriesLabel(s.metric), points: s.values.map(([t, v]) => [t, Number(v)] as const) }));
}

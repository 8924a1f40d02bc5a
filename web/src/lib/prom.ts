import { api } from './api';
import type { LokiQueryData, PromQueryData, PromResponse } from './types';
import type { ChartSeries } from '../charts/time-chart';

export const RANGES: Record<string, number> = { '5m': 300, '15m': 900, '1h': 3600, '3h': 10800, '6h': 21600, '12h': 43200, '24h': 86400, '2d': 172800, '7d': 604800, '30d': 2592000 };

/** Seconds to a Prometheus duration (`90` → `1m30s`). */
export function promDuration(seconds: number): string {
  let s = Math.max(1, Math.round(seconds));
  let out = '';
  for (const [unit, n] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (s >= n) {
      out += `${Math.floor(s / n)}${unit}`;
      s %= n;
    }
  }
  return out;
}

/** `5m`, `1h30m`, `30` (seconds) → seconds, or undefined. */
export function parsePromDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const re = /(\d+)(ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let seen = 0;
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  while ((m = re.exec(t)) !== null) {
    total += Number(m[1]) * (unit[m[2] as string] ?? 0);
    seen = re.lastIndex;
  }
  return seen === t.length && total > 0 ? total : undefined;
}

/** A step that gives about `points` points over the range, rounded to a friendly value. */
export function autoStep(rangeSeconds: number, points = 250): number {
  const raw = rangeSeconds / points;
  const nice = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];
  return nice.find((n) => n >= raw) ?? 86400;
}

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

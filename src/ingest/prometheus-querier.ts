import { formatMatcher, type Matcher } from '../model/matcher.js';
import type { Labels } from '../model/labels.js';
import type { LabelHints, Querier, Queryable, SelectHints, StorageSeries } from '../storage/querier.js';

/**
 * A Queryable over a remote Prometheus-compatible HTTP API (Prometheus, VictoriaMetrics,
 * Mimir, Thanos). select() sends the instant query `{matchers}[range]` at the hint's end: a
 * range-vector instant query returns raw samples. Limitations: staleness markers are not
 * returned by the API (the engine sees gaps instead), the remote's own query limits apply
 * (max samples, timeouts), and native histograms are only counted (histogramCount).
 */
export interface PrometheusQueryableOptions {
  /** Base URL, e.g. http://prometheus:9090 (the /api/v1/... paths are appended). */
  readonly url: string;
  readonly fetch?: typeof globalThis.fetch;
  /** Extra request headers (Authorization, X-Scope-OrgID…). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per-request timeout in ms (wall clock; default 2 minutes). */
  readonly timeout?: number;
}

export class RemoteQueryError extends Error {
  override name = 'RemoteQueryError';
}

interface ApiResponse<T> {
  status: 'success' | 'error';
  data?: T;
  errorType?: string;
  error?: string;
}

interface MatrixSeries {
  metric: Record<string, string>;
  values?: Array<[number, string]>;
  histograms?: unknown[];
}

/** A Prometheus API sample value: a decimal string or NaN / +Inf / -Inf. */
export function parseApiValue(s: string): number {
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

function selector(matchers: readonly Matcher[]): string {
  return `{${matchers.map(formatMatcher).join(', ')}}`;
}

export class PrometheusQueryable implements Queryable {
  private readonly base: string;
  constructor(private readonly opts: PrometheusQueryableOptions) {
    this.base = opts.url.replace(/\/+$/, '');
  }

  async querier(mint: number, maxt: number): Promise<Querier> {
    const api = <T>(path: string, params: URLSearchParams, method: 'GET' | 'POST') => this.call<T>(path, params, method);
    return {
      async select(matchers: readonly Matcher[], hints: SelectHints): Promise<readonly StorageSeries[]> {
        const start = hints.start;
        const end = hints.end;
        // +1ms: PromQL ranges are left-open in Prometheus 3, and the start is inclusive here.
        const range = Math.max(1, end - start + 1);
        const params = new URLSearchParams({ query: `${selector(matchers)}[${range}ms]`, time: (end / 1000).toFixed(3) });
        const data = await api<{ resultType: string; result: MatrixSeries[] }>('/api/v1/query', params, 'POST');
        if (data.resultType !== 'matrix') throw new RemoteQueryError(`expected a matrix result, got ${data.resultType}`);
        const out: StorageSeries[] = [];
        for (const s of data.result) {
          const timestamps: number[] = [];
          const values: number[] = [];
          for (const [t, v] of s.values ?? []) {
            const ms = Math.round(t * 1000);
            if (ms < start || ms > end) continue;
            timestamps.push(ms);
            values.push(parseApiValue(v));
          }
          const histogramCount = s.histograms?.length ?? 0;
          const labels: Labels = s.metric;
          out.push(histogramCount > 0 ? { labels, timestamps, values, histogramCount } : { labels, timestamps, values });
        }
        return out.sort((a, b) => (JSON.stringify(Object.entries(a.labels).sort()) < JSON.stringify(Object.entries(b.labels).sort()) ? -1 : 1));
      },
      async labelNames(matchers: readonly Matcher[], hints?: LabelHints): Promise<string[]> {
        const params = labelParams(matchers, mint, maxt, hints);
        return (await api<string[]>('/api/v1/labels', params, 'POST')).sort();
      },
      async labelValues(name: string, matchers: readonly Matcher[], hints?: LabelHints): Promise<string[]> {
        const params = labelParams(matchers, mint, maxt, hints);
        return (await api<string[]>(`/api/v1/label/${encodeURIComponent(name)}/values`, params, 'GET')).sort();
      },
      close() {},
    };
  }

  private async call<T>(path: string, params: URLSearchParams, method: 'GET' | 'POST'): Promise<T> {
    const fetchFn = this.opts.fetch ?? globalThis.fetch;
    const url = method === 'GET' ? `${this.base}${path}?${params}` : `${this.base}${path}`;
    const headers: Record<string, string> = { Accept: 'application/json', ...this.opts.headers };
    if (method === 'POST') headers['Content-Type'] = 'application/x-www-form-urlencoded';
    let res: Response;
    try {
      res = await fetchFn(url, {
        method,
        headers,
        ...(method === 'POST' ? { body: params.toString() } : {}),
        signal: AbortSignal.timeout(this.opts.timeout ?? 120_000),
      });
    } catch (e) {
      throw new RemoteQueryError(`remote Prometheus ${this.base}${path}: ${(e as Error).message}`);
    }
    const text = await res.text();
    let body: ApiResponse<T>;
    try {
      body = JSON.parse(text) as ApiResponse<T>;
    } catch {
      throw new RemoteQueryError(`remote Prometheus ${path} answered HTTP ${res.status} with a non-JSON body: ${text.slice(0, 200)}`);
    }
    if (body.status !== 'success' || body.data === undefined) {
      throw new RemoteQueryError(`remote Prometheus ${path} failed (HTTP ${res.status}): ${body.errorType ?? 'error'}: ${body.error ?? 'no message'}`);
    }
    return body.data;
  }
}

function labelParams(matchers: readonly Matcher[], mint: number, maxt: number, hints?: LabelHints): URLSearchParams {
  const p = new URLSearchParams();
  if (matchers.length > 0) p.append('match[]', selector(matchers));
  p.set('start', ((hints?.start ?? mint) / 1000).toFixed(3));
  p.set('end', ((hints?.end ?? maxt) / 1000).toFixed(3));
  if (hints?.limit !== undefined) p.set('limit', String(hints.limit));
  return p;
}

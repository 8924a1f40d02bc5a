import type { CapacityResource, PerformanceQueries } from './config.js';
import type { QueryFn } from './sources.js';

/** `{{service}}` and `{{range}}` filled in; the service name is escaped for a PromQL string. */
export function fillQuery(template: string, service: string, rangeSeconds: number): string {
  return template.replace(/\{\{\s*service\s*\}\}/g, escapeForString(service)).replace(/\{\{\s*range\s*\}\}/g, `${Math.max(1, Math.round(rangeSeconds))}s`);
}

/** A value as the inside of a double-quoted PromQL string. */
function escapeForString(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** The first sample's value, or null when the query returns nothing or fails (the report says which). */
async function single(query: QueryFn, expr: string, at: number, errors: string[]): Promise<number | null> {
  try {
    const r = await query(expr, at);
    const v = r[0]?.value;
    return v === undefined || Number.isNaN(v) ? null : v;
  } catch (e) {
    errors.push(`${expr}: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
}

export interface PerformanceFigures {
  readonly service: string;
  readonly avgResponseTime: number | null;
  readonly p95ResponseTime: number | null;
  readonly errorRate: number | null;
  readonly throughput: number | null;
  readonly throughputBaseline: number | null;
}

/** The queries that apply to a service: the last entry naming it, else the last without a list. */
export function queriesFor(service: string, entries: readonly PerformanceQueries[]): PerformanceQueries | undefined {
  return [...entries].reverse().find((e) => e.services?.includes(service)) ?? [...entries].reverse().find((e) => !e.services);
}

export async function performance(query: QueryFn, services: readonly string[], entries: readonly PerformanceQueries[], from: number, to: number, errors: string[]): Promise<PerformanceFigures[]> {
  const range = (to - from) / 1000;
  const out: PerformanceFigures[] = [];
  for (const service of services) {
    const q = queriesFor(service, entries);
    if (!q) continue;
    const run = (t: string | undefined, at = to) => (t ? single(query, fillQuery(t, service, range), at, errors) : Promise.resolve(null));
    const [avg, p95, err, tput, base] = await Promise.all([run(q.avg_response_time), run(q.p95_response_time), run(q.error_rate), run(q.throughput), run(q.throughput, to - q.baseline)]);
    out.push({ service, avgResponseTime: avg, p95ResponseTime: p95, errorRate: err, throughput: tput, throughputBaseline: base });
  }
  return out;
}

export interface CapacityRow {
  readonly name: string;
  readonly service: string | undefined;
  readonly series: string;
  readonly unit: string;
  readonly current: number;
  readonly predicted: number | null;
  readonly horizonMs: number;
  /** ms from `at` until the linear trend reaches the limit; null when it does not within ten horizons or heads away. */
  readonly reachesLimitInMs: number | null;
  readonly limit: number | undefined;
}

const seriesKey = (l: Readonly<Record<string, string>>): string =>
  Object.entries(l)
    .filter(([k]) => k !== '__name__')
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ');

/**
 * Each resource's series now and as predict_linear extrapolates it over the horizon, from a
 * subquery over the lookback (so any expression works, not only a selector).
 */
export async function capacity(query: QueryFn, resources: readonly CapacityResource[], at: number, errors: string[]): Promise<CapacityRow[]> {
  const rows: CapacityRow[] = [];
  for (const r of resources) {
    const step = Math.max(60, Math.round(r.lookback / 1000 / 240));
    const predictExpr = `predict_linear((${r.query})[${Math.round(r.lookback / 1000)}s:${step}s], ${Math.round(r.horizon / 1000)})`;
    let now: Awaited<ReturnType<QueryFn>>;
    let pred: Awaited<ReturnType<QueryFn>>;
    try {
      [now, pred] = await Promise.all([query(r.query, at), query(predictExpr, at)]);
    } catch (e) {
      errors.push(`capacity "${r.name}": ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const predicted = new Map(pred.map((s) => [seriesKey(s.labels), s.value]));
    for (const s of now) {
      const key = seriesKey(s.labels);
      const future = predicted.get(key) ?? null;
      let reaches: number | null = null;
      if (r.limit !== undefined && future !== null && future !== s.value) {
        const slope = (future - s.value) / r.horizon;
        const t = (r.limit - s.value) / slope;
        if (t >= 0 && t <= 10 * r.horizon) reaches = t;
      }
      rows.push({ name: r.name, service: r.service, series: key, unit: r.unit, current: s.value, predicted: future, horizonMs: r.horizon, reachesLimitInMs: reaches, limit: r.limit });
    }
  }
  return rows;
}

export interface CertificateRow {
  readonly check: string;
  readonly service: string;
  readonly expiresAt: number;
}

/** Certificates (tls and https checks' probe_ssl_earliest_cert_expiry) expiring before `at + within`. */
export async function certificates(query: QueryFn, at: number, within: number, errors: string[]): Promise<CertificateRow[]> {
  try {
    const r = await query(`max by (check, service) (probe_ssl_earliest_cert_expiry) < ${Math.floor((at + within) / 1000)}`, at);
    return r.map((s) => ({ check: s.labels['check'] ?? '', service: s.labels['service'] ?? '', expiresAt: s.value * 1000 })).sort((a, b) => a.expiresAt - b.expiresAt);
  } catch (e) {
    errors.push(`certificates: ${e instanceof Error ? e.message : String(e)}`);
    return [];
  }
}

/**
 * When a service's first probe inside the period was, to the second. uptime()'s per-minute
 * search returns the latest sample at the first minute that saw any, up to a minute after the
 * first one (at 5 s probes, a new service's downtime came out nearly a minute short): the first
 * sample is in the minute before that, searched here at 1 s.
 */
async function firstSample(query: QueryFn, service: string, coarse: number, from: number): Promise<number> {
  if (coarse <= from) return coarse;
  const r = await query(`min(min_over_time(timestamp(probe_success{service="${escapeForString(service)}"})[61s:1s]))`, coarse);
  const v = r[0]?.value;
  return v === undefined || Number.isNaN(v) ? coarse : Math.min(coarse, v * 1000);
}

export interface Uptime {
  /** Fraction of successful probes. */
  readonly uptime: number;
  /** How much of the period the checks covered (from the first probe seen in it), ms. */
  readonly coveredMs: number;
}

/** Uptime per service over [from, to) from the checks' probe_success samples. */
export async function uptime(query: QueryFn, from: number, to: number, now: number, errors: string[]): Promise<Map<string, Uptime>> {
  // Ranges are left-open: evaluated at the period's end (or now) they cover (from, end].
  const at = Math.min(to - 1, now);
  const range = `${Math.max(1, Math.round((at - from) / 1000))}s`;
  try {
    const [up, first] = await Promise.all([
      query(`avg by (service) (avg_over_time(probe_success[${range}]))`, at),
      query(`min by (service) (min_over_time(timestamp(probe_success)[${range}:1m]))`, at),
    ]);
    const firstSeen = new Map(await Promise.all(first.map(async (s) => {
      const service = s.labels['service'] ?? '';
      return [service, await firstSample(query, service, s.value * 1000, from)] as const;
    })));
    return new Map(up.map((s) => {
      const service = s.labels['service'] ?? '';
      return [service, { uptime: s.value, coveredMs: at - Math.max(from, firstSeen.get(service) ?? from) }];
    }));
  } catch (e) {
    errors.push(`uptime: ${e instanceof Error ? e.message : String(e)}`);
    return new Map();
  }
}

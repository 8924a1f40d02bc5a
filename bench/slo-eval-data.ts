// Data and SLOs for the SLO benchmark (bench/slo-eval.ts): 100 services, each exposing what an
// HTTP service instrumented the usual way exposes (requests by code, a latency histogram of 6
// buckets) on two instances — 20 series a service, 2,000 in all — and two SLOs a service, 200
// in all, in the forms users write: an availability SLO on `events` (error/total, or good/total) over a rolling
// 30d window or a calendar month, and a latency SLO on the histogram (threshold 250ms or 500ms,
// rolling 30d or 7d). Some services have an error burst or slow period near the end of the data,
// so some burn-rate alerts fire as they would in production. Deterministic.

export const STEP_MS = 15_000;
export const SERVICES = Array.from({ length: 100 }, (_, i) => `svc-${String(i).padStart(3, '0')}`);
const INSTANCES = ['a', 'b'] as const;
const BUCKETS = ['0.05', '0.1', '0.25', '0.5', '1', '+Inf'] as const;

export interface SloBenchSeries {
  readonly labels: Record<string, string>;
  /** One value per sample index (index 0 at the first sample). */
  readonly values: Float64Array;
}

function rnd(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/**
 * The 2,000 series over `points` samples at STEP_MS; `nowIndex` is the sample index of the
 * benchmark's start (bursts are placed relative to it).
 */
export function sloBenchSeries(points: number, nowIndex: number): SloBenchSeries[] {
  const out: SloBenchSeries[] = [];
  const step = STEP_MS / 1000;
  SERVICES.forEach((job, j) => {
    // Error share by time: a baseline, and for some services a burst that pages (last 40 min) or a
    // slow burn that tickets (the last 4 h).
    const errorShare = (i: number) => {
      const ago = ((nowIndex - i) * STEP_MS) / 60_000; // minutes before the start (negative after)
      if (j % 10 === 0 && ago < 40) return 0.05;
      if (j % 10 === 1 && ago < 240) return 0.006;
      return 0.0004 + (j % 7) * 0.0001;
    };
    // Share of requests slower than each bucket boundary: some services slow for the last 2 h.
    const slow = (i: number) => (j % 8 === 3 && ((nowIndex - i) * STEP_MS) / 60_000 < 120 ? 3 : 1);
    for (const instance of INSTANCES) {
      const r = rnd(j * 2 + (instance === 'a' ? 1 : 2));
      const ok = new Float64Array(points);
      const bad = new Float64Array(points);
      const count = new Float64Array(points);
      const buckets = BUCKETS.map(() => new Float64Array(points));
      let okSum = 0;
      let badSum = 0;
      let countSum = 0;
      const bucketSums = BUCKETS.map(() => 0);
      const rps = 5 + (j % 13) * 3;
      for (let i = 0; i < points; i++) {
        const n = Math.round(rps * step * (0.8 + 0.4 * r()) * (1 + 0.3 * Math.sin(i / 240 + j)));
        const e = Math.round(n * errorShare(i) + (r() < 0.5 ? 0 : r() < 0.5 ? 1 : 0));
        okSum += n - Math.min(n, e);
        badSum += Math.min(n, e);
        ok[i] = okSum;
        bad[i] = badSum;
        countSum += n;
        count[i] = countSum;
        // Cumulative share of requests at or under each boundary.
        const f = slow(i);
        const shares = [0.4, 0.7, 0.93, 0.985, 0.997].map((s) => 1 - Math.min(1, (1 - s) * f));
        BUCKETS.forEach((_, b) => {
          bucketSums[b]! += b === BUCKETS.length - 1 ? n : Math.round(n * shares[b]!);
          buckets[b]![i] = bucketSums[b]!;
        });
      }
      out.push({ labels: { __name__: 'http_requests_total', job, instance, code: '200' }, values: ok });
      out.push({ labels: { __name__: 'http_requests_total', job, instance, code: '500' }, values: bad });
      BUCKETS.forEach((le, b) => out.push({ labels: { __name__: 'http_request_duration_seconds_bucket', job, instance, le }, values: buckets[b]! }));
      out.push({ labels: { __name__: 'http_request_duration_seconds_count', job, instance }, values: count });
      // The histogram's _sum, which every client library exposes beside _count.
      const sum = new Float64Array(points);
      for (let i = 0; i < points; i++) sum[i] = Math.round(count[i]! * 0.08 * 1000) / 1000;
      out.push({ labels: { __name__: 'http_request_duration_seconds_sum', job, instance }, values: sum });
    }
  });
  return out;
}

/** `slos:` of vigil.yml: two SLOs per service, 200 in all. */
export function sloBenchConfig(): string {
  const lines: string[] = ['slos:'];
  SERVICES.forEach((job, j) => {
    const sel = `job="${job}"`;
    const window = j % 4 === 3 ? '    calendar: month' : '    window: 30d';
    const events =
      j % 3 === 2
        ? `      events:\n        good_query: 'sum(rate(http_requests_total{${sel},code!~"5.."}[{{.window}}]))'\n        total_query: 'sum(rate(http_requests_total{${sel}}[{{.window}}]))'`
        : `      events:\n        error_query: 'sum(rate(http_requests_total{${sel},code=~"5.."}[{{.window}}]))'\n        total_query: 'sum(rate(http_requests_total{${sel}}[{{.window}}]))'`;
    lines.push(`  - name: ${job}-availability`, `    service: ${job}`, `    objective: ${j % 5 === 4 ? 99.5 : 99.9}`, window, '    sli:', events);
    lines.push(
      `  - name: ${job}-latency`,
      `    service: ${job}`,
      `    objective: ${j % 2 ? 98 : 90}`,
      `    window: ${j % 5 === 2 ? '7d' : '30d'}`,
      '    sli:',
      `      latency: {metric: http_request_duration_seconds, selector: '{${sel}}', threshold: ${j % 2 ? '500ms' : '250ms'}}`,
    );
  });
  return lines.join('\n') + '\n';
}

/** `services:` of vigil.yml. */
export function sloBenchServices(): string {
  return `services:\n${SERVICES.map((s, j) => `  - {name: ${s}, owner: team-${j % 10}}`).join('\n')}\n`;
}

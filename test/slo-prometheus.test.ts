// Vigil's SLO numbers against the real Prometheus 2.42 (Debian's) on the same remote-written
// data: three days of requests (with error bursts and a counter reset), a latency histogram and
// a check's probe_success, written to both servers once; one Prometheus for every case. Vigil
// runs in-process on an injected clock set to the end of the data; Prometheus is asked at that
// time.
//  - `sli` and `burn_rates` of /api/v1/slos/{name} are what Prometheus computes for the PromQL
//    the API shows (`promql.error_ratio`, `promql.burn_rates`), for each SLI form and window
//    kind (rolling 6h to 3d, a calendar month); the budget follows the definitions.
//  - `exclude_maintenance`: the SLI is the events outside the window, counted by Prometheus's
//    increase() over the pieces of the window before and after it.
//  - history points are Prometheus's query_range of the same expression.
//  - the generated rule groups pass `promtool check rules`, and every recording rule over raw
//    data gives the same series and values in both.
// Samples sit at second 7 of each minute and every window is whole minutes, so no sample is on a
// range boundary (where 2.42's closed ranges and 3.x's left-open ones differ). Skips when
// Prometheus is not installed; fails instead under CI=true.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { VigilApp, createLogger } from '../src/app/index.js';
import { loadConfigFile } from '../src/config/index.js';
import { encodeWriteRequest, type TimeSeries } from '../src/ingest/remote-write.js';
import { FakeClock } from '../src/model/clock.js';
import { compareResults, findPrometheus, prometheusSkipReason, promApi, remoteWrite, startPrometheus, valuesClose, type PrometheusServer, type QueryData } from './helpers/prometheus.js';

const skip = prometheusSkipReason();

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 3, 12, 0, 0); // 2.5 days into November
const START = T0 - 3 * DAY - 30 * MIN;
const iso = (t: number) => new Date(t).toISOString();
const inside = (t: number, from: number, to: number) => t >= T0 - from && t < T0 - to;

/** Per-minute series from START to T0 at second 7 of each minute. */
function generate(): TimeSeries[] {
  const out: TimeSeries[] = [];
  const add = (labels: Record<string, string>, value: (t: number, k: number) => number) => {
    const samples = [];
    for (let k = 0, t = START + 7000; t <= T0; k++, t += MIN) samples.push({ timestamp: t, value: value(t, k) });
    out.push({ labels: Object.keys(labels).sort().map((name) => ({ name, value: labels[name] as string })), samples });
  };
  /** A counter from per-minute increments; `reset` (a time) starts it again from 0. */
  const counter = (inc: (t: number, k: number) => number, reset?: number) => {
    let v = 0;
    return (t: number, k: number) => {
      if (reset !== undefined && t >= reset && t - MIN < reset) v = 0;
      v += inc(t, k);
      return v;
    };
  };
  const traffic = (t: number, instance: string) => Math.round(60 * (10 + 3 * Math.sin((2 * Math.PI * (t - START)) / DAY) + (instance === 'b' ? 2 : 0)));
  const errorShare = (t: number, instance: string) =>
    inside(t, 40 * MIN, 25 * MIN) && instance === 'a' ? 0.2 : inside(t, DAY + 3 * HOUR, DAY + 2 * HOUR) ? 0.05 : inside(t, 50 * HOUR, 49 * HOUR) ? 0.1 : 0.002;
  for (const instance of ['a', 'b']) {
    const bad = (t: number) => Math.round(traffic(t, instance) * errorShare(t, instance));
    add({ __name__: 'http_requests_total', job: 'shop-api', instance, code: '200' }, counter((t) => traffic(t, instance) - bad(t), instance === 'b' ? T0 - 30 * HOUR : undefined));
    add({ __name__: 'http_requests_total', job: 'shop-api', instance, code: '500' }, counter(bad));
  }
  const requests = 600;
  const fast = (t: number) => (inside(t, 3 * HOUR, 2.5 * HOUR) ? 0.7 : 0.97);
  const buckets: Array<[string, (t: number) => number]> = [
    ['0.1', () => 0.5],
    ['0.25', () => 0.8],
    ['0.5', fast],
    ['1', (t) => fast(t) + (1 - fast(t)) / 2],
    ['+Inf', () => 1],
  ];
  for (const [le, share] of buckets) add({ __name__: 'http_request_duration_seconds_bucket', job: 'shop-api', le }, counter((t) => Math.round(requests * share(t))));
  add({ __name__: 'http_request_duration_seconds_count', job: 'shop-api' }, counter(() => requests));
  add({ __name__: 'probe_success', check: 'shop-api-health', job: 'vigil-checks' }, (t, k) => (inside(t, 5 * HOUR, 4 * HOUR + 40 * MIN) || k % 97 === 0 ? 0 : 1));
  return out;
}

const ERRORS = 'sum(rate(http_requests_total{job="shop-api",code=~"5.."}[{{.window}}]))';
const TOTAL = 'sum(rate(http_requests_total{job="shop-api"}[{{.window}}]))';
const CONFIG = `
services: [{name: shop-api}]
checks: [{name: shop-api-health, type: tcp, target: '127.0.0.1:9', interval: 24h}] # never runs: the clock stays at T0; its samples are written below
metrics: {creation_grace_period: 1h}
maintenance:
  - services: [shop-api]
    start: ${iso(T0 - 40 * MIN)}
    end: ${iso(T0 - 20 * MIN)}
    reason: database failover drill
slos:
  - name: avail-1d
    service: shop-api
    objective: 99.9
    window: 1d
    sli: {events: {error_query: '${ERRORS}', total_query: '${TOTAL}'}}
  - name: avail-good-3d
    service: shop-api
    objective: 99
    window: 3d
    sli: {events: {good_query: 'sum(rate(http_requests_total{job="shop-api",code!~"5.."}[{{.window}}]))', total_query: '${TOTAL}'}}
  - name: latency-6h
    service: shop-api
    objective: 95
    window: 6h
    sli: {latency: {metric: http_request_duration_seconds, selector: '{job="shop-api"}', threshold: 500ms}}
  - name: probe-12h
    service: shop-api
    objective: 99.5
    window: 12h
    sli: {check: shop-api-health}
  - name: avail-month
    service: shop-api
    objective: 99.5
    calendar: month
    sli: {events: {error_query: '${ERRORS}', total_query: '${TOTAL}'}}
  - name: avail-1d-maintenance
    service: shop-api
    objective: 99.9
    window: 1d
    exclude_maintenance: true
    sli: {events: {error_query: '${ERRORS}', total_query: '${TOTAL}'}}
`;

interface SloJson {
  name: string;
  objective: number;
  sli: number | null;
  error_budget: { total: number; consumed: number | null; remaining: number | null; remaining_minutes: number | null };
  burn_rates: Record<string, number | null>;
  status: string;
  problems: string[];
  promql: { error_ratio: string | null; burn_rates: Record<string, string> };
}

describe('SLOs: Vigil and Prometheus 2.42 on the same data', { skip }, () => {
  let prom: PrometheusServer;
  let app: VigilApp;
  let dir = '';
  const slos = new Map<string, SloJson>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-slo-prom-'));
    const configPath = join(dir, 'vigil.yml');
    writeFileSync(configPath, CONFIG);
    const loaded = loadConfigFile(configPath);
    assert.ok(loaded.ok, JSON.stringify(loaded));
    const [p, a] = await Promise.all([
      startPrometheus({ retention: '30d' }),
      VigilApp.create({ config: loaded.config, configPath, dataDir: join(dir, 'vigil'), listen: '127.0.0.1:0', env: {}, clock: new FakeClock(T0), logger: createLogger('silent') }),
    ]);
    prom = p;
    app = a;
    await app.start();
    const body = encodeWriteRequest({ timeseries: generate() });
    await Promise.all([remoteWrite(app.address, body), remoteWrite(prom.url, body)]);
    const list = (await (await fetch(`${app.address}/api/v1/slos`)).json()) as { slos: SloJson[] };
    for (const s of list.slos) slos.set(s.name, s);
  });

  after(async () => {
    await app?.stop();
    await prom?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The one value Prometheus gives for `expr` at `t`. */
  const promValue = async (expr: string, t = T0): Promise<number> => {
    const d = await promApi<{ result: Array<{ value: [number, string] }> }>(prom.url, '/api/v1/query', { query: expr, time: String(t / 1000) });
    assert.equal(d.result.length, 1, `Prometheus: one sample for ${expr}`);
    return Number(d.result[0]?.value[1]);
  };
  const close = (vigil: number | null | undefined, prometheus: number, what: string) =>
    assert.ok(vigil !== null && vigil !== undefined && valuesClose(String(vigil), String(prometheus), 1e-9), `${what}: Vigil ${vigil}, Prometheus ${prometheus}`);

  /** The budget from the error ratio as the issue defines it (elapsed: the share of a calendar period gone by). */
  const checkBudget = (s: SloJson, ratio: number, periodMs: number, elapsed = 1) => {
    const total = 1 - s.objective / 100;
    close(s.error_budget.total, total, `${s.name} error_budget.total`);
    const consumed = (ratio * elapsed) / total;
    close(s.error_budget.consumed, consumed, `${s.name} consumed`);
    close(s.error_budget.remaining, 1 - consumed, `${s.name} remaining`);
    close(s.error_budget.remaining_minutes, ((1 - consumed) * total * periodMs) / MIN, `${s.name} remaining_minutes`);
    assert.equal(s.status === 'breached', 1 - consumed < 0, `${s.name}: status ${s.status} with ${1 - consumed} of the budget left`);
  };

  const cases: Array<[string, number, number?]> = [
    ['avail-1d', DAY],
    ['avail-good-3d', 3 * DAY],
    ['latency-6h', 6 * HOUR],
    ['probe-12h', 12 * HOUR],
    ['avail-month', 30 * DAY, 2.5 / 30],
  ];
  for (const [name, periodMs, elapsed] of cases) {
    test(`${name}: the SLI, burn rates and budget are Prometheus's numbers for the same PromQL`, async () => {
      const s = slos.get(name);
      assert.ok(s, `${name} in /api/v1/slos`);
      assert.deepEqual(s.problems, []);
      assert.ok(s.promql.error_ratio, 'the whole-window expression');
      const ratio = await promValue(s.promql.error_ratio);
      assert.ok(ratio > 0 && ratio < 0.5, `${name}: an error ratio that tells something (${ratio})`);
      close(s.sli, 1 - ratio, `${name} sli`);
      checkBudget(s, ratio, periodMs, elapsed);
      assert.deepEqual(Object.keys(s.burn_rates), ['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
      let nonZero = 0;
      for (const [w, expr] of Object.entries(s.promql.burn_rates)) {
        const r = await promValue(expr);
        close(s.burn_rates[w], r / s.error_budget.total, `${name} burn_rates[${w}]`);
        if (r > 0) nonZero++;
      }
      assert.ok(nonZero >= 4, `${name}: burn rates that tell something`);
    });
  }

  test('avail-month is measured from the start of the month', async () => {
    assert.match(slos.get('avail-month')?.promql.error_ratio ?? '', /\[60h\]/);
  });

  test('exclude_maintenance: the SLI is the events outside the maintenance window, as Prometheus counts them', async () => {
    const s = slos.get('avail-1d-maintenance');
    assert.ok(s);
    const all = slos.get('avail-1d');
    // Pieces (start, end] evaluated at their end: before the window (ending 1 ms before it) and after it.
    const pieces = [
      [T0 - DAY, T0 - 40 * MIN - 1],
      [T0 - 20 * MIN - 1, T0],
    ] as const;
    let bad = 0;
    let total = 0;
    for (const [from, to] of pieces) {
      bad += await promValue(`sum(increase(http_requests_total{job="shop-api",code=~"5.."}[${to - from}ms]))`, to);
      total += await promValue(`sum(increase(http_requests_total{job="shop-api"}[${to - from}ms]))`, to);
    }
    close(s.sli, 1 - bad / total, 'sli without maintenance');
    assert.ok((s.sli ?? 0) > (all?.sli ?? 1), 'the burst inside the window no longer counts');
    checkBudget(s, bad / total, DAY);
    close(s.burn_rates['1h'], all?.burn_rates['1h'] ?? NaN, 'burn rates are what the alerts see: not adjusted');
  });

  test('history: each point is the value Prometheus gives the window expression at that time', async () => {
    const s = slos.get('avail-1d');
    assert.ok(s?.promql.error_ratio);
    const from = T0 - 2 * HOUR;
    const h = (await (await fetch(`${app.address}/api/v1/slos/avail-1d/history?from=${iso(from)}&to=${iso(T0)}&step=30m`)).json()) as { points: Array<{ t: string; sli: number }> };
    const d = await promApi<{ result: Array<{ values: Array<[number, string]> }> }>(prom.url, '/api/v1/query_range', { query: s.promql.error_ratio, start: String(from / 1000), end: String(T0 / 1000), step: '1800' });
    const expected = d.result[0]?.values ?? [];
    assert.equal(h.points.length, 5);
    assert.equal(expected.length, 5);
    h.points.forEach((p, i) => {
      assert.equal(p.t, iso((expected[i]?.[0] ?? 0) * 1000));
      close(p.sli, 1 - Number(expected[i]?.[1]), `history at ${p.t}`);
    });
  });

  test('the generated rule groups pass promtool check rules; recording rules over raw data give the same series', async () => {
    const r = (await (await fetch(`${app.address}/api/v1/rules`)).json()) as {
      data: { groups: Array<{ name: string; rules: Array<{ type: string; name: string; query: string; labels?: Record<string, string>; annotations?: Record<string, string> }> }> };
    };
    const groups = r.data.groups;
    assert.equal(groups.length, 6 * 3);
    const file = join(dir, 'generated.yml');
    writeFileSync(
      file,
      stringify({
        groups: groups.map((g) => ({
          name: g.name,
          rules: g.rules.map((x) => ({ [x.type === 'alerting' ? 'alert' : 'record']: x.name, expr: x.query, ...(x.labels && Object.keys(x.labels).length ? { labels: x.labels } : {}), ...(x.annotations && Object.keys(x.annotations).length ? { annotations: x.annotations } : {}) })),
        })),
      }),
    );
    const promtool = join(dirname(findPrometheus() ?? '/usr/bin/prometheus'), 'promtool');
    const check = spawnSync(promtool, ['check', 'rules', file], { encoding: 'utf8' });
    assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
    let compared = 0;
    for (const rule of groups.flatMap((g) => g.rules)) {
      if (rule.type !== 'recording' || /slo:|sloth/.test(rule.query)) continue;
      const ask = (base: string) => promApi<QueryData>(base, '/api/v1/query', { query: rule.query, time: String(T0 / 1000) });
      const [v, p] = await Promise.all([ask(app.address), ask(prom.url)]);
      assert.deepEqual(compareResults(v, p), [], `${rule.name}: ${rule.query}`);
      compared++;
    }
    assert.ok(compared >= 6 * 7, `every SLI recording rule (7 windows a SLO): ${compared}`);
  });
});

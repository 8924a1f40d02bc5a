import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../model/clock.js';
import { Engine, formatExpr, parseExpr } from '../promql/index.js';
import { MemoryQueryable } from '../storage/memory.js';
import { compileSlos } from './compile.js';
import { slosConfigSchema, slosFromConfig } from './config.js';
import type { InstantQueryFn } from './evaluate.js';
import { SloService, type IncidentSpan } from './service.js';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const T = Date.UTC(2026, 11, 10); // 2026-12-10T00:00:00Z
const parse = (t: string) => formatExpr(parseExpr(t));

function setup(slos: unknown[], opts: { now?: number; maintenance?: Array<{ service: string; start: number; end: number }>; incidents?: IncidentSpan[] } = {}) {
  const store = new MemoryQueryable();
  const engine = new Engine();
  const clock = new FakeClock(opts.now ?? T);
  const query: InstantQueryFn = async (expr, t) => {
    const r = await engine.instantQuery(store, expr, t);
    if (r.resultType === 'vector') return r.result.map((s) => ({ labels: s.labels, v: s.v }));
    if (r.resultType === 'scalar') return [{ labels: {}, v: r.result.v }];
    throw new Error('not a vector');
  };
  const compiled = compileSlos(slosFromConfig(slosConfigSchema.parse(slos)), parse, { version: 'test' });
  assert.deepEqual(compiled.errors, []);
  const windows = opts.maintenance ?? [];
  const svc = new SloService({
    query,
    clock,
    maintenance: (service, from, to) => windows.filter((w) => w.service === service && w.end > from && w.start < to).map((w) => ({ start: Math.max(w.start, from), end: Math.min(w.end, to) })),
    incidents: async (from, to) => (opts.incidents ?? []).filter((i) => i.openedAt < to && (i.resolvedAt ?? to) > from),
  });
  svc.set(compiled.slos);
  return { store, svc, clock, query, compiled: compiled.slos };
}

/** probe_success every 15 s for the 2 h before T (480 samples), failing at T−29m … T−26m15s (12 samples). */
function probeData(store: MemoryQueryable): void {
  for (let k = 0; k < 480; k++) {
    const t = T - k * 15 * S;
    const fail = t >= T - 29 * MIN && t < T - 26 * MIN;
    store.add({ __name__: 'probe_success', check: 'health', service: 'shop-api' }, t, fail ? 0 : 1);
  }
}

const probeSlo = { name: 'probe', service: 'shop-api', objective: 99, window: '1h', sli: { check: 'health' } };
const close = (a: number | null | undefined, b: number, msg?: string) => assert.ok(a !== null && a !== undefined && Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(b)), `${msg ?? ''} ${a} ≉ ${b}`);

describe('SloService', () => {
  test('a check SLI: the SLI over the whole window from raw samples, the budget, burn rates, state', async () => {
    const { store, svc } = setup([probeSlo]);
    probeData(store);
    const s = await svc.get('probe');
    close(s.sli, 228 / 240);
    assert.equal(s.budget.total, 0.01);
    close(s.budget.consumed, 5);
    close(s.budget.remaining, -4);
    close(s.budget.remainingMinutes, -4 * 0.01 * 60);
    assert.deepEqual(Object.keys(s.burnRates), ['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
    close(s.burnRates['5m'], 0);
    close(s.burnRates['30m'], 10);
    close(s.burnRates['1h'], 5);
    for (const w of ['2h', '6h', '1d', '3d']) close(s.burnRates[w], 2.5, w);
    assert.equal(s.status, 'breached');
    assert.deepEqual(s.problems, []);
    assert.equal(s.period.start, T - H);
    assert.equal(s.promql.errorRatio, '1 - sum(sum_over_time(probe_success{check="health"}[1h]))\n/\nsum(count_over_time(probe_success{check="health"}[1h]))');
  });

  test('exclude_maintenance leaves samples inside maintenance out of the SLI (windows are [start, end))', async () => {
    const maintenance = [{ service: 'shop-api', start: T - 29 * MIN, end: T - 26 * MIN }];
    const { store, svc } = setup([{ ...probeSlo, exclude_maintenance: true }, { ...probeSlo, name: 'probe-all' }], { maintenance });
    probeData(store);
    const [excluded, all] = await svc.list();
    assert.equal(excluded?.slo.name, 'probe');
    close(excluded?.sli, 1);
    close(excluded?.budget.remaining, 1);
    assert.equal(excluded?.promql.errorRatio, undefined);
    assert.equal(excluded?.status, 'at_risk', 'burn rates are what the alerts see: not adjusted');
    close(all?.sli, 228 / 240);
    // A window from T−30m to just after T−29m: the 4 good samples before the failures and the first failure go.
    maintenance[0] = { service: 'shop-api', start: T - 30 * MIN, end: T - 29 * MIN + 1 };
    close((await svc.get('probe')).sli, 224 / 235);
  });

  test("incidents: each one's span against the SLI, as a fraction of the budget", async () => {
    const incidents: IncidentSpan[] = [
      { id: 'INC-1', title: 'probe failing', severity: 'critical', status: 'resolved', services: ['shop-api'], openedAt: T - 30 * MIN, resolvedAt: T - 25 * MIN },
      { id: 'INC-2', title: 'still open', severity: 'high', status: 'triggered', services: ['shop-api', 'db'], openedAt: T - 10 * MIN, resolvedAt: null },
      { id: 'INC-3', title: 'elsewhere', severity: 'high', status: 'resolved', services: ['db'], openedAt: T - 30 * MIN, resolvedAt: T - 25 * MIN },
      { id: 'INC-4', title: 'before the window', severity: 'high', status: 'resolved', services: ['shop-api'], openedAt: T - 100 * MIN, resolvedAt: T - 90 * MIN },
    ];
    const { store, svc } = setup([probeSlo], { incidents });
    probeData(store);
    const s = await svc.get('probe');
    assert.deepEqual(
      s.incidents.map((i) => [i.id, i.start, i.end, i.badEvents]),
      [
        ['INC-1', T - 30 * MIN, T - 25 * MIN, 12],
        ['INC-2', T - 10 * MIN, null, 0],
      ],
    );
    close(s.incidents[0]?.consumed, 5);
    assert.equal(s.incidents[1]?.consumed, 0);
  });

  test('a calendar month: the budget is the whole month\'s, spent as errors accrue', async () => {
    const { store, svc } = setup([{ name: 'monthly', service: 'shop-api', objective: 99.5, calendar: 'month', sli: { check: 'health' } }]);
    // One sample a minute since 1 December; an hour of failures on the 3rd.
    for (let t = Date.UTC(2026, 11, 1) + MIN; t <= T; t += MIN) {
      const fail = t > Date.UTC(2026, 11, 3, 10) && t <= Date.UTC(2026, 11, 3, 11);
      store.add({ __name__: 'probe_success', check: 'health', service: 'shop-api' }, t, fail ? 0 : 1);
    }
    const s = await svc.get('monthly');
    assert.deepEqual(s.period, { start: Date.UTC(2026, 11, 1), end: Date.UTC(2027, 0, 1) });
    close(s.sli, 1 - 60 / (9 * 1440));
    // 60 bad minutes of the month's 0.5% × 31 days = 223.2 minutes.
    close(s.budget.consumed, 60 / 223.2);
    close(s.budget.remainingMinutes, 223.2 - 60);
    assert.equal(s.status, 'ok');
    assert.match(s.promql.errorRatio ?? '', /\[9d\]\)\)$/);
  });

  test('a latency SLI: the bucket at the threshold; a threshold between buckets is reported, not guessed', async () => {
    const latency = (name: string, threshold: string) => ({ name, service: 'shop-api', objective: 95, window: '1h', sli: { latency: { metric: 'http_request_duration_seconds', selector: '{job="shop-api"}', threshold } } });
    const { store, svc } = setup([latency('fast', '500ms'), latency('between', '300ms')]);
    const rates: Record<string, number> = { '0.1': 5, '0.25': 8, '0.5': 9.5, '1': 9.9, '+Inf': 10 };
    for (let k = 0; k <= 480; k++) {
      const t = T - 2 * H + k * 15 * S;
      for (const [le, r] of Object.entries(rates)) store.add({ __name__: 'http_request_duration_seconds_bucket', job: 'shop-api', le }, t, r * k * 15);
      store.add({ __name__: 'http_request_duration_seconds_count', job: 'shop-api' }, t, 10 * k * 15);
    }
    const [between, fast] = await svc.list();
    close(fast?.sli, 0.95);
    close(fast?.budget.remaining, 0);
    assert.equal(fast?.status, 'at_risk');
    assert.equal(between?.sli, null);
    assert.equal(between?.budget.remaining, null);
    assert.deepEqual(between?.problems, ['no bucket of http_request_duration_seconds has le = 0.3 (its buckets: 0.1, 0.25, 0.5, 1, +Inf); the latency threshold must be one of the histogram\'s bucket boundaries']);
  });

  test('no data is said, not guessed; an error query with no series yet counts as no errors', async () => {
    const events = { name: 'avail', service: 'shop-api', objective: 99.9, window: '30m', sli: { events: { error_query: 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))', total_query: 'sum(rate(http_requests_total[{{.window}}]))' } } };
    const { store, svc } = setup([events]);
    let s = await svc.get('avail');
    assert.equal(s.sli, null);
    assert.deepEqual(s.problems, ['no data over the window (the total query returns nothing, or zero events)']);
    assert.equal(s.status, 'ok');
    for (let k = 0; k <= 240; k++) store.add({ __name__: 'http_requests_total', code: '200' }, T - H + k * 15 * S, 10 * k * 15);
    s = await svc.get('avail');
    close(s.sli, 1);
    close(s.burnRates['5m'], 0);
    await assert.rejects(svc.get('nope'), /SLO nope not found/);
  });

  test('history: the SLI and budget at each step; report: a fixed period', async () => {
    const { store, svc } = setup([probeSlo]);
    probeData(store);
    const h = await svc.history('probe', T - 30 * MIN, T, 10 * MIN);
    assert.deepEqual(
      h.points.map((p) => p.t),
      [T - 30 * MIN, T - 20 * MIN, T - 10 * MIN, T],
    );
    close(h.points[0]?.sli, 1);
    close(h.points[1]?.sli, 1 - 12 / 240);
    await assert.rejects(svc.history('probe', T - 30 * H, T, 60 * S), /at most 1000 points: use a step of at least 109s/);
    const r = await svc.report('probe', T - 2 * H, T - H);
    close(r.sli, 1);
    assert.equal(r.result, 'met');
    const r2 = await svc.report('probe', T - 40 * MIN, T - 20 * MIN);
    close(r2.sli, 1 - 12 / 80);
    assert.equal(r2.result, 'breached');
    close(r2.deficit, 0.99 - (1 - 12 / 80));
  });

  test('one answer evaluates each distinct query once, with the numbers of evaluating each SLO alone; concurrent lists share it', async () => {
    const incidents: IncidentSpan[] = [
      { id: 'INC-1', title: 'probe failing', severity: 'critical', status: 'resolved', services: ['shop-api'], openedAt: T - 30 * MIN, resolvedAt: T - 25 * MIN },
    ];
    // the same SLI three times: another objective, and a window that is also a burn-rate window
    const slos = [probeSlo, { ...probeSlo, name: 'probe-strict', objective: 99.9 }, { ...probeSlo, name: 'probe-2h', window: '2h' }];
    const { store, svc, clock, query, compiled } = setup(slos, { incidents });
    probeData(store);
    const calls: string[] = [];
    const counting = new SloService({
      query: (expr, t) => {
        calls.push(`${t} ${expr}`);
        return query(expr, t);
      },
      clock,
      incidents: async (from, to) => incidents.filter((i) => i.openedAt < to && (i.resolvedAt ?? to) > from),
    });
    counting.set(compiled);
    const [a, b] = await Promise.all([counting.list(), counting.list()]);
    assert.equal(a, b, 'a list asked while another is computed shares its answer');
    assert.equal(new Set(calls).size, calls.length, `a query evaluated twice: ${calls.join('\n')}`);
    const alone = await Promise.all(svc.definitions().map((x) => svc.get(x.name)));
    assert.deepEqual(a, alone);
    // without sharing, the same SLOs would ask 3 × (1 SLI + 7 burn rates + the window's total + 2 for the incident)
    assert.ok(calls.length < 3 * 11, `${calls.length} queries`);
    calls.length = 0;
    await counting.list();
    assert.ok(calls.length > 0, 'the next answer is computed afresh');
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { MemoryQueryable } from '../storage/memory.js';
import type { Queryable, StorageSeries } from '../storage/querier.js';
import { Tsdb } from '../tsdb/index.js';
import { Engine } from './engine.js';
import { PromQLError } from './errors.js';

const YEAR = 365 * 24 * 3600_000;
const NOW = Date.UTC(2026, 5, 1);

async function rejectsWith(p: Promise<unknown>, errorType: string, msg: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof PromQLError, String(e));
    assert.equal(e.errorType, errorType, e.message);
    assert.match(e.message, msg);
    return true;
  });
}

/** A Queryable that counts how often it is opened: a limit checked before work never opens it. */
function counting(inner: Queryable): Queryable & { opened: number } {
  const q = {
    opened: 0,
    querier(mint: number, maxt: number) {
      q.opened++;
      return inner.querier(mint, maxt);
    },
  };
  return q;
}

function probeStore(): MemoryQueryable {
  const s = new MemoryQueryable();
  for (let t = NOW - 3600_000; t <= NOW; t += 15_000) s.add({ __name__: 'probe_success', check: 'web' }, t, 1);
  return s;
}

/** `series` series of `points` samples each, 15 s apart, ending at NOW. */
function bigQueryable(series: number, points: number): Queryable {
  const data: StorageSeries[] = [];
  for (let i = 0; i < series; i++) {
    const ts = new Float64Array(points);
    const vs = new Float64Array(points);
    for (let k = 0; k < points; k++) {
      ts[k] = NOW - (points - 1 - k) * 15_000;
      vs[k] = k;
    }
    data.push({ labels: { __name__: 'x', i: String(i) }, timestamps: ts, values: vs });
  }
  return { querier: () => Promise.resolve({ select: () => Promise.resolve(data), labelNames: () => Promise.resolve([]), labelValues: () => Promise.resolve([]), close() {} }) };
}

describe('query limits are checked before the work', () => {
  test('the issue 15 subquery max_over_time(probe_success[1y:1ms]) is refused at once, storage untouched', async () => {
    const q = counting(probeStore());
    await rejectsWith(new Engine().instantQuery(q, 'max_over_time(probe_success[1y:1ms])', NOW), 'bad_data', /^1:15: subquery would evaluate its expression at 31,536,000,001 steps, more than the limit of 200,000 \(metrics\.max_subquery_steps\)/);
    assert.equal(q.opened, 0);
  });

  test('a nested subquery is checked against its own span; a sensible one runs', async () => {
    const e = new Engine({ maxSubquerySteps: 1000 });
    await rejectsWith(e.instantQuery(probeStore(), 'max_over_time((max_over_time(probe_success[5m:1s]))[1h:1m])', NOW), 'bad_data', /^1:30: subquery would evaluate its expression at 3,901 steps/);
    const r = await e.instantQuery(probeStore(), 'max_over_time(probe_success[1h:1m])', NOW);
    assert.equal(r.resultType, 'vector');
    // Range query: the subquery spans the query range plus its own.
    await rejectsWith(e.rangeQuery(probeStore(), 'max_over_time(probe_success[10m:1s])', NOW - 3600_000, NOW, 60_000), 'bad_data', /at 4,201 steps/);
  });

  test('a range query over more points per series than the limit is bad_data, as Prometheus says it', async () => {
    const q = counting(probeStore());
    await rejectsWith(new Engine().rangeQuery(q, 'probe_success', NOW - YEAR, NOW, 1), 'bad_data', /^exceeded maximum resolution of 11,000 points per timeseries\. Try decreasing the query resolution \(\?step=XX\)$/);
    await rejectsWith(new Engine({ maxPointsPerSeries: 10 }).rangeQuery(q, 'probe_success', NOW - 3600_000, NOW, 60_000), 'bad_data', /10 points per timeseries/);
    assert.equal(q.opened, 0);
    const ok = await new Engine().rangeQuery(q, 'probe_success', NOW - 11_000_000, NOW, 1000);
    assert.equal(ok.resultType, 'matrix');
  });

  test('max_samples counts evaluated samples as they are produced', async () => {
    await rejectsWith(new Engine({ maxSamples: 1000 }).rangeQuery(bigQueryable(10, 500), 'x', NOW - 499 * 15_000, NOW, 15_000), 'execution', /too many samples into memory in query execution \(more than 1,000 samples at once: metrics\.max_samples\)/);
    const r = await new Engine({ maxSamples: 5000 }).rangeQuery(bigQueryable(10, 500), 'x', NOW - 499 * 15_000, NOW, 15_000);
    assert.equal(r.resultType === 'matrix' ? r.result.length : 0, 10);
  });

  test('sum(rate(…)) folds each point as it comes: the dashboard query is not refused for points it never holds', async () => {
    // 10 series × 499 steps (the first window holds one sample) stream 4,990 rates into sum, which holds 499 points.
    const r = await new Engine({ maxSamples: 1000 }).rangeQuery(bigQueryable(10, 500), 'sum(rate(x[1m]))', NOW - 499 * 15_000, NOW, 15_000);
    assert.equal(r.resultType === 'matrix' ? r.result[0]?.points.length : 0, 499);
    await rejectsWith(new Engine({ maxSamples: 1000 }).rangeQuery(bigQueryable(10, 500), 'rate(x[1m])', NOW - 499 * 15_000, NOW, 15_000), 'execution', /metrics\.max_samples/);
  });
});

describe('total samples: the CPU one query may take', () => {
  /** n series that each exist for one sample, `ago` ms before NOW: a burst of pods that came and went. */
  function churned(n: number, ago: number): MemoryQueryable {
    const s = new MemoryQueryable();
    for (let i = 0; i < n; i++) s.add({ __name__: 'pod_up', pod: `p${i}` }, NOW - ago, 1);
    return s;
  }

  test('a query past max_total_samples is execution (422) naming the limit; the engine keeps answering', async () => {
    const e = new Engine({ maxTotalSamples: 100_000 });
    const deep = `${'abs('.repeat(50)}x${')'.repeat(50)}`;
    // 10 series × 500 steps: each abs makes 5,000 points and 10 series (80): 50 levels are 254,000.
    await rejectsWith(e.rangeQuery(bigQueryable(10, 500), deep, NOW - 499 * 15_000, NOW, 15_000), 'execution', /evaluate too many samples in query execution: more than 100,000 over all steps and operators \(metrics\.max_total_samples\); use a larger step/);
    const ok = await e.rangeQuery(bigQueryable(10, 500), `${'abs('.repeat(10)}x${')'.repeat(10)}`, NOW - 499 * 15_000, NOW, 15_000);
    assert.equal(ok.resultType === 'matrix' ? ok.result.length : 0, 10);
    assert.equal(ok.resultType === 'matrix' ? ok.result[0]?.points.length : 0, 500);
  });

  test('selectors and range functions visit only the steps where a series can have a value', async () => {
    // 2,000 series with one sample each, 30 min before the end of a 1 h range at 1 s (3,601 steps):
    // every step of every series would be 7.2 million visits; the lookback (5 min) gives 300 each.
    const store = churned(2000, 1800_000);
    const e = new Engine({ maxTotalSamples: 2_000_000, maxSamples: 100_000_000 });
    const r = await e.rangeQuery(store, 'count(pod_up)', NOW - 3600_000, NOW, 1000);
    assert.equal(r.resultType, 'matrix');
    const pts = r.resultType === 'matrix' ? (r.result[0]?.points ?? []) : [];
    assert.equal(pts.length, 300);
    assert.equal(pts[0]?.t, NOW - 1800_000);
    assert.equal(pts[0]?.v, 2000);
    const byPod = await e.rangeQuery(store, 'count by (pod) (pod_up)', NOW - 3600_000, NOW, 1000);
    assert.equal(byPod.resultType === 'matrix' ? byPod.result.length : 0, 2000);
    const rate = await e.rangeQuery(store, 'sum(count_over_time(pod_up[2m]))', NOW - 3600_000, NOW, 1000);
    assert.equal(rate.resultType === 'matrix' ? rate.result[0]?.points.length : 0, 120);
    // The same query over as many series present at every step is refused, before its 7.2 million visits.
    const dense = new MemoryQueryable();
    for (let i = 0; i < 2000; i++) for (let t = NOW - 3600_000; t <= NOW; t += 60_000) dense.add({ __name__: 'pod_up', pod: `p${i}` }, t, 1);
    await rejectsWith(e.rangeQuery(dense, 'count(pod_up)', NOW - 3600_000, NOW, 1000), 'execution', /metrics\.max_total_samples/);
  });
});

describe('fetched samples', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  test('the store refuses a selection over max_fetched_samples from chunk headers, before decoding', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-promql-limits-'));
    dirs.push(dir);
    const db = await Tsdb.open(dir, { compactIntervalMs: 0, creationGracePeriodMs: 0 });
    const app = db.appender();
    for (let i = 0; i < 20; i++) for (let k = 599; k >= 0; k--) app.append({ __name__: 'm', i: String(i) }, NOW - k * 15_000, k);
    await app.commit();
    const e = new Engine({ maxFetchedSamples: 5000 });
    await rejectsWith(e.instantQuery(db, 'count_over_time(m[3h])', NOW), 'execution', /match at least 12,0\d\d samples, more than the limit of 5,000 \(metrics\.max_fetched_samples\)/);
    const r = await e.instantQuery(db, 'count_over_time(m{i="1"}[3h])', NOW);
    assert.equal(r.resultType === 'vector' ? r.result[0]?.v : undefined, 600);
    // Several selectors share one budget.
    await rejectsWith(new Engine({ maxFetchedSamples: 1000 }).instantQuery(db, 'count_over_time(m{i="1"}[3h]) + count_over_time(m{i="2"}[3h])', NOW), 'execution', /max_fetched_samples/);
    await db.close();
  });
});

describe('timeout and cancellation stop the work itself', () => {
  // Heavy enough to run for seconds: 2,000 series x 5,000 steps of a 1h window.
  const heavy = (): Queryable => bigQueryable(2000, 1200);
  const query = 'sum(avg_over_time(x[1h]))';

  test('a query past its timeout fails with errorType timeout soon after the deadline', async () => {
    const e = new Engine({ timeoutMs: 200, maxSamples: 1e9, maxFetchedSamples: 1e9 });
    const t0 = performance.now();
    await rejectsWith(e.rangeQuery(heavy(), query, NOW - 4999 * 1000, NOW, 1000), 'timeout', /query timed out/);
    const took = performance.now() - t0;
    // Unbounded, the query runs for minutes; generous for a loaded machine.
    assert.ok(took < 15_000, `stopped after ${took} ms`);
  });

  test('aborting while it evaluates cancels it: the abort can only arrive if evaluation lets the event loop run', async () => {
    const e = new Engine({ maxSamples: 1e9, maxFetchedSamples: 1e9 });
    const ctl = new AbortController();
    const q = heavy();
    let ticks = 0;
    // Aborts from a timer callback after a few ticks: with an evaluator that never yields, no tick
    // would run before the query finished (it takes minutes), and it would not be canceled.
    const timer = setInterval(() => {
      if (++ticks === 3) ctl.abort();
    }, 10);
    try {
      await rejectsWith(e.rangeQuery(q, query, NOW - 4999 * 1000, NOW, 1000, { signal: ctl.signal }), 'canceled', /canceled/);
    } finally {
      clearInterval(timer);
    }
  });

  test('queries beyond max_concurrent wait for a slot and run when it frees', async () => {
    const e = new Engine({ maxConcurrent: 1, maxSamples: 1e9, maxFetchedSamples: 1e9 });
    const ctl = new AbortController();
    const order: string[] = [];
    const first = e.rangeQuery(heavy(), query, NOW - 4999 * 1000, NOW, 1000, { signal: ctl.signal }).catch((err: unknown) => {
      order.push('first canceled');
      throw err;
    });
    const second = e.instantQuery(probeStore(), 'probe_success', NOW).then((r) => {
      order.push('second done');
      return r;
    });
    setTimeout(() => ctl.abort(), 200);
    await rejectsWith(first, 'canceled', /canceled/);
    assert.equal((await second).resultType, 'vector');
    assert.deepEqual(order, ['first canceled', 'second done']);
  });
});

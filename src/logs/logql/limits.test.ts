import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LogStore } from '../store/log-store.js';
import { traceLines } from '../trace.js';
import { queryInstant, queryRange } from './evaluate.js';
import { LogQueryCanceledError, LogQueryLimitError, LogQueryTimeoutError } from './limits.js';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const YEAR = 365 * 24 * 3600_000;
const LINES = 60_000;
let dir: string;
let store: LogStore;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-logql-limits-'));
  store = await LogStore.open(dir);
  // Two streams over the last hour, one line every 120 ms: enough work to outlast a short timeout.
  const inputs = [];
  for (let i = 0; i < LINES; i++) inputs.push({ labels: { job: 'x', pod: `p${i % 2}` }, t: NOW - 3600_000 + i * 60, line: `GET /item/${i} 200 trace=t${i % 97}` });
  await store.append(inputs);
});
after(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function limitError(p: Promise<unknown>, msg: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof LogQueryLimitError, String(e));
    assert.match(e.message, msg);
    return true;
  });
}

describe('LogQL limits are checked before the work', () => {
  test('the issue 15 range query (a year at step=1ms) is refused at once', async () => {
    await limitError(
      queryRange(store, 'count_over_time({job="x"}[1m])', { start: NOW - YEAR, end: NOW, step: 1 }),
      /^exceeded maximum resolution of 11,000 points per timeseries\. Try increasing the value of the step parameter$/,
    );
  });

  test('query length includes the [range]; log queries are bounded too', async () => {
    await limitError(queryRange(store, 'count_over_time({job="x"}[1m])', { start: NOW - YEAR, end: NOW, step: 3600_000 }), /the query time range exceeds the limit \(query length: 8760h1m0s|query length: 8760h60s/);
    await limitError(queryInstant(store, 'count_over_time({job="x"}[365d])', { time: NOW }), /query time range exceeds the limit \(query length: 8760h, limit: 721h; logs\.query\.max_query_length\)/);
    await limitError(queryRange(store, '{job="x"}', { start: NOW - YEAR, end: NOW }), /query length: 8760h/);
    const r = await queryInstant(store, 'count_over_time({job="x"}[1h])', { time: NOW + 1, limits: { maxQueryLengthMs: 2 * 3600_000 } });
    assert.equal(r.resultType, 'vector');
  });

  test('limit above max_entries_limit is refused, as Loki words it', async () => {
    await limitError(queryRange(store, '{job="x"}', { start: NOW - 3600_000, end: NOW, limit: 10_000 }), /^max entries limit per query exceeded, limit > max_entries_limit \(10000 > 5000; logs\.query\.max_entries_limit\)$/);
    const r = await queryRange(store, '{job="x"}', { start: NOW - 3600_000, end: NOW, limit: 5000 });
    assert.equal(r.resultType === 'streams' ? r.result.reduce((n, s) => n + s.values.length, 0) : 0, 5000);
  });

  test('too many series and too many lines held are refused while the query reads', async () => {
    // The last minute: 1,000 lines, each its own series through the extracted id.
    await limitError(queryInstant(store, 'count_over_time({job="x"} | regexp "/item/(?P<id>\\\\d+)" [1m])', { time: NOW + 1, limits: { maxSeries: 100 } }), /^maximum number of series \(100\) reached for a single query/);
    await limitError(queryInstant(store, 'count_over_time({job="x"} |= "item" [1h])', { time: NOW + 1, limits: { maxSamples: 1000 } }), /more than 1,000 lines into its range aggregations \(logs\.query\.max_samples\)/);
    await limitError(queryInstant(store, 'count_over_time({job="x"}[1h])', { time: NOW + 1, limits: { maxSamples: 1000 }, scan: true }), /logs\.query\.max_samples/);
    // Counting a bare stream selector holds no lines (it reads their timestamps run by run), so the limit does not apply.
    const counted = await queryInstant(store, 'sum(count_over_time({job="x"}[2h]))', { time: NOW + 1, limits: { maxSamples: 1000 } });
    assert.equal(counted.resultType === 'vector' ? counted.result[0]?.value[1] : '', String(LINES));
    const r = await queryInstant(store, 'sum(count_over_time({job="x"}[2h]))', { time: NOW + 1 });
    assert.equal(r.resultType === 'vector' ? r.result[0]?.value[1] : '', String(LINES));
  });
});

describe('LogQL timeout and cancellation stop the scan', () => {
  test('a query past its timeout stops soon after', async () => {
    await assert.rejects(
      queryRange(store, 'sum by (pod) (count_over_time({job="x"} |~ "item/[0-9]+5 " [5m]))', { start: NOW - 3600_000, end: NOW, step: 1000, limits: { timeoutMs: 1 } }),
      (e: unknown) => e instanceof LogQueryTimeoutError && /logs\.query\.timeout/.test(e.message),
    );
  });

  test('an aborted query stops with LogQueryCanceledError', async () => {
    const ctl = new AbortController();
    ctl.abort();
    await assert.rejects(queryRange(store, '{job="x"}', { start: NOW - 3600_000, end: NOW, limit: 5000, direction: 'forward', signal: ctl.signal }), LogQueryCanceledError);
  });

  test('the trace view takes the same limits', async () => {
    await assert.rejects(traceLines(store, 't96', NOW - 3600_000, NOW, { limit: 6000 }), LogQueryLimitError);
    await assert.rejects(traceLines(store, 't96', NOW - YEAR, NOW), /query time range exceeds the limit/);
    const lines = await traceLines(store, 't96', NOW - 3600_000, NOW + 1);
    assert.equal(lines.length, Math.floor((LINES - 1 - 96) / 97) + 1);
    await assert.rejects(traceLines(store, 't96', NOW - 3600_000, NOW + 1, { limits: { timeoutMs: 0 } }), LogQueryTimeoutError);
  });
});

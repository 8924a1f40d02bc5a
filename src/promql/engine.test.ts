import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryQueryable } from '../storage/memory.js';
import type { Querier, Queryable } from '../storage/querier.js';
import { Engine } from './engine.js';
import { PromQLError } from './errors.js';
import type { QueryResult } from './value.js';

function store(): MemoryQueryable {
  const s = new MemoryQueryable();
  for (let i = 0; i <= 10; i++) {
    s.add({ __name__: 'http_requests_total', job: 'api', instance: '0' }, i * 60_000, i * 10);
    s.add({ __name__: 'http_requests_total', job: 'api', instance: '1' }, i * 60_000, i * 20);
  }
  return s;
}

function vector(r: QueryResult): Array<[string, number]> {
  assert.equal(r.resultType, 'vector');
  if (r.resultType !== 'vector') return [];
  return r.result.map((s) => [JSON.stringify(s.labels), s.v]);
}

async function rejectsWith(p: Promise<unknown>, errorType: string, msg?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof PromQLError, String(e));
    assert.equal(e.errorType, errorType);
    if (msg) assert.match(e.message, msg);
    return true;
  });
}

describe('Engine', () => {
  test('instant query: rate with extrapolation, aggregation, name dropping', async () => {
    const r = await new Engine().instantQuery(store(), 'sum by (job) (rate(http_requests_total[5m]))', 600_000);
    assert.deepEqual(vector(r), [[JSON.stringify({ job: 'api' }), 0.5]]);
  });

  test('range query returns a matrix sorted by labels with points on the steps', async () => {
    const r = await new Engine().rangeQuery(store(), 'http_requests_total * 2', 0, 120_000, 60_000);
    assert.equal(r.resultType, 'matrix');
    if (r.resultType !== 'matrix') return;
    assert.deepEqual(
      r.result.map((s) => [s.labels.instance, s.points.map((p) => [p.t, p.v])]),
      [
        ['0', [[0, 0], [60_000, 20], [120_000, 40]]],
        ['1', [[0, 0], [60_000, 40], [120_000, 80]]],
      ],
    );
    assert.equal(r.result[0]?.labels.__name__, undefined);
  });

  test('scalar and string results', async () => {
    const e = new Engine();
    const s = await e.instantQuery(store(), '1 + 2 * 3', 1000);
    assert.deepEqual(s.resultType === 'scalar' ? s.result : undefined, { t: 1000, v: 7 });
    const str = await e.instantQuery(store(), '"hello"', 1000);
    assert.deepEqual(str.resultType === 'string' ? str.result : undefined, { t: 1000, v: 'hello' });
  });

  test('lookback delta bounds how old an instant sample may be', async () => {
    const e = new Engine({ lookbackDeltaMs: 60_000 });
    assert.equal(vector(await e.instantQuery(store(), 'http_requests_total', 660_000)).length, 0);
    assert.equal(vector(await e.instantQuery(store(), 'http_requests_total', 659_999)).length, 2);
  });

  test('max samples limit fails with errorType execution', async () => {
    await rejectsWith(new Engine({ maxSamples: 5 }).instantQuery(store(), 'sum(count_over_time(http_requests_total[10m]))', 600_000), 'execution', /too many samples/);
  });

  test('timeout fails with errorType timeout', async () => {
    await rejectsWith(new Engine({ timeoutMs: -1 }).instantQuery(store(), 'http_requests_total', 0), 'timeout', /timed out/);
  });

  test('an aborted signal cancels with errorType canceled, also while storage is still answering', async () => {
    const ac = new AbortController();
    ac.abort();
    await rejectsWith(new Engine().instantQuery(store(), 'http_requests_total', 0, { signal: ac.signal }), 'canceled');
    const slow: Queryable = {
      querier: async (): Promise<Querier> => ({
        select: () => new Promise(() => undefined),
        labelNames: async () => [],
        labelValues: async () => [],
        close: () => undefined,
      }),
    };
    const ac2 = new AbortController();
    const p = new Engine().instantQuery(slow, 'up', 0, { signal: ac2.signal });
    ac2.abort();
    await rejectsWith(p, 'canceled');
  });

  test('a storage call that outlives the timeout fails the query with errorType timeout', async () => {
    const hanging: Queryable = {
      querier: async (): Promise<Querier> => ({
        select: () => new Promise(() => undefined),
        labelNames: async () => [],
        labelValues: async () => [],
        close: () => undefined,
      }),
    };
    await rejectsWith(new Engine({ timeoutMs: 20 }).instantQuery(hanging, 'up', 0), 'timeout', /timed out/);
  });

  test('bad input: parse errors and invalid range parameters are bad_data', async () => {
    const e = new Engine();
    await rejectsWith(e.instantQuery(store(), 'sum(', 0), 'bad_data', /^1:5: parse error/);
    await rejectsWith(e.rangeQuery(store(), 'up', 0, 10, 0), 'bad_data', /step/);
    await rejectsWith(e.rangeQuery(store(), 'up[5m]', 0, 10, 1), 'bad_data', /invalid expression type "range vector"/);
  });

  test('native histogram samples are refused with a clear error rather than a wrong answer', async () => {
    const s = store();
    s.addHistogram({ __name__: 'latency' }, 0);
    await rejectsWith(new Engine().instantQuery(s, 'latency', 0), 'execution', /native histograms are not supported yet/);
    await rejectsWith(new Engine().instantQuery(s, 'histogram_count(http_requests_total)', 0), 'execution', /not supported yet/);
  });

  test('duplicate series after name removal is an execution error', async () => {
    const s = new MemoryQueryable();
    s.add({ __name__: 'a', x: '1' }, 0, 1);
    s.add({ __name__: 'b', x: '1' }, 0, 2);
    await rejectsWith(new Engine().instantQuery(s, 'abs({x="1"})', 0), 'execution', /same labelset/);
  });

  test('annotations carry Prometheus text and positions', async () => {
    const r = await new Engine().instantQuery(store(), 'quantile(2, http_requests_total)', 0);
    assert.deepEqual(r.warnings, ['PromQL warning: quantile value should be between 0 and 1, got 2 (1:10)']);
  });
});

test('selects ask for only the newest sample where one evaluation time reads them', async () => {
  const seen: Array<[string, boolean]> = [];
  const inner = store();
  const recording: Queryable = {
    querier: async () => {
      const q = await inner.querier();
      return {
        ...q,
        select: (matchers, hints) => {
          seen.push([`${hints.start}..${hints.end}`, hints.latest === true]);
          return q.select(matchers, hints);
        },
      };
    },
  };
  const e = new Engine();
  const cases: Array<[() => Promise<QueryResult>, boolean]> = [
    [() => e.instantQuery(recording, 'sum(http_requests_total)', 600_000), true],
    [() => e.instantQuery(recording, 'http_requests_total @ 300', 600_000), true],
    [() => e.rangeQuery(recording, 'http_requests_total @ 300', 0, 600_000, 60_000), true],
    [() => e.rangeQuery(recording, 'http_requests_total', 0, 600_000, 60_000), false],
    [() => e.instantQuery(recording, 'rate(http_requests_total[5m])', 600_000), false],
    [() => e.instantQuery(recording, 'max_over_time(http_requests_total[5m:1m])', 600_000), false],
  ];
  for (const [run, latest] of cases) {
    seen.length = 0;
    await run();
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.[1], latest, String(run));
  }
  // And the answers are the newest samples: 100 and 200 at 10m, 50 and 100 at 5m.
  assert.deepEqual(vector(await e.instantQuery(recording, 'http_requests_total', 600_000)).map(([, v]) => v).sort((a, b) => a - b), [100, 200]);
  assert.deepEqual(vector(await e.instantQuery(recording, 'http_requests_total @ 300', 600_000)).map(([, v]) => v).sort((a, b) => a - b), [50, 100]);
});

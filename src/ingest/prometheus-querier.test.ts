import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newMatcher } from '../model/matcher.js';
import { PrometheusQueryable, RemoteQueryError } from './prometheus-querier.js';

/** A fake Prometheus HTTP API: records each request's path and parameters, answers from `routes`. */
class FakePrometheus {
  readonly calls: Array<{ method: string; path: string; params: URLSearchParams; headers: Record<string, unknown> }> = [];
  routes: Record<string, { status?: number; body: unknown }> = {};
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const u = new URL(req.url ?? '/', 'http://x');
        const params = req.method === 'POST' ? new URLSearchParams(body) : u.searchParams;
        this.calls.push({ method: req.method ?? '', path: u.pathname, params, headers: req.headers });
        const r = this.routes[u.pathname] ?? { status: 404, body: { status: 'error', errorType: 'not_found', error: 'no route' } };
        res.writeHead(r.status ?? 200, { 'Content-Type': 'application/json' }).end(JSON.stringify(r.body));
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/`;
  }

  async stop(): Promise<void> {
    await new Promise((r) => this.server?.close(r));
  }
}

describe('PrometheusQueryable against a fake Prometheus API', () => {
  const prom = new FakePrometheus();
  before(() => prom.start());
  after(() => prom.stop());

  test('select sends a range-vector instant query and returns raw samples within the hints', async () => {
    prom.routes['/api/v1/query'] = {
      body: {
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [
            { metric: { __name__: 'up', job: 'b' }, values: [[1000, '1'], [1015.5, 'NaN'], [1030, '+Inf'], [1045, '-Inf']] },
            { metric: { __name__: 'up', job: 'a' }, values: [[999.999, '5'], [1000, '0']], histograms: [[1000, {}]] },
          ],
        },
      },
    };
    const q = await new PrometheusQueryable({ url: prom.url, headers: { 'X-Scope-OrgID': 't1' } }).querier(1_000_000, 1_060_000);
    const series = await q.select([newMatcher('=', '__name__', 'up'), newMatcher('=~', 'job', 'a|"b"')], { start: 1_000_000, end: 1_045_000 });
    const call = prom.calls.at(-1);
    assert.equal(call?.method, 'POST');
    assert.equal(call?.params.get('query'), '{__name__="up", job=~"a|\\"b\\""}[45001ms]');
    assert.equal(call?.params.get('time'), '1045.000');
    assert.equal(call?.headers['x-scope-orgid'], 't1');
    assert.equal(series.length, 2);
    assert.deepEqual(series[0]?.labels, { __name__: 'up', job: 'a' });
    assert.deepEqual(Array.from(series[0]?.timestamps ?? []), [1_000_000], 'samples before start are cut');
    assert.equal(series[0]?.histogramCount, 1);
    assert.deepEqual(Array.from(series[1]?.timestamps ?? []), [1_000_000, 1_015_500, 1_030_000, 1_045_000]);
    const v = Array.from(series[1]?.values ?? []);
    assert.equal(v[0], 1);
    assert.ok(Number.isNaN(v[1]));
    assert.equal(v[2], Infinity);
    assert.equal(v[3], -Infinity);
    q.close();
  });

  test('labelNames and labelValues use /api/v1/labels and /api/v1/label/<name>/values with match[]', async () => {
    prom.routes['/api/v1/labels'] = { body: { status: 'success', data: ['job', '__name__', 'instance'] } };
    prom.routes['/api/v1/label/job/values'] = { body: { status: 'success', data: ['node', 'api'] } };
    const q = await new PrometheusQueryable({ url: prom.url }).querier(0, 60_000);
    assert.deepEqual(await q.labelNames([newMatcher('=', 'job', 'x')]), ['__name__', 'instance', 'job']);
    const namesCall = prom.calls.at(-1);
    assert.equal(namesCall?.params.get('match[]'), '{job="x"}');
    assert.equal(namesCall?.params.get('start'), '0.000');
    assert.equal(namesCall?.params.get('end'), '60.000');
    assert.deepEqual(await q.labelValues('job', [], { limit: 10 }), ['api', 'node']);
    const valuesCall = prom.calls.at(-1);
    assert.equal(valuesCall?.method, 'GET');
    assert.equal(valuesCall?.params.get('match[]'), null);
    assert.equal(valuesCall?.params.get('limit'), '10');
  });

  test('API errors become RemoteQueryError with the remote message', async () => {
    prom.routes['/api/v1/query'] = { status: 422, body: { status: 'error', errorType: 'execution', error: 'query processing would load too many samples' } };
    const q = await new PrometheusQueryable({ url: prom.url }).querier(0, 1);
    await assert.rejects(
      q.select([newMatcher('=', '__name__', 'up')], { start: 0, end: 1 }),
      (e: unknown) => e instanceof RemoteQueryError && /HTTP 422\): execution: query processing would load too many samples/.test(e.message),
    );
    const dead = await new PrometheusQueryable({ url: 'http://127.0.0.1:1' }).querier(0, 1);
    await assert.rejects(dead.labelNames([]), RemoteQueryError);
  });
});

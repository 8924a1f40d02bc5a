import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VigilApp, createLogger } from '../src/app/index.js';
import { validateConfig } from '../src/config/index.js';
import { runCli } from './helpers/vigil-process.js';

describe('Prometheus HTTP API over the embedded store', () => {
  let app: VigilApp;
  let base: string;
  let dir: string;
  const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-prom-'));
    const cfg = validateConfig({});
    assert.ok(cfg.ok);
    app = await VigilApp.create({ config: cfg.config, dataDir: dir, listen: '127.0.0.1:0', env: {}, logger: createLogger('silent') });
    base = await app.start();
    const a = app.tsdb.appender();
    for (let i = 0; i <= 40; i++) {
      const t = T0 + i * 15_000;
      a.append({ __name__: 'http_requests_total', job: 'api', status: '200' }, t, i * 30);
      a.append({ __name__: 'http_requests_total', job: 'api', status: '500' }, t, i * 3);
      a.append({ __name__: 'up', job: 'api', instance: 'a:1' }, t, 1);
    }
    await a.commit();
  });
  after(async () => {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (path: string) => {
    const r = await fetch(`${base}${path}`);
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const at = (T0 + 600_000) / 1000;

  test('instant query: vector with [seconds, "value"] pairs', async () => {
    const q = encodeURIComponent('sum by (status) (rate(http_requests_total[5m]))');
    const { status, body } = await get(`/api/v1/query?query=${q}&time=${at}`);
    assert.equal(status, 200);
    assert.equal(body['status'], 'success');
    const data = body['data'] as { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    assert.equal(data.resultType, 'vector');
    const byStatus = Object.fromEntries(data.result.map((r) => [r.metric['status'], r.value]));
    assert.equal(byStatus['200']?.[0], at);
    assert.equal(typeof byStatus['200']?.[1], 'string');
    assert.ok(Math.abs(Number(byStatus['200']?.[1]) - 2) < 1e-9);
    assert.ok(Math.abs(Number(byStatus['500']?.[1]) - 0.2) < 1e-9);
  });

  test('error ratio and scalar results', async () => {
    const q = encodeURIComponent('sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))');
    const { body } = await get(`/api/v1/query?query=${q}&time=${at}`);
    const data = body['data'] as { result: Array<{ value: [number, string] }> };
    assert.equal(Number(data.result[0]?.value[1]).toFixed(6), (0.2 / 2.2).toFixed(6));
    const s = await get(`/api/v1/query?query=1%2B1&time=${at}`);
    assert.deepEqual(s.body['data'], { resultType: 'scalar', result: [at, '2'] });
  });

  test('range query over form-encoded POST', async () => {
    const r = await fetch(`${base}/api/v1/query_range`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: 'up', start: String(T0 / 1000), end: String(at), step: '60s' }),
    });
    assert.equal(r.status, 200);
    const body = (await r.json()) as { data: { resultType: string; result: Array<{ values: unknown[] }> } };
    assert.equal(body.data.resultType, 'matrix');
    assert.equal(body.data.result[0]?.values.length, 11);
  });

  test('errors carry Prometheus error types and status codes', async () => {
    let r = await get(`/api/v1/query?query=${encodeURIComponent('sum(up) by')}`);
    assert.equal(r.status, 400);
    assert.equal(r.body['errorType'], 'bad_data');
    assert.match(String(r.body['error']), /^1:\d+: parse error: /);
    r = await get('/api/v1/query');
    assert.equal(r.status, 400);
    r = await get(`/api/v1/query_range?query=up&start=${at}&end=${T0 / 1000}&step=15`);
    assert.equal(r.status, 400);
    assert.match(String(r.body['error']), /end timestamp must not be before start time/);
    r = await get(`/api/v1/query_range?query=up&start=0&end=${at}&step=1`);
    assert.match(String(r.body['error']), /exceeded maximum resolution of 11,000 points/);
    r = await get('/api/v1/series');
    assert.match(String(r.body['error']), /no match\[\] parameter provided/);
  });

  test('series, labels and label values', async () => {
    const s = await get(`/api/v1/series?match[]=${encodeURIComponent('http_requests_total{status="500"}')}&start=${T0 / 1000}&end=${at}`);
    assert.deepEqual(s.body['data'], [{ __name__: 'http_requests_total', job: 'api', status: '500' }]);
    const l = await get('/api/v1/labels');
    assert.deepEqual(l.body['data'], ['__name__', 'instance', 'job', 'status']);
    const v = await get('/api/v1/label/__name__/values');
    assert.deepEqual(v.body['data'], ['http_requests_total', 'up']);
    const bi = await get('/api/v1/status/buildinfo');
    assert.equal(bi.body['status'], 'success');
  });

  test('vigil query prints a table', async () => {
    const r = await runCli(['query', 'sum by (status) (http_requests_total)', '--time', String(at), '--url', base]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\{status="200"\}\s+1200/);
    const bad = await runCli(['query', 'sum(', '--url', base]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /parse error/);
  });
});

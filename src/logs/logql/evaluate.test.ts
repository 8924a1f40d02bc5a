import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogStore } from '../store/log-store.js';
import { traceLines } from '../trace.js';
import { queryInstant, queryRange, type QueryResult } from './evaluate.js';
import { toLokiResponse } from './response.js';

const T0 = Date.UTC(2024, 9, 20, 12, 0, 0);
let dir: string;
let store: LogStore;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-logql-'));
  store = await LogStore.open(dir, { chunkBytes: 512 });
  const api = [
    { status: 200, path: '/users', duration: '120ms', request_id: 'r1' },
    { status: 500, path: '/orders', duration: '1.5s', request_id: 'r2' },
    { status: 404, path: '/users', duration: '30ms', request_id: 'r3' },
    { status: 503, path: '/orders', duration: '2s', request_id: 'r4' },
    { status: 200, path: '/health', duration: '1ms', request_id: 'r5' },
    { status: 502, path: '/orders', duration: '900ms', request_id: 'r6' },
  ];
  await store.append(api.map((a, i) => ({ labels: { app: 'api', env: 'prod' }, t: T0 + i * 10_000, line: JSON.stringify({ level: a.status >= 500 ? 'error' : 'info', ...a, http: { method: 'GET' } }) })));
  await store.append(
    [
      'level=info msg="user login" user=alice size=2KB latency=0.25',
      'level=error msg="payment failed" user=bob size=15KB latency=1.5 request_id=r2',
      'level=warn msg="slow cache" user=alice size=512B latency=0.75',
      'level=info msg="user logout" user=carol size=1KiB latency=0.05',
    ].map((line, i) => ({ labels: { app: 'web', env: 'prod' }, t: T0 + 5_000 + i * 15_000, line })),
  );
  await store.append(
    [
      '10.0.0.1 - - [20/Oct/2024:12:00:01 +0000] "GET /index.html HTTP/1.1" 200 512',
      '10.0.0.2 - - [20/Oct/2024:12:00:02 +0000] "POST /api/pay HTTP/1.1" 500 17',
      '10.0.0.1 - - [20/Oct/2024:12:00:03 +0000] "GET /img/a.png HTTP/1.1" 304 0',
    ].map((line, i) => ({ labels: { app: 'nginx', env: 'edge' }, t: T0 + 1_000 + i * 1_000, line, fields: { request_id: i === 1 ? 'r2' : `n${i}` } })),
  );
});

after(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const range = (q: string, extra: Partial<Parameters<typeof queryRange>[2]> = {}): Promise<QueryResult> => queryRange(store, q, { start: T0, end: T0 + 120_000, ...extra });
const lines = (r: QueryResult): string[] => {
  assert.equal(r.resultType, 'streams');
  return (r.result as Array<{ values: Array<[string, string]> }>).flatMap((s) => s.values).sort((a, b) => (a[0] < b[0] ? -1 : 1)).map((v) => v[1]);
};

describe('log queries', () => {
  test('line filters: contains, not contains, regex anywhere, negated regex', async () => {
    assert.equal(lines(await range('{app="api"} |= "orders"')).length, 3);
    assert.equal(lines(await range('{app="api"} |= "orders" != "503"')).length, 2);
    assert.deepEqual(lines(await range('{env="prod"} |~ "(?i)PAYMENT|logout"')), ['level=error msg="payment failed" user=bob size=15KB latency=1.5 request_id=r2', 'level=info msg="user logout" user=carol size=1KiB latency=0.05']);
    assert.equal(lines(await range('{app="nginx"} !~ "GET"')).length, 1);
  });

  test('json extraction with numeric label filters and line_format', async () => {
    const r = await range('{app="api"} | json | status >= 500 and path="/orders" | line_format "{{.status}} {{.path}} {{.http_method | ToLower}}"', { direction: 'forward' });
    assert.deepEqual(lines(r), ['500 /orders get', '503 /orders get', '502 /orders get']);
    const s = r.result[0] as { stream: Record<string, string> };
    assert.equal(s.stream.app, 'api');
    assert.equal(s.stream.http_method, 'GET', 'nested keys flatten with _');
  });

  test('json on a line nested deeper than 100 levels sets __error__ instead of overflowing the stack', async () => {
    const dir2 = await mkdtemp(join(tmpdir(), 'logql-deep-'));
    const s2 = await LogStore.open(dir2);
    try {
      await s2.append([{ labels: { app: 'deep' }, t: T0, line: `{"a":${'{"b":'.repeat(20_000)}1${'}'.repeat(20_000)}}` }]);
      const r = await queryRange(s2, '{app="deep"} | json', { start: T0, end: T0 + 1000 });
      const st = (r.result[0] as { stream: Record<string, string> }).stream;
      assert.equal(st.__error__, 'JSONParserErr');
      assert.match(st.__error_details__ ?? '', /nested deeper than 100 levels/);
    } finally {
      await s2.close();
      await rm(dir2, { recursive: true, force: true });
    }
  });

  test('duration and bytes comparisons, or, parentheses', async () => {
    assert.equal(lines(await range('{app="api"} | json | duration > 1s')).length, 2);
    assert.equal(lines(await range('{app="api"} | json | duration >= 900ms or status == 404')).length, 4);
    assert.deepEqual(lines(await range('{app="web"} | logfmt | (size > 1KB, user="alice") or latency > 1 | line_format "{{.user}}"')), ['alice', 'bob']);
  });

  test('json parameters, pattern, regexp, label_format, drop', async () => {
    assert.deepEqual(lines(await range('{app="api"} | json m="http.method", code="status" | code="404" | line_format "{{.m}}:{{.code}}"')), ['GET:404']);
    assert.deepEqual(lines(await range('{app="nginx"} | pattern "<ip> - - [<_>] \\"<method> <path> <_>\\" <status> <size>" | status="500" | line_format "{{.ip}} {{.method}} {{.path}}"')), ['10.0.0.2 POST /api/pay']);
    assert.deepEqual(lines(await range('{app="nginx"} | regexp "\\"(?P<method>[A-Z]+) (?P<path>\\\\S+)" | method="GET" | label_format route=path | line_format "{{.route}}|{{.path}}"')), ['/index.html|', '/img/a.png|']);
    const r = await range('{app="web"} | logfmt | drop user, msg, size, latency, level="info"');
    const streams = r.result.map((s) => JSON.stringify((s as { stream: Record<string, string> }).stream)).sort();
    assert.deepEqual(streams, [
      '{"app":"web","env":"prod","level":"error","request_id":"r2"}',
      '{"app":"web","env":"prod","level":"warn"}',
      '{"app":"web","env":"prod"}',
    ]);
  });

  test('json errors become __error__ and can be filtered out', async () => {
    assert.ok(lines(await range('{app="nginx"} | json | __error__="JSONParserErr"')).length === 3);
    assert.equal(lines(await range('{app="nginx"} | json | __error__=""')).length, 0);
  });

  test('collision with a stream label gets _extracted; structured metadata acts as labels', async () => {
    const r = await range('{app="api"} | json app="path" | app_extracted="/health"');
    assert.equal(lines(r).length, 1);
    assert.equal(lines(await range('{app="nginx"} | request_id="r2"')).length, 1);
  });

  test('direction and limit', async () => {
    const back = await range('{app="api"}', { limit: 2 });
    const vals = (back.result[0] as { values: Array<[string, string]> }).values;
    assert.equal(vals.length, 2);
    assert.equal(vals[0]![0], `${T0 + 50_000}000000`, 'newest first, ns string');
    const fwd = await range('{app="api"}', { limit: 1, direction: 'forward' });
    assert.equal((fwd.result[0] as { values: Array<[string, string]> }).values[0]![0], `${T0}000000`);
  });
});

describe('metric queries', () => {
  test('count_over_time summed by stream label, instant vector', async () => {
    const r = await queryInstant(store, 'sum by (app) (count_over_time({env=~"prod|edge"}[1m]))', { time: T0 + 60_000 });
    assert.equal(r.resultType, 'vector');
    const byApp = Object.fromEntries((r.result as Array<{ metric: Record<string, string>; value: [number, string] }>).map((s) => [s.metric.app, s.value]));
    // window (T0, T0+60s]: api lines at 10..50s = 5; web at 5,20,35,50s = 4; nginx 1,2,3s = 3
    assert.deepEqual(byApp, { api: [(T0 + 60_000) / 1000, '5'], web: [(T0 + 60_000) / 1000, '4'], nginx: [(T0 + 60_000) / 1000, '3'] });
  });

  test('sum by label over json-extracted labels, range matrix', async () => {
    const r = await range('sum by (status) (count_over_time({app="api"} | json | status >= 500 [30s]))', { start: T0 + 30_000, end: T0 + 60_000, step: 30_000 });
    assert.equal(r.resultType, 'matrix');
    assert.deepEqual(r.result, [
      { metric: { status: '500' }, values: [[(T0 + 30_000) / 1000, '1']] },
      { metric: { status: '502' }, values: [[(T0 + 60_000) / 1000, '1']] },
      { metric: { status: '503' }, values: [[(T0 + 30_000) / 1000, '1']] },
    ]);
  });

  test('rate, bytes_over_time, topk, bottomk, binary arithmetic', async () => {
    const at = { time: T0 + 60_000 };
    const v = async (q: string): Promise<Array<[Record<string, string>, string]>> => ((await queryInstant(store, q, at)).result as Array<{ metric: Record<string, string>; value: [number, string] }>).map((s) => [s.metric, s.value[1]]);
    assert.deepEqual(await v('sum(rate({app="api"}[1m]))'), [[{}, String(5 / 60)]]);
    const nginxBytes = lines(await range('{app="nginx"}')).reduce((a, l) => a + Buffer.byteLength(l), 0);
    assert.deepEqual(await v('sum(bytes_over_time({app="nginx"}[1m]))'), [[{}, String(nginxBytes)]]);
    // Three series (one per request_id): the sum of three quotients, correctly rounded, need not be the last bit of nginxBytes / 60.
    const [[, bytesRate]] = await v('sum(bytes_rate({app="nginx"}[1m]))') as [[Record<string, string>, string]];
    assert.ok(Math.abs(Number(bytesRate) - nginxBytes / 60) < 1e-12, bytesRate);
    assert.deepEqual(await v('topk(1, sum by (path) (count_over_time({app="api"} | json [2m])))'), [[{ path: '/orders' }, '3']]);
    assert.deepEqual(await v('bottomk(1, sum by (app) (count_over_time({env=~".+"}[1m])))'), [[{ app: 'nginx' }, '3']]);
    assert.deepEqual(await v('sum(count_over_time({app="api"} |= "orders" [2m])) / sum(count_over_time({app="api"}[2m])) * 100'), [[{}, '50']]);
  });

  test('unwrap with conversions and quantile', async () => {
    const at = { time: T0 + 120_000 };
    const v = async (q: string): Promise<Array<[Record<string, string>, string]>> => ((await queryInstant(store, q, at)).result as Array<{ metric: Record<string, string>; value: [number, string] }>).map((s) => [s.metric, s.value[1]]);
    assert.deepEqual(await v('max_over_time({app="api"} | json | unwrap duration(duration) [5m]) by (path)'), [[{ path: '/health' }, '0.001'], [{ path: '/orders' }, '2'], [{ path: '/users' }, '0.12']]);
    assert.deepEqual(await v('sum_over_time({app="web"} | logfmt | unwrap bytes(size) [5m]) by (app)'), [[{ app: 'web' }, String(2000 + 15000 + 512 + 1024)]]);
    assert.deepEqual(await v('quantile_over_time(0.5, {app="web"} | logfmt | unwrap latency [5m]) by (app)'), [[{ app: 'web' }, '0.5']]);
    assert.deepEqual(await v('avg_over_time({app="web"} | logfmt | unwrap latency [5m]) by (env)'), [[{ env: 'prod' }, String((0.25 + 1.5 + 0.75 + 0.05) / 4)]]);
  });
});

test('Loki JSON shapes', async () => {
  const logs = toLokiResponse(await range('{app="nginx"} |= "POST"'), { lines: 3, bytes: 200, execSeconds: 0.5 });
  assert.deepEqual(JSON.parse(JSON.stringify(logs)), {
    status: 'success',
    data: {
      resultType: 'streams',
      result: [{ stream: { app: 'nginx', env: 'edge', request_id: 'r2' }, values: [[`${T0 + 2_000}000000`, '10.0.0.2 - - [20/Oct/2024:12:00:02 +0000] "POST /api/pay HTTP/1.1" 500 17']] }],
      stats: { summary: { bytesProcessedPerSecond: 400, linesProcessedPerSecond: 6, totalBytesProcessed: 200, totalLinesProcessed: 3, execTime: 0.5 } },
    },
  });
  const vec = toLokiResponse(await queryInstant(store, 'sum(count_over_time({app="web"}[1m]))', { time: T0 + 60_000 }));
  assert.deepEqual(JSON.parse(JSON.stringify(vec)), { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [(T0 + 60_000) / 1000, '4'] }], stats: {} } });
  const sc = toLokiResponse(await queryInstant(store, '1 + 2', { time: T0 }));
  assert.deepEqual(sc.data.result, [T0 / 1000, '3']);
});

test('traceLines follows a request id across streams in time order', async () => {
  const got = await traceLines(store, 'r2', T0, T0 + 120_000);
  assert.deepEqual(got.map((e) => e.labels.app), ['nginx', 'api', 'web']);
  assert.deepEqual(got.map((e) => e.t), [T0 + 2_000, T0 + 10_000, T0 + 20_000]);
});

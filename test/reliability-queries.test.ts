import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encodeWriteRequest } from '../src/ingest/index.js';
import { freePort } from './helpers/services.js';
import { runCli, startServer, type ServerProcess } from './helpers/vigil-process.js';

/**
 * Issue 15, defect 2: a query must never take the process down. The queries that killed it
 * (V8 invalid array size) and their relatives on every query path get a clear 4xx before any
 * work; afterwards the server still serves and the data acknowledged before is all there.
 */

const HOUR = 3600_000;
const YEAR = 365 * 24 * HOUR;
let dir: string;
let server: ServerProcess;
let now: number;
const PROBES = 240;
const LOG_LINES = 500;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-rel-queries-'));
  writeFileSync(join(dir, 'vigil.yml'), 'checks: []\n');
  server = await startServer(['--config', join(dir, 'vigil.yml'), '--data-dir', join(dir, 'data')], await freePort());
  now = Math.floor(Date.now() / 1000) * 1000;
  const samples = Array.from({ length: PROBES }, (_, i) => ({ timestamp: now - HOUR + (i + 1) * 15_000, value: 1 }));
  const rw = await fetch(`${server.url}/api/v1/write`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
    body: encodeWriteRequest({ timeseries: [{ labels: [{ name: '__name__', value: 'probe_success' }, { name: 'check', value: 'web' }], samples }] }),
  });
  assert.equal(rw.status, 204, await rw.text());
  const values = Array.from({ length: LOG_LINES }, (_, i) => [String((now - HOUR + i * 7000) * 1e6), `GET /item/${i} 200 request_id=req-${i}`]);
  const push = await fetch(`${server.url}/loki/api/v1/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ streams: [{ stream: { job: 'x' }, values }] }) });
  assert.equal(push.status, 204, await push.text());
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function get(path: string): Promise<{ status: number; text: string; json: Record<string, unknown> | undefined }> {
  const r = await fetch(`${server.url}${path}`);
  const text = await r.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: r.status, text, json };
}
const s = (ms: number): string => String(ms / 1000);

/** Still serving, and everything acknowledged before is still there. */
async function stillServing(): Promise<void> {
  assert.equal(server.child.exitCode, null, `the server exited:\n${server.output()}`);
  assert.equal((await get('/readyz')).status, 200);
  const m = await get(`/api/v1/query?query=${encodeURIComponent('count_over_time(probe_success[2h])')}&time=${s(now)}`);
  assert.equal(m.status, 200, m.text);
  assert.equal(((m.json?.['data'] as { result: Array<{ value: [number, string] }> }).result[0]?.value[1]), String(PROBES));
  const l = await get(`/loki/api/v1/query?query=${encodeURIComponent('sum(count_over_time({job="x"}[2h]))')}&time=${s(now)}`);
  assert.equal(l.status, 200, l.text);
  assert.equal(((l.json?.['data'] as { result: Array<{ value: [number, string] }> }).result[0]?.value[1]), String(LOG_LINES));
}

describe('PromQL paths', () => {
  test('the issue query max_over_time(probe_success[1y:1ms]) answers 400 bad_data at once', async () => {
    const r = await get(`/api/v1/query?query=${encodeURIComponent('max_over_time(probe_success[1y:1ms])')}`);
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json?.['status'], 'error');
    assert.equal(r.json?.['errorType'], 'bad_data');
    assert.match(String(r.json?.['error']), /subquery would evaluate its expression at 31,536,000,001 steps, more than the limit of 200,000 \(metrics\.max_subquery_steps\)/);
    await stillServing();
  });

  test('a range query over a year at 1 ms steps answers 400 as Prometheus does', async () => {
    const r = await get(`/api/v1/query_range?query=probe_success&start=${s(now - YEAR)}&end=${s(now)}&step=0.001`);
    assert.equal(r.status, 400, r.text);
    assert.match(String(r.json?.['error']), /exceeded maximum resolution of 11,000 points per timeseries/);
    const sub = await get(`/api/v1/query_range?query=${encodeURIComponent('max_over_time(probe_success[1d:1ms])')}&start=${s(now - HOUR)}&end=${s(now)}&step=60`);
    assert.equal(sub.status, 400, sub.text);
    await stillServing();
  });

  test('/api/v1/series and /api/v1/labels list without decoding samples, with Prometheus\'s limit parameter', async () => {
    const series = await get(`/api/v1/series?match[]=${encodeURIComponent('{__name__=~".+"}')}&start=${s(now - YEAR)}&end=${s(now)}`);
    assert.equal(series.status, 200, series.text);
    assert.deepEqual(series.json?.['data'], [{ __name__: 'probe_success', check: 'web' }]);
    const limited = await get(`/api/v1/labels?limit=1`);
    assert.equal(limited.status, 200);
    assert.deepEqual(limited.json?.['data'], ['__name__']);
    assert.deepEqual(limited.json?.['warnings'], ['results truncated due to limit']);
    const bad = await get(`/api/v1/series?match[]=probe_success&limit=-1`);
    assert.equal(bad.status, 400);
    await stillServing();
  });

  test('vigil query prints the limit error and exits 1', async () => {
    const r = await runCli(['query', 'max_over_time(probe_success[1y:1ms])', '--url', server.url]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /400 Bad Request: .*subquery would evaluate its expression at 31,536,000,001 steps/);
    await stillServing();
  });
});

describe('LogQL paths', () => {
  test('the issue query count_over_time({job="x"}[1m]) over a year at step=0.001 answers 400 at once', async () => {
    const q = encodeURIComponent('count_over_time({job="x"}[1m])');
    const r = await get(`/loki/api/v1/query_range?query=${q}&start=${(now - YEAR) * 1e6}&end=${now * 1e6}&step=0.001`);
    assert.equal(r.status, 400, r.text);
    assert.match(r.text, /^exceeded maximum resolution of 11,000 points per timeseries\. Try increasing the value of the step parameter$/);
    await stillServing();
  });

  test('query length, entries limit and series count answer 400 with Loki\'s wording', async () => {
    const year = await get(`/loki/api/v1/query_range?query=${encodeURIComponent('count_over_time({job="x"}[1m])')}&start=${s(now - YEAR)}&end=${s(now)}&step=3600`);
    assert.equal(year.status, 400);
    assert.match(year.text, /the query time range exceeds the limit \(query length: 8760h/);
    const entries = await get(`/loki/api/v1/query_range?query=${encodeURIComponent('{job="x"}')}&limit=100000`);
    assert.equal(entries.status, 400);
    assert.match(entries.text, /max entries limit per query exceeded, limit > max_entries_limit \(100000 > 5000/);
    const instant = await get(`/loki/api/v1/query?query=${encodeURIComponent('count_over_time({job="x"}[400d])')}`);
    assert.equal(instant.status, 400);
    const series = await get(`/loki/api/v1/series?match[]=${encodeURIComponent('{job="x"}')}&start=${s(now - YEAR)}&end=${s(now)}`);
    assert.equal(series.status, 400);
    assert.match(series.text, /query time range exceeds the limit/);
    const ok = await get(`/loki/api/v1/series?match[]=${encodeURIComponent('{job="x"}')}&start=${s(now - 2 * HOUR)}&end=${s(now + 1000)}`);
    assert.deepEqual(ok.json?.['data'], [{ job: 'x' }]);
    assert.deepEqual((await get('/loki/api/v1/labels')).json?.['data'], ['job']);
    await stillServing();
  });

  test('the trace view refuses a limit over max_entries_limit and a span over max_query_length', async () => {
    const big = await get(`/api/v1/logs/trace/req-499?limit=100000`);
    assert.equal(big.status, 400, big.text);
    assert.match(String(big.json?.['message']), /max entries limit per query exceeded/);
    const long = await get(`/api/v1/logs/trace/req-499?start=${s(now - YEAR)}&end=${s(now)}`);
    assert.equal(long.status, 400);
    const one = await get(`/api/v1/logs/trace/req-499?start=${s(now - 2 * HOUR)}&end=${s(now + 1000)}`);
    assert.equal(one.status, 200, one.text);
    assert.equal((one.json?.['lines'] as unknown[]).length, 1);
    await stillServing();
  });

  test('vigil logs query over a year prints the limit error and exits 1', async () => {
    const r = await runCli(['logs', 'query', 'count_over_time({job="x"}[1m])', '--since', '365d', '--url', server.url]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /400 Bad Request: the query time range exceeds the limit/);
    await stillServing();
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { VigilApp, createLogger } from '../src/app/index.js';
import { validateConfig } from '../src/config/index.js';
import { encodeWriteRequest } from '../src/ingest/index.js';
import type { TimeSeries } from '../src/ingest/remote-write.js';
import { FakeClock } from '../src/model/clock.js';
import { freePort } from './helpers/services.js';
import { startServer, type ServerProcess } from './helpers/vigil-process.js';

/**
 * Issue 15, defect 1: one remote-written sample a year ahead must neither be accepted silently
 * nor, when it is in the store anyway, cost a single acknowledged sample or current write.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'vigil-rel-metrics-'));
  dirs.push(d);
  return d;
}

async function remoteWrite(base: string, timeseries: TimeSeries[]): Promise<{ status: number; text: string }> {
  const r = await fetch(`${base}/api/v1/write`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' },
    body: encodeWriteRequest({ timeseries }),
  });
  return { status: r.status, text: await r.text() };
}

const HOSTS = ['a', 'b', 'c'];
/** `load{host}` every 15 s over [from, to): the acknowledged data the test expects back. */
function loadSeries(from: number, to: number): TimeSeries[] {
  return HOSTS.map((host) => {
    const samples = [];
    for (let t = from; t < to; t += 15_000) samples.push({ timestamp: t, value: t / 1000 });
    return { labels: [{ name: '__name__', value: 'load' }, { name: 'host', value: host }], samples };
  });
}
const FUTURE: (at: number) => TimeSeries[] = (at) => [{ labels: [{ name: '__name__', value: 'from_the_future' }, { name: 'job', value: 'x' }], samples: [{ timestamp: at, value: 1 }] }];

/** Samples of `load` per host within the last `window` before `at`, through the HTTP API. */
async function countLoad(base: string, at: number, window: string): Promise<Record<string, number>> {
  const q = encodeURIComponent(`count_over_time(load[${window}])`);
  const r = await fetch(`${base}/api/v1/query?query=${q}&time=${at / 1000}`);
  assert.equal(r.status, 200);
  const body = (await r.json()) as { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  return Object.fromEntries(body.data.result.map((s) => [s.metric['host'], Number(s.value[1])]));
}

describe('a sample far in the future (in-process server, injected clock)', () => {
  const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);

  const running = new Set<VigilApp>();
  after(async () => {
    for (const app of running) await app.stop();
  });
  async function startApp(dir: string, clock: FakeClock, metrics: Record<string, unknown> = {}): Promise<{ app: VigilApp; base: string }> {
    const cfg = validateConfig({ metrics });
    assert.ok(cfg.ok, JSON.stringify(cfg));
    const app = await VigilApp.create({ config: cfg.config, dataDir: dir, listen: '127.0.0.1:0', env: {}, clock, logger: createLogger('silent') });
    running.add(app);
    return { app, base: await app.start() };
  }
  async function stopApp(app: VigilApp): Promise<void> {
    running.delete(app);
    await app.stop();
  }

  /** Lets the store's compaction timer fire a few times, then waits for the compaction it started. */
  async function compactionRounds(app: VigilApp, clock: FakeClock, n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      await clock.advance(MIN);
      await app.tsdb.compact();
    }
  }

  test('is refused with 400 naming the series and timestamp; data and current writes are unaffected', async () => {
    const dir = tempDir();
    const clock = new FakeClock(T0);
    let { app, base } = await startApp(dir, clock);
    {
      assert.equal((await remoteWrite(base, loadSeries(T0 - 6 * HOUR, T0))).status, 204);
      const bad = await remoteWrite(base, FUTURE(T0 + 365 * DAY));
      assert.equal(bad.status, 400, bad.text);
      assert.match(bad.text, /from_the_future/);
      assert.match(bad.text, /2027-06-01T12:00:00\.000Z/);
      assert.match(bad.text, /too far in the future/);
      assert.equal((await remoteWrite(base, FUTURE(T0 + 5 * MIN))).status, 204, 'inside the 10 min grace period');
      await compactionRounds(app, clock, 5);
      assert.ok(app.tsdb.stats().blocks >= 1, 'compaction ran');
      assert.deepEqual(await countLoad(base, clock.now(), '7h'), { a: 1440, b: 1440, c: 1440 });
      assert.equal((await remoteWrite(base, loadSeries(clock.now(), clock.now() + 1))).status, 204, 'current writes are accepted');
      await stopApp(app);
      ({ app, base } = await startApp(dir, clock));
      assert.deepEqual(await countLoad(base, clock.now(), '7h'), { a: 1441, b: 1441, c: 1441 });
      await stopApp(app);
    }
  });

  test('already in the store (grace check off): compaction keeps every acknowledged sample and current writes', async () => {
    const dir = tempDir();
    const clock = new FakeClock(T0);
    let { app, base } = await startApp(dir, clock, { creation_grace_period: '0s' });
    {
      assert.equal((await remoteWrite(base, loadSeries(T0 - 6 * HOUR, T0))).status, 204);
      assert.equal((await remoteWrite(base, FUTURE(T0 + 365 * DAY))).status, 204);
      await compactionRounds(app, clock, 5);
      assert.ok(app.tsdb.stats().blocks >= 1, 'the finished head ranges are in blocks');
      assert.deepEqual(await countLoad(base, clock.now(), '7h'), { a: 1440, b: 1440, c: 1440 });
      const now = await remoteWrite(base, loadSeries(clock.now(), clock.now() + 1));
      assert.equal(now.status, 204, now.text);
      await stopApp(app);
      ({ app, base } = await startApp(dir, clock, { creation_grace_period: '0s' }));
      await compactionRounds(app, clock, 2);
      assert.deepEqual(await countLoad(base, clock.now(), '7h'), { a: 1441, b: 1441, c: 1441 });
      await stopApp(app);
    }
  });
});

describe('a sample far in the future (vigil server process)', () => {
  test('400, the server keeps serving, and what was acknowledged before is still there after a restart', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'vigil.yml'), 'checks: []\n');
    const args = ['--config', join(dir, 'vigil.yml'), '--data-dir', join(dir, 'data')];
    const port = await freePort();
    let server = await startServer(args, port);
    try {
      const now = Math.floor(Date.now() / 1000) * 1000;
      assert.equal((await remoteWrite(server.url, loadSeries(now - HOUR, now))).status, 204);
      const bad = await remoteWrite(server.url, FUTURE(now + 365 * DAY));
      assert.equal(bad.status, 400, bad.text);
      assert.match(bad.text, /from_the_future.*too far in the future/s);
      assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
      assert.deepEqual(await countLoad(server.url, now, '2h'), { a: 240, b: 240, c: 240 });
      assert.equal(await server.stop(), 0);
      server = await startServer(args, port);
      assert.deepEqual(await countLoad(server.url, now, '2h'), { a: 240, b: 240, c: 240 });
      const future = await fetch(`${server.url}/api/v1/series?match[]=from_the_future`);
      assert.deepEqual(((await future.json()) as { data: unknown[] }).data, []);
    } finally {
      await server.stop();
    }
  });
});

describe('a 10 MB label value (vigil server process)', () => {
  const BIG = 'x'.repeat(10 * 1024 * 1024);
  let server: ServerProcess;
  let exporter: Server;
  let dir: string;
  const now = Math.floor(Date.now() / 1000) * 1000;

  before(async () => {
    dir = tempDir();
    // A scrape target exposing one series whose label value is 10 MB long.
    exporter = createServer((_req, res) => res.end(`# TYPE big gauge\nbig{v="${BIG}"} 1\n`));
    await new Promise<void>((r) => exporter.listen(0, '127.0.0.1', r));
    const target = `127.0.0.1:${(exporter.address() as AddressInfo).port}`;
    writeFileSync(join(dir, 'vigil.yml'), `checks: []\nscrape_configs:\n  - job_name: big\n    scrape_interval: 5s\n    scrape_timeout: 5s\n    static_configs: [{targets: ["${target}"]}]\n`);
    server = await startServer(['--config', join(dir, 'vigil.yml'), '--data-dir', join(dir, 'data')], await freePort());
    assert.equal((await remoteWrite(server.url, loadSeries(now - HOUR, now))).status, 204);
  });
  after(async () => {
    await server?.stop();
    await new Promise((r) => exporter?.close(r));
  });

  /** The error a client sees names the limit and stays short: the 10 MB value does not come back. */
  function clear(text: string, key: string): void {
    assert.ok(text.length < 2000, `the error is ${text.length} characters long`);
    assert.match(text, new RegExp(`10,485,760 bytes long, longer than the limit of 2,048 \\(${key.replace('.', '\\.')}\\)`));
  }

  test('remote-write answers 400 before decoding it', async () => {
    const r = await remoteWrite(server.url, [{ labels: [{ name: '__name__', value: 'big' }, { name: 'v', value: BIG }], samples: [{ timestamp: now, value: 1 }] }]);
    assert.equal(r.status, 400);
    clear(r.text, 'metrics.max_label_value_length');
    assert.match(r.text, /^timeseries 0: the value of label "v"/);
  });

  test('Loki push, NDJSON and OTLP answer 400', async () => {
    const post = (path: string, body: unknown) => fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const loki = await post('/loki/api/v1/push', { streams: [{ stream: { job: 'x', v: BIG }, values: [[String(now * 1e6), 'hello']] }] });
    assert.equal(loki.status, 400);
    clear(await loki.text(), 'logs.max_label_value_length');
    const ndjson = await fetch(`${server.url}/api/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: JSON.stringify({ line: 'hello', labels: { job: 'x', v: BIG } }) + '\n' });
    assert.equal(ndjson.status, 400);
    clear(await ndjson.text(), 'logs.max_label_value_length');
    const otlp = await post('/v1/logs', {
      resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: BIG } }] }, scopeLogs: [{ logRecords: [{ timeUnixNano: String(now * 1e6), body: { stringValue: 'hello' } }] }] }],
    });
    assert.equal(otlp.status, 400);
    clear(await otlp.text(), 'logs.max_label_value_length');
    const many = await post('/loki/api/v1/push', { streams: [{ stream: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`l${i}`, 'v'])), values: [[String(now * 1e6), 'hello']] }] });
    assert.equal(many.status, 400);
    assert.match(await many.text(), /16 labels, more than the limit of 15 \(logs\.max_label_names_per_series\)/);
  });

  test('a scrape exposing it fails as Prometheus fails it: up = 0, the reason on the target', async () => {
    let target: { health: string; lastError: string } | undefined;
    // (A loaded machine may time the 10 MB scrape out first: wait for a scrape that got the body.)
    for (let i = 0; i < 300; i++) {
      const r = await fetch(`${server.url}/api/v1/targets`);
      target = ((await r.json()) as { data: { activeTargets: Array<{ health: string; lastError: string }> } }).data.activeTargets[0];
      if (target?.lastError.includes('label')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(target?.health, 'down');
    clear(target?.lastError ?? '', 'label_value_length_limit');
    const up = await fetch(`${server.url}/api/v1/query?query=up%7Bjob%3D%22big%22%7D`);
    const result = ((await up.json()) as { data: { result: Array<{ value: [number, string] }> } }).data.result;
    assert.equal(result[0]?.value[1], '0');
  });

  test('the server keeps serving and what was acknowledged is there', async () => {
    assert.equal(server.child.exitCode, null);
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
    assert.deepEqual(await countLoad(server.url, now, '2h'), { a: 240, b: 240, c: 240 });
    const series = await fetch(`${server.url}/api/v1/series?match[]=big`);
    assert.deepEqual(((await series.json()) as { data: unknown[] }).data, []);
  });
});

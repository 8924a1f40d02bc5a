import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { ProtoWriter } from '../../src/ingest/protobuf.js';
import { eventually, freePort } from '../helpers/services.js';
import { runCli, startServer, type ServerProcess } from '../helpers/vigil-process.js';
import { deepKvlistProto } from './mutate.js';

// Issue 15's defect 5 and smaller items, each reproduced against a real `vigil server`
// (defect 3 is test/hostile/wal-replay.test.ts). Bodies, not URLs, carry the deep queries:
// the server cuts long URLs at 431 before any parser sees them.
const ADMIN = 'admin-secret-for-hostile-tests-0123';
const GRAFANA = 'grafana-secret-for-hostile-tests-01';
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

let server: ServerProcess;
let dir: string;

async function answer(path: string, body: string | Uint8Array, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const r = await fetch(`${server.url}${path}`, { method: 'POST', headers: { ...auth(ADMIN), ...headers }, body });
  return { status: r.status, text: await r.text() };
}

/** A POST on a connection of its own, the body written while the answer may already be coming. */
function rawPost(path: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; text: string } | { error: string }> {
  const u = new URL(server.url);
  return new Promise((resolve) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'POST', agent: false, headers: { ...auth(ADMIN), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end(body);
  });
}

const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (p: Record<string, string>) => new URLSearchParams(p).toString();

describe('issue 15 regressions against a real server', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-hostile-'));
    writeFileSync(
      join(dir, 'vigil.yml'),
      `server:
  tokens:
    - {name: root, role: admin, secret_env: HOSTILE_ADMIN}
    - {name: grafana, role: viewer, secret_env: HOSTILE_GRAFANA}
logs: {}
metrics: {max_total_samples: 200000}
services:
  - {name: db, owner: team-db}
checks:
  - {name: db-down, service: db, type: tcp, target: '127.0.0.1:1', interval: 1s, timeout: 500ms, failure_threshold: 1, severity: critical}
`,
    );
    server = await startServer(['--config', join(dir, 'vigil.yml'), '--data-dir', join(dir, 'data')], await freePort(), { HOSTILE_ADMIN: ADMIN, HOSTILE_GRAFANA: GRAFANA });
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('defect 5: OTLP kvlistValue nested 20,000 levels is a 400 naming the record (JSON and protobuf)', async () => {
    const n = 20_000;
    const deep = `${'{"kvlistValue":{"values":[{"key":"k","value":'.repeat(n)}{"stringValue":"leaf"}${'}]}}'.repeat(n)}`;
    const json = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"x"},"attributes":[{"key":"a","value":${deep}}]}]}]}]}`;
    let r = await answer('/v1/logs', json, { 'content-type': 'application/json' });
    assert.equal(r.status, 400, r.text);
    assert.match(r.text, /logRecords\[0\]\.attributes\[0\]\.value.*AnyValue nests deeper than 100 levels/);

    const v = deepKvlistProto(n);
    const rec = new ProtoWriter().bytes(6, new ProtoWriter().string(1, 'a').bytes(2, v).finish()).finish();
    const proto = new ProtoWriter().bytes(1, new ProtoWriter().bytes(2, new ProtoWriter().bytes(2, rec).finish()).finish()).finish();
    r = await answer('/v1/logs', proto, { 'content-type': 'application/x-protobuf' });
    assert.equal(r.status, 400, r.text);
    assert.match(r.text, /log_records\[0\].*AnyValue nests deeper than 100 levels/);
  });

  test('defect 5: NDJSON with a field nested 20,000 levels is a 400 naming the line', async () => {
    const r = await answer('/api/v1/logs', `{"line":"ok"}\n{"line":"x","f":${'['.repeat(20_000)}${']'.repeat(20_000)}}`, { 'content-type': 'application/x-ndjson' });
    assert.equal(r.status, 400, r.text);
    assert.match(r.text, /line 2: \\?"f\\?" nests deeper than 100 levels/);
  });

  test('defect 5: PromQL nested past the limit in a POST body is a 400; at the limit it evaluates', async () => {
    for (const q of [`${'('.repeat(20_000)}1${')'.repeat(20_000)}`, Array(20_000).fill('up').join(' or '), `${'abs('.repeat(600)}up${')'.repeat(600)}`]) {
      const r = await answer('/api/v1/query', form({ query: q }), formHeaders);
      assert.equal(r.status, 400, r.text.slice(0, 300));
      assert.match(r.text, /"errorType":"bad_data".*expression nests deeper than 512 levels/);
    }
    for (const q of [`${'abs('.repeat(500)}up${')'.repeat(500)}`, `${'sum('.repeat(500)}up${')'.repeat(500)}`, `${'('.repeat(510)}up${')'.repeat(510)}`, Array(500).fill('up').join(' + ')]) {
      const r = await answer('/api/v1/query_range', form({ query: q, start: String(Date.now() / 1000 - 300), end: String(Date.now() / 1000), step: '60' }), formHeaders);
      assert.equal(r.status, 200, r.text.slice(0, 300));
    }
  });

  test('a 30 MB query body gets its 413, not a connection reset, and the server keeps answering', async () => {
    // The 413 is decided from Content-Length before the body is read; closing the socket with
    // the client still sending made the kernel reset the connection under the answer.
    const body = Buffer.from(`query=${'('.repeat(15 * 1024 * 1024)}1${')'.repeat(15 * 1024 * 1024)}`);
    for (let i = 0; i < 3; i++) {
      const r = await rawPost('/api/v1/query', body, formHeaders);
      assert.ok('status' in r, `attempt ${i + 1}: ${'error' in r ? r.error : ''} instead of an answer`);
      assert.equal(r.status, 413, r.text);
      assert.match(r.text, /"errorType":"payload_too_large".*larger than this endpoint accepts/);
    }
    const q = await answer('/api/v1/query', form({ query: '1+1' }), formHeaders);
    assert.equal(q.status, 200, q.text);
  });

  test('a query over metrics.max_total_samples is a 422 naming the limit; the server keeps answering and keeps its data', async () => {
    const now = Math.floor(Date.now() / 1000);
    const before = await answer('/api/v1/query', form({ query: 'count(probe_success)', time: String(now) }), formHeaders);
    // 3 h at 1 s: 10,801 points per level, 20 levels of abs() are over 200,000.
    const r = await answer('/api/v1/query_range', form({ query: `${'abs('.repeat(20)}vector(1)${')'.repeat(20)}`, start: String(now - 3 * 3600), end: String(now), step: '1' }), formHeaders);
    assert.equal(r.status, 422, r.text.slice(0, 300));
    assert.match(r.text, /"errorType":"execution".*more than 200,000 over all steps and operators \(metrics\.max_total_samples\)/);
    const small = await answer('/api/v1/query_range', form({ query: `${'abs('.repeat(5)}vector(1)${')'.repeat(5)}`, start: String(now - 3 * 3600), end: String(now), step: '1' }), formHeaders);
    assert.equal(small.status, 200, small.text.slice(0, 300));
    const after = await answer('/api/v1/query', form({ query: 'count(probe_success)', time: String(now) }), formHeaders);
    assert.equal(after.status, 200);
    assert.equal(after.text, before.text);
  });

  test('10 MB of lines that share no template: mining stops making patterns past its budget, every line is stored', async () => {
    // 6,000 lines of random words, one service: more new patterns than the miner's burst (5,000).
    let x = 12345;
    const word = () => {
      let w = '';
      for (let i = 0; i < 7; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        w += String.fromCharCode(97 + ((x >>> 0) % 26));
      }
      return w;
    };
    const now = Date.now();
    const body = Array.from({ length: 6000 }, (_, i) => JSON.stringify({ ts: now - 1000, labels: { service: 'flood' }, line: `${word()} ${word()} ${word()} ${word()} ${word()} ${i % 2 ? word() : ''}`.trim() })).join('\n');
    const r = await answer('/api/v1/logs', body, { 'content-type': 'application/x-ndjson' });
    assert.equal(r.status, 200, r.text.slice(0, 300));
    await eventually('all 6,000 lines counted by LogQL', async () => {
      const q = await answer('/loki/api/v1/query', form({ query: 'sum(count_over_time({service="flood"}[10m]))', time: String(Date.now() / 1000) }), formHeaders);
      return q.status === 200 && /"6000"/.test(q.text) ? q : undefined;
    });
    const patterns = await fetch(`${server.url}/api/v1/logs/patterns?service=flood&limit=10000`, { headers: auth(ADMIN) });
    assert.equal(patterns.status, 200);
    const n = ((await patterns.json()) as { patterns?: unknown[]; data?: unknown[] });
    const count = (n.patterns ?? n.data ?? []).length;
    // The burst (5,000), plus what refilled (50/s) while the push was mined: fewer than the lines.
    assert.ok(count >= 4_900 && count < 5_600, `${count} patterns`);
    const health = await fetch(`${server.url}/readyz`);
    assert.equal(health.status, 200);
  });

  test('defect 5: LogQL nested past the limit in a POST body is a 400; deep but allowed queries evaluate', async () => {
    const now = String(Date.now() / 1000);
    for (const q of [`sum(${'('.repeat(20_000)}count_over_time({a="b"}[1m])${')'.repeat(20_000)})`, `{a="b"} | ${Array(20_000).fill('x="1"').join(' or ')}`]) {
      const r = await answer('/loki/api/v1/query', form({ query: q, time: now }), formHeaders);
      assert.equal(r.status, 400, r.text.slice(0, 300));
      assert.match(r.text, /query nests deeper than 512 levels/);
    }
    await answer('/api/v1/logs', '{"labels":{"a":"b"},"line":"x=1 y=2"}', { 'content-type': 'application/x-ndjson' });
    for (const q of [`${'sum('.repeat(250)}count_over_time({a="b"}[1m])${')'.repeat(250)}`, `{a="b"} | logfmt | ${Array(500).fill('x="1"').join(' or ')}`]) {
      const r = await answer('/loki/api/v1/query_range', form({ query: q, start: String(Date.now() / 1000 - 300), end: now, step: '60' }), formHeaders);
      assert.equal(r.status, 200, r.text.slice(0, 300));
    }
  });

  test('a token in ?access_token= never reaches the log', async () => {
    await fetch(`${server.url}/api/v1/checks?access_token=${ADMIN}&x=1`);
    await eventually('the request is logged', async () => (server.output().includes('access_token=[REDACTED]') ? true : undefined), 10_000);
    assert.ok(!server.output().includes(ADMIN), 'the token leaked into the log');
  });

  test('a lone surrogate in an incident note is stored and read back as it was answered', async () => {
    const id = await eventually('the failing check opens an incident', async () => {
      const r = (await (await fetch(`${server.url}/api/v1/incidents`, { headers: auth(GRAFANA) })).json()) as { incidents: Array<{ id: string }> };
      return r.incidents[0]?.id;
    });
    const r = await answer(`/api/v1/incidents/${id}/notes`, '{"text":"cut \\ud83d here, whole \\ud83d\\ude00"}', { 'content-type': 'application/json' });
    assert.equal(r.status, 201, r.text);
    const echoed = (JSON.parse(r.text) as { message: string }).message;
    assert.equal(echoed, 'cut \ufffd here, whole \u{1F600}');
    const detail = (await (await fetch(`${server.url}/api/v1/incidents/${id}`, { headers: auth(GRAFANA) })).json()) as { timeline: Array<{ message?: string }> };
    assert.ok(detail.timeline.some((e) => e.message === echoed), JSON.stringify(detail.timeline));
  });

  test('vigil.yml: a hostile configuration through `vigil check-config`', async () => {
    // One run (a CLI start costs seconds); the loader test above covers the variety.
    const file = join(dir, 'bad.yml');
    writeFileSync(file, `services: [{name: a, owner: b}]\nroute: ${'['.repeat(300)}${']'.repeat(300)}\n`);
    const r = await runCli(['check-config', file]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /bad\.yml:2:\d+: nested deeper than 64 levels/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });

  // Last: it leaves 127.0.0.1 blocked for guesses for a minute.
  test('while an address is blocked for bad tokens, a token already used from it keeps working', async () => {
    assert.equal((await fetch(`${server.url}/api/v1/checks`, { headers: auth(GRAFANA) })).status, 200);
    let last = 0;
    for (let i = 0; i < 12; i++) last = (await fetch(`${server.url}/api/v1/checks`, { headers: auth(`wrong-token-${i}`) })).status;
    assert.equal(last, 429);
    assert.equal((await fetch(`${server.url}/api/v1/checks`, { headers: auth(GRAFANA) })).status, 200, 'the valid user is not locked out');
    assert.equal((await fetch(`${server.url}/api/v1/checks`, { headers: auth('one-more-guess') })).status, 429);
  });
});

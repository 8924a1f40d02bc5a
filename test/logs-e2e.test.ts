import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { VigilApp, createLogger } from '../src/app/index.js';
import { validateConfig } from '../src/config/index.js';
import { runCli } from './helpers/vigil-process.js';

const SECRET = 'hunter2-very-secret';

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

describe('logs end to end: push, redact, query, trace, patterns, detectors', () => {
  let app: VigilApp;
  let base: string;
  let dir: string;
  const now = Date.now();
  const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-logs-'));
    const cfg = validateConfig({ logs: { detectors: {} } });
    assert.ok(cfg.ok, cfg.ok ? '' : cfg.errors.join('\n'));
    app = await VigilApp.create({ config: cfg.config, dataDir: dir, listen: '127.0.0.1:0', env: {}, logger: createLogger('silent') });
    base = await app.start();
  });
  after(async () => {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('Loki push (JSON), NDJSON and OTLP/JSON are stored with secrets redacted', async () => {
    const push = {
      streams: [
        {
          stream: { service: 'api', env: 'prod' },
          values: [
            [ns(now - 5000), `level=info msg="login ok" user=alice request_id=req-42 password=${SECRET}`],
            [ns(now - 4000), 'level=error msg="upstream timeout exceeded" request_id=req-42 duration=1.5s'],
            [ns(now - 3000), 'level=error msg="database connection failed" host=db1'],
          ],
        },
      ],
    };
    let r = await fetch(`${base}/loki/api/v1/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(push) });
    assert.equal(r.status, 204, await r.text());
    const nd = [
      JSON.stringify({ ts: new Date(now - 2500).toISOString(), labels: { service: 'worker' }, line: 'picked job for request_id=req-42', level: 'info' }),
      JSON.stringify({ ts: new Date(now - 2000).toISOString(), labels: { service: 'worker' }, line: `Authorization: Bearer ${SECRET}abcdef0123456789` }),
    ].join('\n');
    r = await fetch(`${base}/api/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: nd });
    assert.equal(r.status, 200, await r.text());
    const otlp = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'billing' } }] },
          scopeLogs: [{ logRecords: [{ timeUnixNano: ns(now - 1000), severityText: 'WARN', body: { stringValue: 'charge retried for req-42' } }] }],
        },
      ],
    };
    r = await fetch(`${base}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(otlp) });
    assert.equal(r.status, 200, await r.text());

    const q = new URLSearchParams({ query: '{service="api"} |= "timeout"', start: String((now - 60_000) / 1000), end: String((now + 1000) / 1000) });
    r = await fetch(`${base}/loki/api/v1/query_range?${q}`);
    const body = (await r.json()) as { status: string; data: { resultType: string; result: Array<{ stream: Record<string, string>; values: Array<[string, string]> }> } };
    assert.equal(body.status, 'success');
    assert.equal(body.data.resultType, 'streams');
    const lines = body.data.result.flatMap((s) => s.values.map((v) => v[1]));
    assert.deepEqual(lines, ['level=error msg="upstream timeout exceeded" request_id=req-42 duration=1.5s']);

    const all = await fetch(`${base}/loki/api/v1/query_range?${new URLSearchParams({ query: '{service=~".+"}', start: String((now - 60_000) / 1000), end: String((now + 1000) / 1000), limit: '100' })}`);
    const text = await all.text();
    assert.ok(!text.includes(SECRET), 'a secret came back from a query');
    assert.match(text, /password=/);

    // Never on disk either, compressed or not.
    await app.logs.checkpoint();
    for (const f of allFiles(join(dir, 'logs'))) {
      let content = readFileSync(f);
      if (f.endsWith('.gz')) content = gunzipSync(content);
      assert.ok(!content.toString('latin1').includes(SECRET), `secret on disk in ${f}`);
    }

    const labels = (await (await fetch(`${base}/loki/api/v1/label/service/values`)).json()) as { data: string[] };
    assert.deepEqual(labels.data, ['api', 'worker']);
    // OTLP resources keep Loki's naming: service.name becomes service_name.
    const otlpLabels = (await (await fetch(`${base}/loki/api/v1/label/service_name/values`)).json()) as { data: string[] };
    assert.deepEqual(otlpLabels.data, ['billing']);
  });

  test('queries on one keep-alive connection leave no listeners behind on its socket', async () => {
    const { Agent, get } = await import('node:http');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const qs = new URLSearchParams({ query: 'sum by (level) (count_over_time({service="api"}[5m]))', start: ns(now - 3600_000), end: ns(now) });
      for (let i = 0; i < 15; i++) {
        const status = await new Promise<number>((resolve, reject) => {
          get(`${base}/loki/api/v1/query_range?${qs}`, { agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          }).on('error', reject);
        });
        assert.equal(status, 200);
      }
      await new Promise((r) => setImmediate(r));
      assert.ok(!warnings.includes('MaxListenersExceededWarning'), warnings.join());
    } finally {
      process.off('warning', onWarning);
      agent.destroy();
    }
  });

  test('bad bodies get a 400 that says where', async () => {
    const r = await fetch(`${base}/loki/api/v1/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"streams": [{"stream": {}, "values": [["x", 1]]}]}' });
    assert.equal(r.status, 400);
    // Loki's shape: the message as plain text.
    assert.match(r.headers.get('content-type') ?? '', /text\/plain/);
    assert.match(await r.text(), /streams\[0\]/);
    const bad = await fetch(`${base}/loki/api/v1/query_range?query=${encodeURIComponent('{service="api"')}`);
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /parse error/);
  });

  test('vigil logs query and vigil logs trace', async () => {
    const q = await runCli(['logs', 'query', '{service="api"} | logfmt | level="error"', '--since', '5m', '--url', base]);
    assert.equal(q.code, 0, q.stderr);
    assert.match(q.stdout, /database connection failed/);
    assert.ok(!q.stdout.includes('login ok'));
    const t = await runCli(['logs', 'trace', 'req-42', '--url', base]);
    assert.equal(t.code, 0, t.stderr);
    const order = t.stdout.trim().split('\n');
    assert.equal(order.length, 4, t.stdout);
    assert.match(order[0] ?? '', /api.*login ok/);
    assert.match(order[3] ?? '', /billing.*charge retried/);
  });

  test('patterns are mined per service and detectors raise alerts', async () => {
    const r = await fetch(`${base}/api/v1/logs/patterns?service=api`);
    const body = (await r.json()) as { patterns: Array<{ template: string; count: number }> };
    assert.ok(body.patterns.length >= 2);
    await app.logsRuntime.tick();
    const alerts = (await (await fetch(`${base}/api/v1/alerts`)).json()) as { alerts: Array<{ labels: Record<string, string>; annotations: Record<string, string> }> };
    const phrases = alerts.alerts.filter((a) => a.labels['detector'] === 'error_phrases' && a.labels['service'] === 'api');
    assert.ok(phrases.length > 0, `an error-phrase alert: ${JSON.stringify(alerts.alerts.map((a) => a.labels))}`);
    const samples = phrases.map((a) => a.annotations['samples'] ?? '').join('\n');
    assert.match(samples, /database connection failed/);
    assert.match(samples, /timeout exceeded/);
  });

  test('logfmt and JSON lines are mined on their message, not on the fields around it', async () => {
    const lines = [
      `time=${new Date(now - 900).toISOString()} level=info msg="cache miss for key users:42" took=3ms`,
      `time=${new Date(now - 800).toISOString()} level=warn msg="cache miss for key users:7" took=12ms caller=db.go:10`,
      JSON.stringify({ ts: new Date(now - 700).toISOString(), level: 'info', msg: 'user logged in', user: 'bob', request_id: 'r1' }),
      JSON.stringify({ ts: new Date(now - 600).toISOString(), level: 'error', msg: 'user logged in', user: 'alice', extra: { n: 1 } }),
      // No message field: the free text is the message.
      JSON.stringify({ time: new Date(now - 500).toISOString(), kind: 'job', detail: 'worker finished the nightly export' }),
    ];
    const push = { streams: [{ stream: { service: 'shop' }, values: lines.map((l, i) => [ns(now - 900 + i * 100), l]) }] };
    const r = await fetch(`${base}/loki/api/v1/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(push) });
    assert.equal(r.status, 204, await r.text());
    const body = (await (await fetch(`${base}/api/v1/logs/patterns?service=shop`)).json()) as { patterns: Array<{ template: string; count: number }> };
    assert.deepEqual(
      body.patterns.map((p) => [p.template, p.count]).sort(),
      [
        ['cache miss for key users:<*>', 2],
        ['user logged in', 2],
        ['worker finished the nightly export', 1],
      ],
    );
  });

  test('an overloaded ingest path answers 429 with Retry-After and loses nothing it accepted', async () => {
    const cfg = validateConfig({ logs: { max_pending_lines: 1 } });
    assert.ok(cfg.ok);
    const d2 = mkdtempSync(join(tmpdir(), 'vigil-logs429-'));
    const small = await VigilApp.create({ config: cfg.config, dataDir: d2, listen: '127.0.0.1:0', env: {}, logger: createLogger('silent') });
    const b2 = await small.start();
    try {
      const bodies = Array.from({ length: 12 }, (_, i) => ({ streams: [{ stream: { service: 's' }, values: [[ns(now + i), `line ${i}`], [ns(now + i), `again ${i}`]] }] }));
      const res = await Promise.all(bodies.map((b) => fetch(`${b2}/loki/api/v1/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) })));
      const codes = res.map((r) => r.status);
      assert.ok(codes.includes(429), `some request was refused: ${codes.join(',')}`);
      assert.ok(codes.every((c) => c === 204 || c === 429));
      const refused = res.find((r) => r.status === 429);
      assert.ok(Number(refused?.headers.get('retry-after')) >= 1);
      const q = new URLSearchParams({ query: '{service="s"}', start: String((now - 1000) / 1000), end: String((now + 60_000) / 1000), limit: '1000' });
      const got = (await (await fetch(`${b2}/loki/api/v1/query_range?${q}`)).json()) as { data: { result: Array<{ values: unknown[] }> } };
      const stored = got.data.result.reduce((n, s) => n + s.values.length, 0);
      assert.equal(stored, 2 * codes.filter((c) => c === 204).length);
    } finally {
      await small.stop();
      rmSync(d2, { recursive: true, force: true });
    }
  });
});

describe('mined patterns and detector baselines survive a restart', () => {
  test('stop saves them; a new server on the same data dir answers with the same pattern ids', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-logs-restart-'));
    try {
      const cfg = validateConfig({ logs: { worker_thread: true } });
      assert.ok(cfg.ok, cfg.ok ? '' : cfg.errors.join('\n'));
      const start = async () => {
        const a = await VigilApp.create({ config: cfg.config, dataDir: dir, listen: '127.0.0.1:0', env: {}, logger: createLogger('silent') });
        return { a, base: await a.start() };
      };
      const first = await start();
      const now = Date.now();
      const values = Array.from({ length: 20 }, (_, i) => [`${BigInt(now - 20_000 + i) * 1_000_000n}`, `2024-10-20 12:00:${String(i).padStart(2, '0')} WARN [main] cache miss for key k${i}`]);
      const r = await fetch(`${first.base}/loki/api/v1/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ streams: [{ stream: { service: 'cache' }, values }] }) });
      assert.equal(r.status, 204, await r.text());
      const before = (await (await fetch(`${first.base}/api/v1/logs/patterns?service=cache`)).json()) as { patterns: Array<{ id: string; template: string; count: number }> };
      assert.deepEqual(before.patterns.map((p) => [p.template, p.count]), [['cache miss for key <*>', 20]], 'mined from the message after the header');
      await first.a.stop();
      assert.ok(JSON.parse(readFileSync(join(dir, 'logs', 'detectors.json'), 'utf8')).new_pattern.seen.length > 0);
      const second = await start();
      try {
        const after = (await (await fetch(`${second.base}/api/v1/logs/patterns?service=cache`)).json()) as { patterns: Array<{ id: string; count: number }> };
        assert.deepEqual(after.patterns.map((p) => [p.id, p.count]), [[before.patterns[0]!.id, 20]]);
      } finally {
        await second.a.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

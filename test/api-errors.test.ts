// One error shape for Vigil's own API, with messages for people; the Prometheus, Loki and
// OTLP endpoints keep the shapes their clients expect.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VigilApp, createLogger } from '../src/app/index.js';
import { validateConfig } from '../src/config/index.js';
import { apiErrorSchema } from '../src/api/index.js';

describe('error bodies', () => {
  let app: VigilApp;
  let base: string;
  let dir: string;
  let incident: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-errors-'));
    const r = validateConfig({});
    assert.ok(r.ok);
    app = await VigilApp.create({ config: r.config, dataDir: dir, listen: '127.0.0.1:0', env: {}, logger: createLogger('fatal') });
    base = await app.start();
    const inc = await app.incidents.handleAlert({
      kind: 'firing',
      alert: { labels: { alertname: 'Down', service: 'api', severity: 'critical' }, annotations: {}, startsAt: Date.now(), endsAt: 0, generatorURL: '', updatedAt: Date.now() },
    });
    assert.ok(inc);
    incident = inc.id;
  });
  after(async () => {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const vigilError = async (res: Response, status: number, code: string, message: RegExp) => {
    assert.equal(res.status, status);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const body = apiErrorSchema.parse(await res.json());
    assert.equal(body.error, code);
    assert.match(body.message, message);
    assert.doesNotMatch(body.message, /Invalid input|received|Invalid option/, 'no raw validation-library text');
  };
  const post = (path: string, body: string, type = 'application/json') => fetch(`${base}${path}`, { method: 'POST', body, headers: { 'content-type': type } });

  test("Vigil's own endpoints: {error, message}, said plainly", async () => {
    await vigilError(await fetch(`${base}/api/v1/incidents?status=bogus`), 400, 'bad_request', /^query\.status: must be one of open, resolved, all, got "bogus"$/);
    await vigilError(await fetch(`${base}/api/v1/incidents?limit=abc`), 400, 'bad_request', /^query\.limit: must be a number$/);
    await vigilError(await fetch(`${base}/api/v1/incidents?limit=0`), 400, 'bad_request', /^query\.limit: must be at least 1$/);
    await vigilError(await fetch(`${base}/api/v1/incidents?colour=red`), 400, 'bad_request', /^query: unknown field "colour"$/);
    await vigilError(await post(`/api/v1/incidents/${incident}/notes`, '{}'), 400, 'bad_request', /^body\.text: is required$/);
    await vigilError(await post(`/api/v1/incidents/${incident}/notes`, '{"text": ""}'), 400, 'bad_request', /^body\.text: must not be empty$/);
    await vigilError(await post(`/api/v1/incidents/${incident}/severity`, '{"severity": "urgent"}'), 400, 'bad_request', /^body\.severity: must be one of critical, high, medium, low, got "urgent"$/);
    await vigilError(await post(`/api/v1/incidents/${incident}/assign`, '{"assignee": 7}'), 400, 'bad_request', /^body\.assignee: must be a string, got 7$/);
    await vigilError(await post(`/api/v1/incidents/${incident}/notes`, '{"text": '), 400, 'bad_request', /^the request body is not valid JSON/);
    await vigilError(await post('/api/v1/incidents/nope/acknowledge', '{}'), 400, 'bad_request', /^params\.id: expected an incident id like INC-2026-0001$/);
    await vigilError(await post('/api/v1/incidents/INC-2026-9999/acknowledge', '{}'), 404, 'not_found', /^incident INC-2026-9999 not found$/);
    await vigilError(await fetch(`${base}/api/v1/checks/none/results?before=yesterday`), 400, 'bad_request', /^query\.before: must be an RFC 3339 time/);
    await vigilError(await post('/api/v1/logs', '{"line": 5}\n', 'application/x-ndjson'), 400, 'bad_request', /line/);
    await vigilError(await fetch(`${base}/api/v1/logs/trace/abc?start=soon`), 400, 'bad_request', /^query: invalid start/);
    await vigilError(await fetch(`${base}/api/v1/no-such-thing`), 404, 'not_found', /^no route GET \/api\/v1\/no-such-thing$/);
    await post(`/api/v1/incidents/${incident}/acknowledge`, '{}');
    await vigilError(await post(`/api/v1/incidents/${incident}/acknowledge`, '{}'), 409, 'conflict', /is acknowledged; only a triggered incident can be acknowledged/);
  });

  test('the Prometheus, Loki and OTLP endpoints keep their own shapes', async () => {
    const prom = await fetch(`${base}/api/v1/query`);
    assert.equal(prom.status, 400);
    assert.deepEqual(await prom.json(), { status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": no query provided' });
    const loki = await fetch(`${base}/loki/api/v1/query_range`);
    assert.equal(loki.status, 400);
    assert.match(loki.headers.get('content-type') ?? '', /text\/plain/);
    assert.equal(await loki.text(), 'query parameter is required');
    const push = await post('/loki/api/v1/push', '{"streams": 3}');
    assert.equal(push.status, 400);
    assert.match(push.headers.get('content-type') ?? '', /text\/plain/);
    assert.match(await push.text(), /^loki push: expected an object with a "streams" array/);
    const otlp = await post('/v1/logs', '{"resourceLogs": 3}');
    assert.equal(otlp.status, 400);
    const status = (await otlp.json()) as { code: number; message: string };
    assert.equal(status.code, 3, 'INVALID_ARGUMENT');
    assert.equal(typeof status.message, 'string');
  });
});

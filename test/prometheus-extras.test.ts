// The rest of Prometheus's HTTP API its clients call, on an in-process server with an injected
// clock and a real TSDB: /federate, format_query, query_exemplars, /-/healthy and /-/ready.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VigilApp, createLogger } from '../src/app/index.js';
import { loadConfigFile } from '../src/config/index.js';
import { FakeClock } from '../src/model/clock.js';
import { staleNaN } from '../src/model/sample.js';

const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);
const TOKEN = 'viewer-token-for-extras-test-0123456';

describe('Prometheus API extras', () => {
  let app: VigilApp;
  let base: string;
  let dir: string;
  const get = (path: string, token: string | null = TOKEN) => fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-prom-extras-'));
    writeFileSync(join(dir, 'vigil.yml'), `server:\n  tokens:\n    - {name: grafana, role: viewer, secret_env: EXTRAS_TOKEN}\n`);
    const r = loadConfigFile(join(dir, 'vigil.yml'));
    assert.ok(r.ok, JSON.stringify(r));
    app = await VigilApp.create({ config: r.config, dataDir: join(dir, 'data'), listen: '127.0.0.1:0', env: { EXTRAS_TOKEN: TOKEN }, clock: new FakeClock(T0), logger: createLogger('silent') });
    base = await app.start();
    const a = app.tsdb.appender();
    for (let t = T0 - 600_000; t <= T0 - 15_000; t += 15_000) {
      a.append({ __name__: 'up', job: 'api', instance: 'a:1' }, t, 1);
      a.append({ __name__: 'up', job: 'db', instance: 'b:1' }, t, 0);
      a.append({ __name__: 'http_requests_total', job: 'api', path: '/say "hi"\\n' }, t, (t - T0) / 1000 + 1000);
    }
    a.append({ __name__: 'up', job: 'gone', instance: 'c:1' }, T0 - 400_000, 1); // older than the 5 m lookback
    a.append({ __name__: 'up', job: 'stale', instance: 'd:1' }, T0 - 60_000, 1);
    a.append({ __name__: 'up', job: 'stale', instance: 'd:1' }, T0 - 30_000, staleNaN());
    await a.commit();
  });
  after(async () => {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('/federate: the latest sample of each selected series, with its own timestamp, in the text format', async () => {
    const r = await get(`/federate?match[]=${encodeURIComponent('up')}&match[]=${encodeURIComponent('{job="api"}')}`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const t = T0 - 15_000;
    assert.equal(
      await r.text(),
      [
        '# TYPE http_requests_total untyped',
        `http_requests_total{job="api",path="/say \\"hi\\"\\\\n"} 985 ${t}`,
        '# TYPE up untyped',
        `up{instance="a:1",job="api"} 1 ${t}`,
        `up{instance="b:1",job="db"} 0 ${t}`,
        '',
      ].join('\n'),
      'each series once, though both selectors match up{job="api"}; none past the lookback or stale',
    );
    const none = await get('/federate');
    assert.equal(none.status, 400);
    assert.match(((await none.json()) as { error: string }).error, /no match\[\] parameter given/);
    assert.equal((await get(`/federate?match[]=${encodeURIComponent('rate(up[5m])')}`)).status, 400);
    assert.equal((await get('/federate?match[]=up', null)).status, 401, 'a viewer route');
  });

  test('format_query and query_exemplars', async () => {
    let r = await get(`/api/v1/format_query?query=${encodeURIComponent('sum(rate(x[5m]))by(job)')}`);
    assert.deepEqual(await r.json(), { status: 'success', data: 'sum by (job) (rate(x[5m]))' });
    r = await get(`/api/v1/format_query?query=${encodeURIComponent('sum(')}`);
    assert.equal(r.status, 400);
    assert.equal(((await r.json()) as { errorType: string }).errorType, 'bad_data');
    r = await fetch(`${base}/api/v1/query_exemplars`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' }, body: `query=up&start=${T0 / 1000 - 600}&end=${T0 / 1000}` });
    assert.deepEqual(await r.json(), { status: 'success', data: [] });
    assert.equal((await get(`/api/v1/query_exemplars?query=up&start=${T0 / 1000}&end=${T0 / 1000 - 60}`)).status, 400);
    assert.equal((await get('/api/v1/query_exemplars')).status, 400);
  });

  test('/-/healthy and /-/ready answer without a token, as Prometheus and Alertmanager do', async () => {
    const h = await get('/-/healthy', null);
    assert.equal(h.status, 200);
    assert.equal(await h.text(), 'Vigil is Healthy.\n');
    const ready = await get('/-/ready', null);
    assert.equal(ready.status, 200);
    assert.equal(await ready.text(), 'Vigil is Ready.\n');
    const browser = await fetch(`${base}/-/healthy`, { headers: { accept: 'text/html' } });
    assert.equal(await browser.text(), 'Vigil is Healthy.\n', 'not the web UI');
  });
});

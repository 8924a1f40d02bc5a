// SLOs in the real server (in-process, injected clock, real HTTP on 127.0.0.1): an SLO in
// vigil.yml compiles into rule groups in the one rule engine (/api/v1/rules), its page alert
// goes through the one alert pipeline, and /api/v1/slos answers from the raw data with the
// issue's field meanings.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VigilApp, createLogger } from '../src/app/index.js';
import { loadConfigFile } from '../src/config/index.js';
import { FakeClock } from '../src/model/clock.js';
import { runCli } from '../src/cli/main.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const CONFIG = `
services: [{name: shop-api}]
metrics: {creation_grace_period: 1h}
rules: {evaluation_interval: 30s}
slos:
  - name: shop-api-availability
    service: shop-api
    objective: 99
    window: 1h
    sli:
      events:
        error_query: sum(rate(http_requests_total{job="shop-api",code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total{job="shop-api"}[{{.window}}]))
    alerting:
      page: {labels: {severity: critical, team: shop}}
      ticket: {labels: {severity: medium}}
`;

const near = (a: number | null | undefined, b: number, what: string) => assert.ok(a !== null && a !== undefined && Math.abs(a - b) < 2e-3 * Math.max(1, Math.abs(b)), `${what}: ${a} ≠ ${b}`);

test('an SLO in the server: generated rules, a page alert through the pipeline, /api/v1/slos from raw data', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-slo-api-'));
  dirs.push(dir);
  const configPath = join(dir, 'vigil.yml');
  writeFileSync(configPath, CONFIG);
  const loaded = loadConfigFile(configPath);
  assert.ok(loaded.ok, JSON.stringify(loaded));
  const clock = new FakeClock(T0);
  const app = await VigilApp.create({ config: loaded.config, configPath, dataDir: join(dir, 'data'), listen: '127.0.0.1:0', env: {}, clock, logger: createLogger('silent') });
  try {
    await app.start();
    // 10 requests/s for the hour before T0; 2/s of them 5xx in the last 10 minutes (from T0−10m).
    const a = app.tsdb.appender();
    let ok = 0;
    let bad = 0;
    for (let t = T0 - 60 * MIN; t <= T0; t += 15_000) {
      a.append({ __name__: 'http_requests_total', job: 'shop-api', code: '200' }, t, ok);
      a.append({ __name__: 'http_requests_total', job: 'shop-api', code: '500' }, t, bad);
      if (t >= T0 - 10 * MIN) {
        ok += 120;
        bad += 30;
      } else ok += 150;
    }
    await a.commit();
    const get = async (path: string) => {
      const r = await fetch(`${app.address}${path}`);
      return { status: r.status, json: (await r.json()) as Record<string, unknown> & { [k: string]: any } };
    };

    const rules = await get('/api/v1/rules');
    const groups = rules.json['data'].groups as Array<{ name: string; file: string; rules: Array<{ name: string; type: string }> }>;
    assert.deepEqual(groups.map((g) => `${g.file} ${g.name}`), [
      'slo/shop-api-availability sloth-slo-alerts-shop-api-availability',
      'slo/shop-api-availability sloth-slo-meta-recordings-shop-api-availability',
      'slo/shop-api-availability sloth-slo-sli-recordings-shop-api-availability',
    ]);
    assert.deepEqual(groups[0]?.rules.map((r) => `${r.type} ${r.name}`), ['alerting ErrorBudgetBurn', 'alerting ErrorBudgetBurn']);

    const s = (await get('/api/v1/slos/shop-api-availability')).json;
    // 1200 bad of 36000 events over the hour (rate()'s extrapolation moves the ratio slightly).
    const expected = 1200 / (150 * 240);
    assert.equal(s['name'], 'shop-api-availability');
    assert.equal(s['window'], '1h');
    assert.equal(s['objective'], 99);
    near(s['sli'], 1 - expected, 'sli');
    near(s['error_budget'].total, 0.01, 'budget total');
    near(s['error_budget'].consumed, expected / 0.01, 'consumed');
    near(s['error_budget'].remaining, 1 - expected / 0.01, 'remaining');
    near(s['error_budget'].remaining_minutes, (1 - expected / 0.01) * 0.01 * 60, 'remaining minutes');
    near(s['burn_rates']['5m'], 0.2 / 0.01, 'burn 5m');
    near(s['burn_rates']['30m'], (1200 / (120 * 150)) / 0.01, 'burn 30m');
    assert.deepEqual(Object.keys(s['burn_rates']), ['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
    assert.equal(s['status'], 'breached', 'a third of the budget over: overspent');
    assert.equal(s['evaluated_at'], new Date(T0).toISOString());
    const list = (await get('/api/v1/slos')).json;
    assert.deepEqual((list['slos'] as Array<{ name: string }>).map((x) => x.name), ['shop-api-availability']);
    assert.equal((await get('/api/v1/slos/nope')).status, 404);
    const hist = (await get(`/api/v1/slos/shop-api-availability/history?from=${new Date(T0 - 20 * MIN).toISOString()}&to=${new Date(T0).toISOString()}&step=10m`)).json;
    assert.deepEqual((hist['points'] as Array<{ t: string }>).map((p) => p.t), [T0 - 20 * MIN, T0 - 10 * MIN, T0].map((t) => new Date(t).toISOString()));
    near(hist['points'][0].sli, 1, 'history before the errors');
    near(hist['points'][2].sli, 1 - expected, 'history now');
    assert.equal((await get('/api/v1/slos/shop-api-availability/history?from=yesterday')).status, 400);

    // The rules run: 3.3% errors over 2h and 1d is over the ticket's 3× burn (the 1h window's 3.3× is under the page's 14.4×).
    await clock.advance(MIN);
    await app.alerts.idle();
    const alerts = app.alerts.alerts().map((v) => v.alert.labels);
    assert.deepEqual(alerts.map((l) => `${l['alertname']} ${l['sloth_severity']} ${l['severity']} ${l['service']}`), ['ErrorBudgetBurn ticket medium shop-api']);

    // The reports read the same SLOs: the handoff lists the budget at risk, the SLA report the month's SLI.
    const handoff = await get('/api/v1/reports/handoff?format=json');
    assert.equal(handoff.status, 200, JSON.stringify(handoff.json));
    assert.deepEqual(handoff.json['data'].slos_at_risk, ['shop-api-availability']);
    const sla = await get('/api/v1/reports/sla?month=2026-12&format=json');
    assert.equal(sla.status, 200, JSON.stringify(sla.json));
    const [slaRow] = sla.json['data'].slos as Array<{ slo: string; sli: number; met: boolean }>;
    assert.equal(slaRow?.slo, 'shop-api-availability');
    near(slaRow?.sli, 1 - expected, 'the month so far: the same events');
    assert.equal(slaRow?.met, false);

    // The CLI reads the same API.
    const cli = async (args: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await runCli([...args, '--url', app.address], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
      return { code, stdout, stderr };
    };
    const listed = await cli(['slo', 'list']);
    assert.equal(listed.code, 0, listed.stderr);
    const [head, row] = listed.stdout.split('\n');
    assert.match(head ?? '', /^NAME +SERVICE +OBJECTIVE +WINDOW +SLI +BUDGET LEFT +BURN 1H +STATUS$/);
    assert.match(row ?? '', /^shop-api-availability +shop-api +99% +1h +96\.\d+% +-2\d\d(\.\d)?% \(-\d+m\) +3\.\d+x +breached$/);
    const shown = await cli(['slo', 'show', 'shop-api-availability']);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^shop-api-availability {2}\(breached\)\n/);
    assert.match(shown.stdout, /\n {2}objective: +99% over 1h\n/);
    assert.match(shown.stdout, /\n {2}burn rates: +5m 20x {2}30m 6\.\d+x {2}1h 3\.\d+x {2}2h /);
    const missing = await cli(['slo', 'show', 'nope']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /404 Not Found: .*SLO nope/);
    assert.equal((await cli(['slo', 'show'])).code, 2);

    // Reload: a changed objective replaces the SLO's rules; a bad SLO leaves everything running as it was.
    writeFileSync(configPath, CONFIG.replace('objective: 99\n', 'objective: 99.5\n'));
    const reloaded = await app.reload();
    assert.ok(reloaded.ok, reloaded.message);
    near((await get('/api/v1/slos/shop-api-availability')).json['error_budget'].total, 0.005, 'budget after reload');
    const budgetRule = async () =>
      ((await get('/api/v1/rules')).json['data'].groups as Array<{ name: string; rules: Array<{ name: string; query: string }> }>)
        .flatMap((g) => g.rules)
        .find((r) => r.name === 'slo:error_budget:ratio')?.query;
    assert.equal(await budgetRule(), 'vector(0.005)');
    writeFileSync(configPath, CONFIG.replace('objective: 99\n', 'objective: 98\n').replace('sum(rate(http_requests_total{job="shop-api"}[{{.window}}]))', 'sum(rate(http_requests_total{job="shop-api"}[{{.window}}])'));
    const refused = await app.reload();
    assert.equal(refused.ok, false);
    assert.match(refused.message, /SLOs: vigil\.yml: SLO "shop-api-availability": sli\.events\.total_query: not valid PromQL/);
    assert.equal(await budgetRule(), 'vector(0.005)');
  } finally {
    await app.stop();
  }
});

test('vigil check-config compiles the SLOs as the server does, naming the SLO and the field', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-slo-check-'));
  dirs.push(dir);
  const file = join(dir, 'vigil.yml');
  const run = async () => {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['check-config', file, '--ignore-env'], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
    return { code, stdout, stderr };
  };
  writeFileSync(file, CONFIG);
  const ok = await run();
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /\n {2}slos: +1 \(0 OpenSLO files\), 3 generated rule groups\n/);
  writeFileSync(file, CONFIG.replace('code=~"5.."}[{{.window}}]))', 'code=~"5.."}[{{.window}}])'));
  const bad = await run();
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /vigil\.yml: SLO "shop-api-availability": sli\.events\.error_query: not valid PromQL/);
});

// Rule files in the real server (in-process, injected clock): loading from rule_files globs
// relative to vigil.yml, rule alerts entering the one alert pipeline with Prometheus's
// sendAlerts semantics, recording-rule output in the store, /api/v1/rules and /metrics,
// reload (a bad file keeps the running rules and says why), and a refused start.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VigilApp, createLogger } from '../src/app/index.js';
import { loadConfigFile } from '../src/config/index.js';
import { FakeClock } from '../src/model/clock.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);

const RULES = `
groups:
  - name: node
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
      - alert: InstanceDown
        expr: up == 0
        for: 2m
        labels: {severity: critical}
        annotations:
          summary: '{{ $labels.instance }} of {{ $labels.job }} is down'
`;

const dirs: string[] = [];
const apps = new Set<VigilApp>();
after(async () => {
  for (const a of apps) await a.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function setup(rules = RULES, extra = '') {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-server-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'rules', 'node.yml'), rules);
  const configPath = join(dir, 'vigil.yml');
  // The data below runs 30 minutes ahead of the injected clock.
  writeFileSync(configPath, `rule_files: [rules/*.yml]\nrules:\n  external_labels: {cluster: eu-1}\nmetrics: {creation_grace_period: 1h}\n${extra}`);
  const r = loadConfigFile(configPath);
  assert.ok(r.ok, JSON.stringify(r));
  const clock = new FakeClock(T0);
  const app = await VigilApp.create({ config: r.config, configPath, dataDir: join(dir, 'data'), listen: '127.0.0.1:0', env: {}, clock, logger: createLogger('silent') });
  apps.add(app);
  await app.start();
  // up{instance="b"} goes down 3 minutes in and back up 10 minutes in.
  const a = app.tsdb.appender();
  for (let t = T0 - 10 * MIN; t <= T0 + 30 * MIN; t += 15_000) {
    a.append({ __name__: 'up', job: 'node', instance: 'a' }, t, 1);
    a.append({ __name__: 'up', job: 'node', instance: 'b' }, t, t >= T0 + 3 * MIN && t < T0 + 10 * MIN ? 0 : 1);
  }
  await a.commit();
  return { dir, app, clock };
}

const get = async (app: VigilApp, url: string) => {
  const r = await app.http.inject({ method: 'GET', url });
  return { status: r.statusCode, body: r.body, json: () => r.json() };
};

describe('rule files in the server', () => {
  test('recording rules write to the store; alerts go through the pipeline firing, re-sent, then resolved', async () => {
    const { app, clock } = await setup();
    await clock.advance(MIN);
    const rules = (await get(app, '/api/v1/rules')).json();
    assert.equal(rules.status, 'success');
    assert.deepEqual(
      rules.data.groups.map((g: { name: string; file: string; rules: Array<{ name: string; health: string }> }) => [g.name, g.file.endsWith('/rules/node.yml'), g.rules.map((r) => `${r.name}:${r.health}`)]),
      [['node', true, ['job:up:sum:ok', 'InstanceDown:ok']]],
    );
    const q = (await get(app, `/api/v1/query?query=job:up:sum&time=${(T0 + MIN) / 1000}`)).json();
    assert.deepEqual(q.data.result.map((s: { metric: unknown; value: [number, string] }) => [s.metric, s.value[1]]), [[{ __name__: 'job:up:sum', job: 'node' }, '2']]);

    // Down from T0+3m: pending, then firing two minutes later, into the pipeline.
    for (let i = 0; i < 6; i++) await clock.advance(MIN);
    const firing = app.alerts.alerts().filter((a) => a.alert.labels['alertname'] === 'InstanceDown');
    assert.equal(firing.length, 1);
    const alert = firing[0]!.alert;
    assert.deepEqual(alert.labels, { alertname: 'InstanceDown', instance: 'b', job: 'node', severity: 'critical', cluster: 'eu-1' });
    assert.deepEqual(alert.annotations, { summary: 'b of node is down' });
    assert.equal(alert.source, 'rules');
    assert.ok(alert.endsAt > clock.now(), 'endsAt in the future while firing');
    assert.match(alert.generatorURL, /\/graph\?g0\.expr=up\+%3D%3D\+0&g0\.tab=1$/);
    const fromRules = (await get(app, '/api/v1/rules')).json().data.groups[0].rules[1];
    assert.equal(fromRules.state, 'firing');
    assert.deepEqual(fromRules.alerts.map((a: { labels: { instance: string }; state: string }) => [a.labels.instance, a.state]), [['b', 'firing']]);

    // Back up at T0+10m: resolved in the pipeline at the evaluation that saw it.
    for (let i = 0; i < 5; i++) await clock.advance(MIN);
    await app.alerts.idle();
    const after = app.alerts.alerts().find((a) => a.alert.labels['alertname'] === 'InstanceDown');
    assert.ok(!after || after.alert.endsAt <= clock.now(), 'resolved');

    const metrics = (await get(app, '/metrics')).body;
    assert.match(metrics, /vigil_rule_group_rules\{rule_group="[^"]*rules\/node\.yml;node"\} 2/);
    assert.match(metrics, /vigil_rule_evaluation_failures_total\{rule_group="[^"]*;node"\} 0/);
    assert.match(metrics, /vigil_rule_group_last_duration_seconds\{rule_group="[^"]*;node"\} \d/);
    assert.match(metrics, /vigil_config_last_reload_successful 1/);
  });

  test('reload: a bad rule file keeps the running rules and says why; a good one replaces them', async () => {
    const { app, dir, clock } = await setup();
    await clock.advance(MIN);
    writeFileSync(join(dir, 'rules', 'node.yml'), RULES.replace("'{{ $labels.instance }}", "'{{ humanise $labels.instance }}"));
    const bad = await app.http.inject({ method: 'POST', url: '/-/reload' });
    assert.equal(bad.statusCode, 500);
    assert.match(bad.body, /^failed to reload config: .*rules\/node\.yml: 12:20: group "node", rule 2, "InstanceDown": annotation "summary": template: __alert_InstanceDown:1:4: function "humanise" not defined\n$/);
    assert.deepEqual(
      (await get(app, '/api/v1/rules')).json().data.groups[0].rules.map((r: { name: string }) => r.name),
      ['job:up:sum', 'InstanceDown'],
      'the old rules keep running',
    );
    assert.match((await get(app, '/metrics')).body, /vigil_config_last_reload_successful 0/);

    writeFileSync(join(dir, 'rules', 'node.yml'), RULES);
    writeFileSync(join(dir, 'rules', 'extra.yml'), 'groups:\n  - name: extra\n    rules:\n      - record: up:count\n        expr: count(up)\n');
    writeFileSync(join(dir, 'vigil.yml'), 'rule_files: [rules/*.yml]\nrules:\n  external_labels: {cluster: eu-2}\nmetrics: {creation_grace_period: 1h}\n');
    const good = await app.http.inject({ method: 'POST', url: '/-/reload' });
    assert.equal(good.statusCode, 200, good.body);
    assert.equal(good.body, 'configuration reloaded: 2 rule files, 2 groups, 3 rules\n');
    // A section the reload does not apply is named.
    writeFileSync(join(dir, 'vigil.yml'), 'rule_files: [rules/*.yml]\nrules:\n  external_labels: {cluster: eu-2}\nmetrics: {creation_grace_period: 2h}\n');
    const restart = await app.http.inject({ method: 'POST', url: '/-/reload' });
    assert.equal(restart.body, 'configuration reloaded: 2 rule files, 2 groups, 3 rules; changes to metrics need a restart\n');
    await clock.advance(MIN);
    const names = (await get(app, '/api/v1/rules')).json().data.groups.map((g: { name: string }) => g.name);
    assert.deepEqual(names.sort(), ['extra', 'node']);
    assert.match((await get(app, '/metrics')).body, /vigil_config_last_reload_successful 1/);

    writeFileSync(join(dir, 'vigil.yml'), 'rule_files: [rules/*.yml]\nrules: {evaluation_interval: soon}\n');
    const badCfg = await app.http.inject({ method: 'POST', url: '/-/reload' });
    assert.equal(badCfg.statusCode, 500);
    assert.match(badCfg.body, /rules\.evaluation_interval: expected a duration like 30s, got "soon"/);
  });

  test('a server whose rule files do not load does not start, and says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-server-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'bad.yml'), 'groups:\n  - name: g\n    rules:\n      - record: x\n        expr: sum(\n');
    writeFileSync(join(dir, 'vigil.yml'), 'rule_files: [bad.yml]\n');
    const r = loadConfigFile(join(dir, 'vigil.yml'));
    assert.ok(r.ok);
    await assert.rejects(
      VigilApp.create({ config: r.config, configPath: join(dir, 'vigil.yml'), dataDir: join(dir, 'data'), listen: '127.0.0.1:0', env: {}, clock: new FakeClock(T0), logger: createLogger('silent') }),
      (e: Error) => {
        assert.equal(e.name, 'StartupError');
        assert.match(e.message, /^rule files: 1 problem:\n {2}.*bad\.yml: 5:15: group "g", rule 1, "x": could not parse expression: 1:5: parse error: unclosed left parenthesis$/);
        return true;
      },
    );
  });
});

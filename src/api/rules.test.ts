import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { harness } from '../../test/helpers/rule-harness.js';
import { goTimeJSON, registerRuleAlertsRoute, registerRulesRoutes } from './rules.js';

const MIN = 60_000;

async function setup() {
  const h = harness();
  const t0 = h.clock.now();
  for (let t = t0 - 10 * MIN; t <= t0 + 30 * MIN; t += MIN) {
    h.store.add({ __name__: 'up', job: 'node', instance: 'a' }, t, 0);
    h.store.add({ __name__: 'up', job: 'node', instance: 'b' }, t, 1);
  }
  await h.manager.update('files', [
    { name: 'alerts', file: 'a.yml', rules: [{ alert: 'Down', expr: 'up == 0', for: 2 * MIN, keepFiringFor: MIN, labels: { severity: 'page' }, annotations: { summary: '{{ $labels.instance }} down' } }] },
    { name: 'records', file: 'b.yml', rules: [{ record: 'job:up:sum', expr: 'sum by (job) (up)', labels: { team: 'infra' } }, { record: 'broken', expr: 'up + on(job) up' }] },
  ]);
  h.manager.start();
  await h.clock.advance(3 * MIN + 1000);
  const app = Fastify();
  registerRulesRoutes(app, { groups: () => h.manager.groups() });
  registerRuleAlertsRoute(app, { groups: () => h.manager.groups() });
  return { h, app };
}

test('GET /api/v1/rules: Prometheus\'s shape, with health, errors, alerts and timings', async () => {
  const { h, app } = await setup();
  const res = await app.inject({ method: 'GET', url: '/api/v1/rules' });
  assert.equal(res.statusCode, 200);
  const body = res.json();
  assert.equal(body.status, 'success');
  const [alerts, records] = body.data.groups;
  assert.deepEqual(Object.keys(alerts), ['name', 'file', 'rules', 'interval', 'limit', 'evaluationTime', 'lastEvaluation']);
  assert.equal(alerts.name, 'alerts');
  assert.equal(alerts.file, 'a.yml');
  assert.equal(alerts.interval, 60);
  const g = h.manager.groups()[0]!;
  assert.equal(alerts.lastEvaluation, goTimeJSON(g.lastEvaluation));
  const rule = alerts.rules[0];
  assert.deepEqual(Object.keys(rule), ['state', 'name', 'query', 'duration', 'keepFiringFor', 'labels', 'annotations', 'alerts', 'health', 'evaluationTime', 'lastEvaluation', 'type']);
  assert.equal(rule.state, 'firing');
  assert.equal(rule.query, 'up == 0');
  assert.equal(rule.duration, 120);
  assert.equal(rule.keepFiringFor, 60);
  assert.equal(rule.health, 'ok');
  assert.equal(rule.type, 'alerting');
  assert.deepEqual(rule.alerts, [
    {
      labels: { alertname: 'Down', instance: 'a', job: 'node', severity: 'page' },
      annotations: { summary: 'a down' },
      state: 'firing',
      activeAt: rule.alerts[0].activeAt,
      value: '0e+00',
    },
  ]);
  // activeAt is the group's slot, printed to the nanosecond as Prometheus's evaluation time is.
  const firstSlot = g.lastEvalTimestamp - 2 * MIN;
  assert.equal(rule.alerts[0].activeAt, goTimeJSON(firstSlot, Number(g.offsetNs % 1_000_000n)));
  assert.deepEqual(records.rules[0], { name: 'job:up:sum', query: 'sum by (job) (up)', labels: { team: 'infra' }, health: 'ok', evaluationTime: records.rules[0].evaluationTime, lastEvaluation: records.rules[0].lastEvaluation, type: 'recording' });
  assert.equal(records.rules[1].health, 'err');
  assert.match(records.rules[1].lastError, /many-to-many matching not allowed/);
  await h.manager.stop();
});

test('GET /api/v1/rules filters: type, rule_name[], rule_group[], file[], match[], exclude_alerts, pagination', async () => {
  const { h, app } = await setup();
  const get = async (q: string) => (await app.inject({ method: 'GET', url: `/api/v1/rules?${q}` })).json();
  const names = (b: { data: { groups: Array<{ rules: Array<{ name: string }> }> } }) => b.data.groups.flatMap((g) => g.rules.map((r) => r.name));
  assert.deepEqual(names(await get('type=alert')), ['Down']);
  assert.deepEqual(names(await get('type=record')), ['job:up:sum', 'broken']);
  assert.deepEqual(names(await get('rule_name[]=broken&rule_name[]=Down')), ['Down', 'broken']);
  assert.deepEqual(names(await get('rule_group[]=records')), ['job:up:sum', 'broken']);
  assert.deepEqual(names(await get('file[]=a.yml')), ['Down']);
  assert.deepEqual(names(await get(`match[]=${encodeURIComponent('{team="infra"}')}`)), ['job:up:sum']);
  assert.equal((await get('exclude_alerts=true')).data.groups[0].rules[0].alerts, null);
  const page1 = await get('group_limit=1');
  assert.equal(page1.data.groups.length, 1);
  assert.match(page1.data.groupNextToken, /^[0-9a-f]{64}$/);
  const page2 = await get(`group_limit=1&group_next_token=${page1.data.groupNextToken}`);
  assert.deepEqual(page2.data.groups.map((g: { name: string }) => g.name), ['records']);
  assert.equal(page2.data.groupNextToken, undefined);
  const badType = await app.inject({ method: 'GET', url: '/api/v1/rules?type=x' });
  assert.equal(badType.statusCode, 400);
  assert.deepEqual(badType.json(), { status: 'error', errorType: 'bad_data', error: 'invalid parameter "type": not supported value "x"' });
  await h.manager.stop();
});

test('GET /api/v1/alerts lists pending and firing alerts of every rule', async () => {
  const { h, app } = await setup();
  const body = (await app.inject({ method: 'GET', url: '/api/v1/alerts' })).json();
  assert.equal(body.data.alerts.length, 1);
  assert.equal(body.data.alerts[0].labels.instance, 'a');
  assert.equal(body.data.alerts[0].state, 'firing');
  await h.manager.stop();
});

test('times print as Go prints time.Time in JSON', () => {
  assert.equal(goTimeJSON(0), '0001-01-01T00:00:00Z');
  assert.equal(goTimeJSON(Date.UTC(2026, 0, 1, 0, 0, 2, 184), 31_000), '2026-01-01T00:00:02.184031Z');
  assert.equal(goTimeJSON(Date.UTC(2026, 0, 1, 0, 0, 2, 100)), '2026-01-01T00:00:02.1Z');
  assert.equal(goTimeJSON(Date.UTC(2026, 0, 1)), '2026-01-01T00:00:00Z');
});

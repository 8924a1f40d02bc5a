import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rootRouteSchema } from './config.js';
import type { RouteConfigInput } from './config.js';
import { buildRoute, groupLabelsFor } from './route.js';

const tree = (cfg: RouteConfigInput) => buildRoute(rootRouteSchema.parse(cfg));

const root = tree({
  receiver: 'default',
  group_by: ['alertname'],
  group_wait: '10s',
  routes: [
    {
      matchers: ['team="db"'],
      receiver: 'db',
      group_interval: '1m',
      routes: [
        { matchers: ['severity="critical"'], receiver: 'db-pager', continue: true },
        { matchers: ['severity=~"critical|warning"'], receiver: 'db-mail', group_by: ['...'] },
      ],
    },
    { match: { service: 'api' }, match_re: { env: 'prod|staging' }, receiver: 'api', continue: true },
    { matchers: ['service="api"'], receiver: 'api-audit' },
    { matchers: ['service="api"'], receiver: 'never-reached' },
  ],
});

const receivers = (labels: Record<string, string>) => root.match(labels).map((r) => r.opts.receiver);

test('falls back to the parent when no child matches', () => {
  assert.deepEqual(receivers({ alertname: 'x' }), ['default']);
  assert.deepEqual(receivers({ team: 'db', severity: 'info' }), ['db']);
});

test('nested routes and continue', () => {
  // db-pager has continue, so the sibling db-mail is also tried.
  assert.deepEqual(receivers({ team: 'db', severity: 'critical' }), ['db-pager', 'db-mail']);
  assert.deepEqual(receivers({ team: 'db', severity: 'warning' }), ['db-mail']);
  // api continues to api-audit, which stops before never-reached.
  assert.deepEqual(receivers({ service: 'api', env: 'prod' }), ['api', 'api-audit']);
  assert.deepEqual(receivers({ service: 'api', env: 'dev' }), ['api-audit']);
});

test('children inherit unset options; the root gets Alertmanager defaults', () => {
  const [pager] = root.match({ team: 'db', severity: 'critical' });
  assert.ok(pager);
  assert.deepEqual(pager.opts, {
    receiver: 'db-pager',
    groupBy: ['alertname'],
    groupByAll: false,
    groupWait: 10_000,
    groupInterval: 60_000,
    repeatInterval: 4 * 3600_000,
    muteTimeIntervals: [],
    activeTimeIntervals: [],
  });
  assert.equal(root.opts.groupInterval, 300_000);
  assert.equal(tree({ receiver: 'r' }).opts.groupWait, 30_000);
});

test("group_by ['...'] groups by every label", () => {
  const [mail] = root.match({ team: 'db', severity: 'warning', instance: 'h1' });
  assert.ok(mail?.opts.groupByAll);
  assert.deepEqual(groupLabelsFor(mail, { team: 'db', severity: 'warning', instance: 'h1' }), { team: 'db', severity: 'warning', instance: 'h1' });
  assert.deepEqual(groupLabelsFor(root, { alertname: 'A', instance: 'h1' }), { alertname: 'A' });
});

test('route keys are built as Alertmanager builds them (matchers sorted)', () => {
  assert.equal(root.key, '{}');
  const [pager] = root.match({ team: 'db', severity: 'critical' });
  assert.equal(pager?.key, '{}/{team="db"}/{severity="critical"}');
  const [api] = root.match({ service: 'api', env: 'prod' });
  assert.equal(api?.key, '{}/{env=~"prod|staging",service="api"}');
  // Two siblings with the same key get distinct ids.
  const ids = root.routes.slice(2).map((r) => r.id);
  assert.deepEqual(ids, ['{}/{service="api"}/0', '{}/{service="api"}/1']);
});

test('a child with group_by: [] inherits its parent\'s group_by, as in Alertmanager', () => {
  const t = tree({ receiver: 'r', group_by: ['alertname', 'service'], routes: [{ matchers: ['team="x"'], group_by: [] }] });
  const [child] = t.match({ team: 'x', alertname: 'A', service: 's', instance: 'i' });
  assert.deepEqual(child?.opts.groupBy, ['alertname', 'service']);
  assert.deepEqual(groupLabelsFor(child!, { team: 'x', alertname: 'A', service: 's', instance: 'i' }), { alertname: 'A', service: 's' });
});

// The alert pipeline inside the real server (VigilApp with an injected clock, real SQLite, real
// HTTP receivers on 127.0.0.1), for what only shows with every stage wired together:
//  - the first failure of a notification reaches its incident's timeline at once; later
//    failed attempts do not add entries; the final "sent" says how many attempts it took;
//  - inhibit_rules in front of paging: a warning inhibited by a critical of the same service
//    pages nobody (no escalation, no page), while the same warning for another service pages;
//    once the critical resolves, the inhibited warning is paged; the alert history filtered
//    by labels shows who was inhibited by what; a paged alert that resolves tells the person
//    paged.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VigilApp, createLogger } from '../src/app/index.js';
import { loadConfigFile } from '../src/config/index.js';
import { FakeClock } from '../src/model/clock.js';

const T0 = Date.UTC(2026, 10, 3, 10, 0, 0);
const dirs: string[] = [];
const apps: VigilApp[] = [];
const servers: Server[] = [];
after(async () => {
  for (const a of apps) await a.stop();
  for (const s of servers) await new Promise((r) => s.close(r));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Hit {
  path: string;
  body: { status?: string; alerts?: Array<{ status: string; labels: Record<string, string> }>; page?: { person: string } };
}

/** An HTTP receiver that records what it accepts; answers 500 while `failing` is set. */
async function receiver(): Promise<{ url: string; hits: Hit[]; attempts: () => number; failing: { on: boolean } }> {
  const hits: Hit[] = [];
  const failing = { on: false };
  let attempts = 0;
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      attempts++;
      if (failing.on) return void res.writeHead(500).end('upstream on fire');
      hits.push({ path: req.url ?? '', body: JSON.parse(data) as Hit['body'] });
      res.writeHead(200).end('ok');
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, attempts: () => attempts, failing };
}

async function start(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-pipeline-app-'));
  dirs.push(dir);
  const configPath = join(dir, 'vigil.yml');
  writeFileSync(configPath, yaml);
  const r = loadConfigFile(configPath);
  assert.ok(r.ok, JSON.stringify(r));
  const clock = new FakeClock(T0);
  const app = await VigilApp.create({ config: r.config, configPath, dataDir: join(dir, 'data'), listen: '127.0.0.1:0', env: {}, clock, logger: createLogger('silent') });
  apps.push(app);
  await app.start();
  const call = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const res = await app.http.inject({ method, url, ...(payload !== undefined ? { payload: payload as object } : {}) });
    assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.body ? (res.json() as unknown) : undefined;
  };
  /** Moves the fake clock a second at a time (letting real I/O finish) until `done` holds. */
  const until = async (what: string, done: () => boolean | Promise<boolean>, maxSteps = 300) => {
    for (let i = 0; i < maxSteps; i++) {
      if (await done()) return;
      await clock.advance(1000);
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.fail(`${what}: not reached after ${maxSteps} fake seconds`);
  };
  return { app, clock, call, until };
}

test('the first failure of a notification is on the incident timeline at once; the rest are summarized', async () => {
  const hook = await receiver();
  hook.failing.on = true;
  const { call, until } = await start(`
delivery: {initial_backoff: 1s, max_backoff: 2s, give_up_after: 1h}
receivers:
  - name: ops
    webhook_configs: [{url: "${hook.url}/ops"}]
route: {receiver: ops, group_by: [alertname], group_wait: 0s, group_interval: 1m}
`);
  await call('POST', '/api/v2/alerts', [{ labels: { alertname: 'ShopDown', service: 'shop', severity: 'critical' } }]);
  type Incident = { id: string; timeline: Array<{ kind: string; message: string }> };
  const incident = async (): Promise<Incident | undefined> => {
    const list = (await call('GET', '/api/v1/incidents?status=open')) as { incidents: Array<{ id: string }> };
    return list.incidents[0] ? ((await call('GET', `/api/v1/incidents/${list.incidents[0].id}`)) as Incident) : undefined;
  };
  const kinds = async () => ((await incident())?.timeline ?? []).filter((e) => e.kind.startsWith('notification_'));

  await until('the first failure on the timeline', async () => (await kinds()).length >= 1);
  const first = await kinds();
  assert.equal(first.length, 1, JSON.stringify(first));
  assert.equal(first[0]?.kind, 'notification_failed');
  assert.match(first[0]?.message ?? '', /Notification \(firing\) to ops failed: .*500.*; retrying/);

  await until('two more failed attempts', () => hook.attempts() >= 3);
  assert.equal((await kinds()).length, 1, 'later failed attempts add no entry of their own');
  hook.failing.on = false;
  await until('delivered', () => hook.hits.length >= 1);
  await until('the outcome on the timeline', async () => (await kinds()).some((e) => e.kind === 'notification_sent'));
  const all = await kinds();
  assert.deepEqual(all.map((e) => e.kind), ['notification_failed', 'notification_sent']);
  assert.match(all[1]?.message ?? '', new RegExp(`sent to ops after ${hook.attempts()} attempts`));
});

test('inhibit_rules before paging: an inhibited warning pages nobody, the same warning elsewhere does; it pages once the critical resolves', async () => {
  const chat = await receiver();
  const pages = await receiver();
  const { app, call, until, clock } = await start(`
people:
  - {name: alice, contacts: {webhook: "${pages.url}/alice"}}
escalation_policies:
  - name: warn-pager
    levels: [{targets: [{person: alice}], escalate_after: 5m}]
receivers:
  - name: chat
    webhook_configs: [{url: "${chat.url}/chat", send_resolved: true}]
  - name: pager
    escalation_policy: warn-pager
route:
  receiver: chat
  group_by: [alertname, service]
  group_wait: 0s
  group_interval: 10s
  routes:
    - matchers: ['severity="warning"']
      receiver: pager
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [service]
`);
  const critical = { alertname: 'DatabaseDown', service: 'shop', severity: 'critical' };
  const shopWarning = { alertname: 'HighLatency', service: 'shop', severity: 'warning' };
  const billingWarning = { alertname: 'HighLatency', service: 'billing', severity: 'warning' };
  await call('POST', '/api/v2/alerts', [{ labels: critical }]);
  await until('the critical reaches chat', () => chat.hits.length >= 1);
  await call('POST', '/api/v2/alerts', [{ labels: shopWarning }, { labels: billingWarning }]);
  await until('billing is paged', () => pages.hits.length >= 1);
  // Let several group intervals pass: the shop warning must stay unpaged.
  for (let i = 0; i < 30; i++) {
    await clock.advance(1000);
    await new Promise((r) => setTimeout(r, 5));
  }

  const paged = (service: string) => pages.hits.filter((h) => h.body.alerts?.some((a) => a.labels.service === service && a.status === 'firing'));
  assert.equal(paged('billing').length, 1);
  assert.equal(paged('billing')[0]?.path, '/alice');
  assert.equal(paged('shop').length, 0, 'the inhibited warning paged someone');
  const escalations = (await call('GET', '/api/v1/escalations?status=all')) as { escalations: Array<{ groupKey?: string; group_key?: string }> };
  assert.equal(escalations.escalations.length, 1, JSON.stringify(escalations));
  assert.match(JSON.stringify(escalations.escalations[0]), /billing/);

  const alerts = (await call('GET', '/api/v2/alerts')) as Array<{ labels: Record<string, string>; fingerprint: string; status: { state: string; inhibitedBy: string[] } }>;
  const fp = (l: Record<string, string>) => alerts.find((a) => a.labels.alertname === l.alertname && a.labels.service === l.service);
  assert.equal(fp(shopWarning)?.status.state, 'suppressed');
  assert.deepEqual(fp(shopWarning)?.status.inhibitedBy, [fp(critical)?.fingerprint]);
  assert.equal(fp(billingWarning)?.status.state, 'active');

  // The alert history, filtered by labels as Alertmanager's `filter` (matchers, all must match).
  type History = { entries: Array<{ fingerprint: string; kind: string; stage?: string; by?: string[] }> };
  const history = async (q: string) => ((await call('GET', `/api/v1/alert-history?${q}`)) as History).entries;
  const shop = await history(`filter=${encodeURIComponent('service="shop"')}`);
  assert.deepEqual(new Set(shop.map((e) => e.fingerprint)), new Set([fp(critical)?.fingerprint, fp(shopWarning)?.fingerprint]));
  assert.ok(shop.some((e) => e.fingerprint === fp(shopWarning)?.fingerprint && e.kind === 'muted' && e.stage === 'inhibited' && e.by?.[0] === fp(critical)?.fingerprint), JSON.stringify(shop));
  const billing = await history(`filter=${encodeURIComponent('severity="warning"')}&filter=${encodeURIComponent('service=~"bill.*"')}`);
  assert.deepEqual([...new Set(billing.map((e) => e.fingerprint))], [fp(billingWarning)?.fingerprint]);
  assert.deepEqual(await history(`filter=${encodeURIComponent('service="nowhere"')}`), []);
  const bad = await app.http.inject({ method: 'GET', url: `/api/v1/alert-history?filter=${encodeURIComponent('service=~"("')}` });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().message, /^query\.filter: /);

  // The critical resolves: the shop warning is no longer inhibited and pages.
  await call('POST', '/api/v2/alerts', [{ labels: critical, endsAt: new Date(clock.now()).toISOString() }]);
  await until('the shop warning is paged', () => paged('shop').length >= 1);
  assert.equal(paged('shop')[0]?.path, '/alice');

  // Whoever was paged hears that it is over: the billing warning resolves, alice is told.
  await call('POST', '/api/v2/alerts', [{ labels: billingWarning, endsAt: new Date(clock.now()).toISOString() }]);
  const told = () => pages.hits.filter((h) => h.body.status === 'resolved' && h.body.alerts?.some((a) => a.labels.service === 'billing'));
  await until('alice is told billing resolved', () => told().length >= 1);
  assert.equal(told()[0]?.path, '/alice');
  assert.deepEqual((told()[0]?.body as { links?: Array<{ rel: string }> }).links?.filter((l) => l.rel === 'ack' || l.rel === 'resolve'), [], 'nothing left to acknowledge');
  assert.equal(told().length, 1);
});

test('POST /api/v2/alerts: a malformed body is refused with every problem named by its place; a good one is taken', async () => {
  const { app, call } = await start(`
receivers: [{name: ops}]
route: {receiver: ops}
`);
  const post = async (payload: unknown) => {
    const res = await app.http.inject({ method: 'POST', url: '/api/v2/alerts', payload: payload as object });
    return { status: res.statusCode, body: res.body };
  };
  assert.deepEqual(await post({ labels: { a: 'b' } }), { status: 400, body: JSON.stringify('invalid alerts: expected an array of alerts') });
  assert.deepEqual(await post([{ labels: { a: 'b' } }, 'x', { labels: { a: 1 } }, { labels: { a: 'b' }, annotations: ['x'] }, { labels: { a: 'b' }, startsAt: 5 }, { annotations: {} }]), {
    status: 400,
    body: JSON.stringify('invalid alerts: 1: expected an object; 2.labels.a: expected a string; 3.annotations: expected an object of strings; 4.startsAt: expected a string; 5.labels: expected an object of strings'),
  });
  assert.equal((await post([{ labels: {} }])).status, 400, 'no label pair');
  // As Alertmanager 0.25 (OpenAPI format: uri): an empty generatorURL is fine, a relative one is not.
  assert.deepEqual(await post([{ labels: { a: 'b' }, generatorURL: '' }, { labels: { a: 'b' }, generatorURL: 'graph?g0.expr=up' }]), {
    status: 400,
    body: JSON.stringify('invalid alerts: 1.generatorURL: must be a URI: "graph?g0.expr=up"'),
  });
  // As Alertmanager: null reads as "", and a label with an empty value is dropped.
  assert.equal((await post([{ labels: { team: '', zone: null } }])).status, 400, 'no label pair once the empty ones are dropped');
  await call('POST', '/api/v2/alerts', [{ labels: { alertname: 'Ok', severity: 'warning', team: '', zone: null }, annotations: { summary: 's' }, generatorURL: 'http://x' }]);
  const got = (await call('GET', '/api/v2/alerts')) as Array<{ labels: Record<string, string>; annotations: Record<string, string>; generatorURL: string }>;
  assert.deepEqual(got.map((a) => [a.labels, a.annotations, a.generatorURL]), [[{ alertname: 'Ok', severity: 'warning' }, { summary: 's' }, 'http://x']]);
});

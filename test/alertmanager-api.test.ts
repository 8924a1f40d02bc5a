// The Alertmanager API v2 against its real clients: Prometheus 2.42 delivering alerts through
// alerting.alertmanagers, and amtool 0.25 adding, querying and expiring silences and querying
// alerts. Plus silences surviving SIGKILL, which Alertmanager itself does not promise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, freePort, webhookReceiver } from './helpers/services.js';
import { startServer } from './helpers/vigil-process.js';
import { prometheusSkipReason, startPrometheus } from './helpers/prometheus.js';

const AMTOOL = '/usr/bin/amtool';
function amtoolSkip(): string | undefined {
  if (existsSync(AMTOOL)) return undefined;
  const msg = 'amtool not found (apt-get install prometheus-alertmanager)';
  if (process.env['CI'] === 'true') throw new Error(`${msg}; CI=true requires it`);
  return msg;
}

function vigilConfig(hookUrl: string): string {
  return `
receivers:
  - name: team
    webhook_configs:
      - url: ${hookUrl}
route:
  receiver: team
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [service]
`;
}

interface GettableAlert {
  labels: Record<string, string>;
  fingerprint: string;
  generatorURL: string;
  receivers: Array<{ name: string }>;
  status: { state: string; silencedBy: string[]; inhibitedBy: string[] };
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const r = await fetch(url, init);
  const text = await r.text();
  assert.ok(r.status < 300, `${url}: ${r.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** `out` is stdout (what a script reads); `all` adds stderr (amtool warns there that Vigil's version is not 0.25). */
function amtool(url: string, args: string[]): { code: number; out: string; all: string } {
  const r = spawnSync(AMTOOL, [`--alertmanager.url=${url}`, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status ?? -1, out: r.stdout, all: `${r.stdout}${r.stderr}` };
}

async function withVigil(fn: (v: { url: string; dir: string; hook: Awaited<ReturnType<typeof webhookReceiver>> }) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-amapi-'));
  const hook = await webhookReceiver();
  writeFileSync(join(dir, 'vigil.yml'), vigilConfig(hook.url));
  const server = await startServer(['--config', join(dir, 'vigil.yml'), '--data-dir', join(dir, 'data')], await freePort());
  try {
    await fn({ url: server.url, dir, hook });
  } finally {
    await server.stop();
    await hook.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('Prometheus 2.42 delivers its alerts to Vigil through alerting.alertmanagers', { skip: prometheusSkipReason() }, async () => {
  await withVigil(async ({ url, dir, hook }) => {
    const vigil = new URL(url);
    const rules = join(dir, 'rules.yml');
    writeFileSync(rules, 'groups:\n  - name: g\n    interval: 1s\n    rules:\n      - alert: AlwaysFiring\n        expr: vector(1)\n        labels: {severity: warning, service: shop}\n        annotations: {summary: "it fires ({{ $value }})"}\n');
    const prom = await startPrometheus({
      // Its first send can precede its Alertmanager discovery; resend every second, not every minute.
      extraArgs: ['--rules.alert.resend-delay=1s'],
      config: {
        global: { evaluation_interval: '1s' },
        rule_files: [rules],
        alerting: { alertmanagers: [{ static_configs: [{ targets: [`${vigil.hostname}:${vigil.port}`] }] }] },
      },
    });
    try {
      const delivered = await hook.waitFor((r) => JSON.stringify(r.body).includes('AlwaysFiring'), 60_000).catch(async (e: Error) => {
        const diag = await Promise.all([fetch(`${prom.url}/api/v1/alerts`), fetch(`${prom.url}/api/v1/alertmanagers`), fetch(`${prom.url}/api/v1/rules`), fetch(`${url}/api/v2/alerts`)].map(async (p) => (await p).text()));
        throw new Error(`${e.message}\n${diag.join('\n')}\nprometheus said:\n${prom.output().slice(-3000)}`);
      });
      const body = delivered.body as { alerts: Array<{ labels: Record<string, string>; annotations: Record<string, string>; generatorURL: string; status: string }> };
      const [a] = body.alerts;
      assert.equal(a?.status, 'firing');
      assert.deepEqual(a?.labels, { alertname: 'AlwaysFiring', severity: 'warning', service: 'shop' });
      assert.equal(a?.annotations.summary, 'it fires (1)');
      assert.match(a?.generatorURL ?? '', /\/graph\?g0\.expr=vector%281%29/);
      const alerts = await json<GettableAlert[]>(`${url}/api/v2/alerts`);
      const posted = alerts.find((x) => x.labels.alertname === 'AlwaysFiring');
      assert.ok(posted, JSON.stringify(alerts));
      assert.deepEqual(posted.receivers, [{ name: 'team' }]);
      assert.equal(posted.status.state, 'active');
    } finally {
      await prom.stop();
    }
  });
});

test('amtool 0.25 adds, queries and expires silences and queries alerts; silenced and inhibited alerts show why', { skip: amtoolSkip() }, async () => {
  await withVigil(async ({ url, hook }) => {
    const post = (alerts: unknown[]) => json(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
    const add = amtool(url, ['silence', 'add', 'alertname=Noisy', 'env=~"prod|staging"', '--comment=deploy window', '--author=alice', '--duration=2h']);
    assert.equal(add.code, 0, add.out);
    const id = add.out.trim();
    assert.match(id, /^[0-9a-f-]{36}$/);
    const q = amtool(url, ['silence', 'query', '-o', 'json']);
    assert.equal(q.code, 0, q.out);
    const listed = JSON.parse(q.out) as Array<{ id: string; createdBy: string; comment: string; status: { state: string }; matchers: Array<{ name: string; isRegex: boolean }> }>;
    assert.equal(listed.length, 1);
    assert.equal(listed[0]?.id, id);
    assert.equal(listed[0]?.createdBy, 'alice');
    assert.equal(listed[0]?.status.state, 'active');
    assert.deepEqual(listed[0]?.matchers.map((m) => `${m.name}:${m.isRegex}`).sort(), ['alertname:false', 'env:true']);
    assert.match(amtool(url, ['silence', 'query', 'alertname=Noisy']).out, new RegExp(id));

    await post([
      { labels: { alertname: 'Noisy', env: 'prod' } },
      { labels: { alertname: 'Quiet', env: 'prod' } },
      { labels: { alertname: 'DiskFull', severity: 'critical', service: 'db' } },
      { labels: { alertname: 'DiskSlow', severity: 'warning', service: 'db' } },
    ]);
    const alerts = await json<GettableAlert[]>(`${url}/api/v2/alerts`);
    const byName = (n: string) => alerts.find((a) => a.labels.alertname === n);
    assert.deepEqual(byName('Noisy')?.status, { inhibitedBy: [], silencedBy: [id], state: 'suppressed' });
    assert.equal(byName('Quiet')?.status.state, 'active');
    assert.deepEqual(byName('DiskSlow')?.status.inhibitedBy, [byName('DiskFull')?.fingerprint]);
    const active = await json<GettableAlert[]>(`${url}/api/v2/alerts?silenced=false&inhibited=false`);
    assert.deepEqual(active.map((a) => a.labels.alertname).sort(), ['DiskFull', 'Quiet']);

    const aq = amtool(url, ['alert', 'query', '-o', 'json']);
    assert.equal(aq.code, 0, aq.out);
    assert.deepEqual((JSON.parse(aq.out) as GettableAlert[]).map((a) => a.labels.alertname).sort(), ['DiskFull', 'Quiet'], 'amtool hides silenced and inhibited alerts by default');
    const all = amtool(url, ['alert', 'query', '--active', '--silenced', '--inhibited', '-o', 'json']);
    assert.equal((JSON.parse(all.out) as unknown[]).length, 4, all.all);
    const muted = amtool(url, ['alert', 'query', '--silenced', '--inhibited', '-o', 'json']);
    assert.deepEqual((JSON.parse(muted.out) as GettableAlert[]).map((a) => a.labels.alertname).sort(), ['DiskSlow', 'Noisy'], 'only the muted ones, as with Alertmanager');
    assert.match(amtool(url, ['alert', 'query', 'alertname=Quiet']).out, /Quiet/);

    // amtool reads the configuration from /api/v2/status and loads it with Alertmanager's own
    // parser for the routing commands.
    const show = amtool(url, ['config', 'show']);
    assert.equal(show.code, 0, show.all);
    assert.match(show.out, /route:\n\s+receiver: team\n\s+group_by:\n\s+- alertname/);
    assert.match(show.out, /inhibit_rules:\n\s+- source_matchers:\n\s+- severity="critical"/);
    const tree = amtool(url, ['config', 'routes', 'show']);
    assert.equal(tree.code, 0, tree.all);
    assert.match(tree.out, /default-route\s+receiver: team/);
    const routed = amtool(url, ['config', 'routes', 'test', 'alertname=X']);
    assert.equal(routed.code, 0, routed.all);
    assert.equal(routed.out.trim(), 'team');

    // Only the unmuted alerts reach the receiver.
    await hook.waitFor((r) => JSON.stringify(r.body).includes('Quiet'));
    await hook.waitFor((r) => JSON.stringify(r.body).includes('DiskFull'));
    const sent = JSON.stringify(hook.received.map((r) => r.body));
    assert.ok(!sent.includes('"Noisy"') && !sent.includes('DiskSlow'), sent);

    const exp = amtool(url, ['silence', 'expire', id]);
    assert.equal(exp.code, 0, exp.out);
    await eventually('the silence to show as expired', async () => {
      const ex = JSON.parse(amtool(url, ['silence', 'query', '--expired', '-o', 'json']).out) as Array<{ id: string; status: { state: string } }>;
      return ex.find((s) => s.id === id && s.status.state === 'expired');
    });
    assert.equal((JSON.parse(amtool(url, ['silence', 'query', '-o', 'json']).out) as unknown[]).length, 0);
    await hook.waitFor((r) => JSON.stringify(r.body).includes('"Noisy"'));
    const again = amtool(url, ['silence', 'expire', id]);
    assert.notEqual(again.code, 0, 'expiring an expired silence is an error');
  });
});

test('an acknowledged silence survives SIGKILL; bad silences get Alertmanager\'s messages', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-silence-kill-'));
  const hook = await webhookReceiver();
  writeFileSync(join(dir, 'vigil.yml'), vigilConfig(hook.url));
  const args = ['--config', join(dir, 'vigil.yml'), '--data-dir', join(dir, 'data')];
  const port = await freePort();
  let server = await startServer(args, port);
  try {
    const now = Date.now();
    const body = (extra: Record<string, unknown> = {}) =>
      JSON.stringify({ matchers: [{ name: 'service', value: 'db', isRegex: false, isEqual: true }], startsAt: new Date(now).toISOString(), endsAt: new Date(now + 3600_000).toISOString(), createdBy: 'bob', comment: 'maintenance', ...extra });
    const { silenceID } = await json<{ silenceID: string }>(`${server.url}/api/v2/silences`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body() });
    const bad = async (b: string, status: number, message: string) => {
      const r = await fetch(`${server.url}/api/v2/silences`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: b });
      assert.equal(r.status, status);
      assert.equal(await r.json(), message);
    };
    await bad(body({ endsAt: new Date(now - 1000).toISOString(), startsAt: new Date(now - 2000).toISOString() }), 400, "Failed to create silence: end time can't be in the past");
    await bad(body({ endsAt: new Date(now).toISOString() }), 400, 'Failed to create silence: start time must be before end time');
    await bad(body({ matchers: [{ name: 'x', value: '.*', isRegex: true, isEqual: true }] }), 400, 'at least one matcher must not match the empty string');
    await bad(body({ id: 'no-such-silence' }), 404, 'silence not found');
    assert.equal((await fetch(`${server.url}/api/v2/silence/no-such-silence`)).status, 404);
    assert.equal(await server.stop('SIGKILL'), null);
    server = await startServer(args, port);
    const s = await json<{ id: string; status: { state: string }; comment: string; createdBy: string }>(`${server.url}/api/v2/silence/${silenceID}`);
    assert.deepEqual({ id: s.id, state: s.status.state, comment: s.comment, by: s.createdBy }, { id: silenceID, state: 'active', comment: 'maintenance', by: 'bob' });
  } finally {
    await server.stop();
    await hook.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controllableService, eventually, freePort, webhookReceiver, type Received } from './helpers/services.js';
import { runCli, startServer } from './helpers/vigil-process.js';

interface PageBody {
  status: string;
  receiver: string;
  links: Array<{ rel: string; url: string; text: string }>;
  page: { escalation: number; person: string; channel: string; level: number; round: number };
}

function config(serviceUrl: string, hookBase: string, levels: string): string {
  return `
services:
  - name: shop-api
checks:
  - name: shop-api-health
    service: shop-api
    type: http
    url: ${serviceUrl}
    interval: 1s
    timeout: 500ms
    failure_threshold: 1
    severity: critical
people:
  - {name: alice, contacts: {webhook: ${hookBase}/alice}}
  - {name: carol, contacts: {webhook: ${hookBase}/carol}}
  - {name: dana, contacts: {webhook: ${hookBase}/dana}}
teams:
  - {name: shop-leads, members: [carol, dana]}
schedules:
  - name: shop-primary
    time_zone: Europe/Berlin
    layers:
      - {name: weekly, rotation: weekly, start: "2020-01-06T09:00", members: [alice]}
escalation_policies:
  - name: shop-critical
    repeat: 1
    levels:
${levels}
receivers:
  - name: shop-pager
    escalation_policy: shop-critical
route:
  receiver: shop-pager
  group_by: [alertname, service]
  group_wait: 1s
  group_interval: 2s
`;
}

const pages = (received: readonly Received[]) => received.filter((r) => (r.body as PageBody).page !== undefined).map((r) => ({ at: Date.now(), path: r.path, body: r.body as PageBody }));

test('a critical alert pages the on-call person at once, the next level after escalate_after, then the team; the signed link acknowledges it once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-paging-'));
  const svc = await controllableService();
  const hook = await webhookReceiver();
  const base = hook.url.replace(/\/hook$/, '');
  const port = await freePort();
  const levels = `      - {targets: [{schedule: shop-primary}], escalate_after: 2s}
      - {targets: [{person: carol}], escalate_after: 2s}
      - {targets: [{team: shop-leads}], escalate_after: 2s}`;
  writeFileSync(join(dir, 'vigil.yml'), config(svc.url, base, levels));
  const server = await startServer(['--config', join(dir, 'vigil.yml'), '--data-dir', join(dir, 'data')], port);
  try {
    svc.setHealthy(false);
    const times: Record<string, number> = {};
    const arrival = async (path: string, level: number) => {
      const r = await hook.waitFor((x) => x.path === path && (x.body as PageBody).page?.level === level, 60_000);
      times[`${path}@${level}`] ??= r.at;
      return r.body as PageBody;
    };
    const alice = await arrival('/alice', 1);
    assert.equal(alice.page.person, 'alice');
    assert.equal(alice.page.channel, 'webhook');
    assert.equal(alice.status, 'firing');
    assert.deepEqual(alice.links.map((l) => l.rel).filter((r) => r !== 'incident'), ['ack', 'resolve']);
    await arrival('/carol', 2);
    const dana = await arrival('/dana', 3);
    await arrival('/carol', 3);
    assert.ok((times['/alice@1'] ?? 0) <= (times['/carol@2'] ?? 0) && (times['/carol@2'] ?? 0) <= (times['/dana@3'] ?? 0), 'levels in order');

    const ack = dana.links.find((l) => l.rel === 'ack');
    assert.ok(ack);
    assert.ok(ack.url.startsWith(`${server.url}/ack/`), ack.url);
    const confirm = await fetch(ack.url);
    assert.equal(confirm.status, 200);
    const html = await confirm.text();
    assert.match(html, /<form method="post"/);
    assert.match(html, /Acknowledge as dana/);
    const done = await fetch(ack.url, { method: 'POST', headers: { accept: 'application/json' } });
    assert.equal(done.status, 200, await done.clone().text());
    assert.deepEqual(await done.json(), { action: 'ack', status: 'acknowledged' });
    const again = await fetch(ack.url, { method: 'POST', headers: { accept: 'application/json' } });
    assert.equal(again.status, 409, 'a link works once');

    await new Promise((r) => setTimeout(r, 4500)); // past the next step (repeat: level 1 again at +2s)
    assert.equal(pages(hook.received).filter((p) => p.body.page.round > 0).length, 0, 'no repeat after the acknowledgement');

    const incidents = (await (await fetch(`${server.url}/api/v1/incidents?status=open`)).json()) as { incidents: Array<{ id: string; status: string }> };
    const inc = incidents.incidents[0];
    assert.ok(inc);
    const detail = await eventually('timeline with deliveries', async () => {
      const d = (await (await fetch(`${server.url}/api/v1/incidents/${inc.id}`)).json()) as { status: string; acknowledged_by: string; timeline: Array<{ kind: string; actor: string; message: string; data?: { step_at?: string } }> };
      return d.timeline.filter((e) => e.kind === 'page_delivered').length >= 4 ? d : undefined;
    });
    assert.equal(detail.status, 'acknowledged');
    assert.equal(detail.acknowledged_by, 'dana');
    const msgs = detail.timeline.map((e) => `${e.kind}|${e.actor}|${e.message}`);
    // Each level was paged escalate_after (2s) after the one before: the steps' own times.
    const levelAt = (n: number) => Date.parse(detail.timeline.find((e) => e.kind === 'escalation' && e.message.startsWith(`Escalation shop-critical level ${n}:`))?.data?.step_at ?? '');
    assert.ok(levelAt(2) - levelAt(1) >= 2000, `level 2 ${levelAt(2) - levelAt(1)}ms after level 1`);
    assert.ok(levelAt(3) - levelAt(2) >= 2000, `level 3 ${levelAt(3) - levelAt(2)}ms after level 2`);
    assert.ok(msgs.some((m) => m.startsWith('page_sent|vigil|Paging alice via webhook (level 1)')), msgs.join('\n'));
    assert.ok(msgs.some((m) => m.startsWith('page_delivered|vigil|Page to carol via webhook (level 2) delivered')), msgs.join('\n'));
    const ackAt = msgs.indexOf('escalation|dana|Page acknowledged by dana via webhook; escalation stopped');
    assert.ok(ackAt >= 0, msgs.join('\n'));
    assert.ok(!msgs.slice(ackAt).some((m) => m.startsWith('page_sent|')), `nothing paged after the acknowledgement:\n${msgs.join('\n')}`);

    const esc = (await (await fetch(`${server.url}/api/v1/escalations?status=all`)).json()) as { escalations: Array<{ status: string; acknowledged_by: string; acknowledged_via: string; incident_id: string }> };
    assert.equal(esc.escalations[0]?.status, 'acknowledged');
    assert.equal(esc.escalations[0]?.acknowledged_via, 'webhook');
    assert.equal(esc.escalations[0]?.incident_id, inc.id);
  } finally {
    await server.stop();
    await hook.close();
    await svc.close();
  }
});

test('SIGKILL in the middle of an escalation: the restarted server resumes at the level it had reached', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-paging-kill-'));
  const svc = await controllableService();
  const hook = await webhookReceiver();
  const base = hook.url.replace(/\/hook$/, '');
  const port = await freePort();
  const levels = `      - {targets: [{schedule: shop-primary}], escalate_after: 3s}
      - {targets: [{person: carol}], escalate_after: 3s}
      - {targets: [{person: dana}], escalate_after: 1m}`;
  writeFileSync(join(dir, 'vigil.yml'), config(svc.url, base, levels));
  const args = ['--config', join(dir, 'vigil.yml'), '--data-dir', join(dir, 'data')];
  let server = await startServer(args, port);
  try {
    svc.setHealthy(false);
    await hook.waitFor((x) => x.path === '/alice', 60_000);
    await new Promise((r) => setTimeout(r, 300));
    await server.stop('SIGKILL');
    const carolBefore = hook.received.filter((x) => x.path === '/carol').length;
    await new Promise((r) => setTimeout(r, 4000)); // level 2 fell due while the server was down
    server = await startServer(args, port);
    const carol = await hook.waitFor((x) => x.path === '/carol', 60_000);
    assert.equal(carolBefore, 0, 'carol was not paged before the kill');
    assert.equal((carol.body as PageBody).page.level, 2);
    await hook.waitFor((x) => x.path === '/dana', 60_000);
    // The outbox may deliver a page twice across a crash (at-least-once), but the engine must
    // not page level 1 again: that would be a page with new links.
    const alicePages = pages(hook.received).filter((p) => p.path === '/alice' && p.body.page.round === 0);
    assert.equal(new Set(alicePages.map((p) => p.body.links.find((l) => l.rel === 'ack')?.url)).size, 1, 'level 1 was not paged again after the restart');

    const list = await runCli(['incidents', 'list', '--url', server.url]);
    const id = /INC-\d{4}-\d{4}/.exec(list.stdout)?.[0];
    assert.ok(id, list.stdout + list.stderr);
    const ack = await runCli(['incidents', 'ack', id, '--url', server.url]);
    assert.equal(ack.code, 0, ack.stderr);
    await eventually('escalation acknowledged from the CLI', async () => {
      const esc = (await (await fetch(`${server.url}/api/v1/escalations?status=all`)).json()) as { escalations: Array<{ status: string; acknowledged_by: string }> };
      return esc.escalations[0]?.status === 'acknowledged' ? esc : undefined;
    });
  } finally {
    await server.stop();
    await hook.close();
    await svc.close();
  }
});

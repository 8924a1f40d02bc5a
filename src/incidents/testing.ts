import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../model/clock.js';
import type { Alert } from '../model/alert.js';
import { DomainError } from '../model/errors.js';
import { incidentsConfigSchema } from './config.js';
import { IncidentService } from './service.js';
import type { IncidentRepo } from './types.js';
import { postmortemMarkdown } from './postmortem.js';

function alert(labels: Record<string, string>, startsAt: number, endsAt = 0): Alert {
  return { labels, annotations: { description: 'status 503 (expected 200)' }, startsAt, endsAt, generatorURL: '', updatedAt: startsAt };
}

/**
 * The behaviour every IncidentRepo must support, driven through the IncidentService.
 * Both the in-memory repo and the SQL repo run this suite.
 */
export function describeIncidentLifecycle(name: string, makeRepo: () => Promise<IncidentRepo>): void {
  const setup = async (policy: 'mitigate' | 'resolve' | 'none' = 'mitigate') => {
    const clock = new FakeClock(Date.UTC(2026, 2, 1, 12, 0, 0));
    const config = incidentsConfigSchema.parse({ on_alerts_resolved: policy });
    const svc = new IncidentService({ repo: await makeRepo(), config, clock });
    return { clock, svc };
  };
  const api = { alertname: 'shop-api-health', check: 'shop-api-health', service: 'shop-api', severity: 'critical' };
  const latency = { alertname: 'shop-api-latency', check: 'shop-api-latency', service: 'shop-api', severity: 'high' };

  describe(`incident lifecycle (${name})`, () => {
    test('a firing alert opens an incident; a second check of the same service joins it', async () => {
      const { clock, svc } = await setup();
      const a = await svc.handleAlert({ kind: 'firing', alert: alert(api, clock.now()) });
      assert.ok(a);
      assert.match(a.id, /^INC-2026-0001$/);
      assert.equal(a.status, 'triggered');
      assert.deepEqual(a.services, ['shop-api']);
      await clock.advance(5000);
      const b = await svc.handleAlert({ kind: 'firing', alert: alert(latency, clock.now()) });
      assert.equal(b?.id, a.id);
      const open = await svc.list({ status: 'open' });
      assert.equal(open.length, 1);
      const d = await svc.detail(a.id);
      assert.equal(d.alerts.length, 2);
      assert.deepEqual(
        d.timeline.map((e) => e.kind),
        ['opened', 'alert_firing', 'alert_firing'],
      );
      // the same alert firing again adds nothing
      await svc.handleAlert({ kind: 'firing', alert: alert(api, clock.now()) });
      assert.equal((await svc.detail(a.id)).timeline.length, 3);
    });

    test('severities outside open_for_severities open nothing; ids count up per year', async () => {
      const { clock, svc } = await setup();
      assert.equal(await svc.handleAlert({ kind: 'firing', alert: alert({ ...api, severity: 'low' }, clock.now()) }), undefined);
      const x = await svc.handleAlert({ kind: 'firing', alert: alert({ ...api, service: 'a' }, clock.now()) });
      const y = await svc.handleAlert({ kind: 'firing', alert: alert({ ...api, service: 'b' }, clock.now()) });
      assert.equal(x?.id, 'INC-2026-0001');
      assert.equal(y?.id, 'INC-2026-0002');
    });

    test('acknowledge, note, assign, resolve record who did it; SLA met and breached', async () => {
      const { clock, svc } = await setup();
      const inc = await svc.handleAlert({ kind: 'firing', alert: alert(api, clock.now()) });
      assert.ok(inc);
      await clock.advance(2 * 60_000);
      await svc.acknowledge(inc.id, 'alice');
      await assert.rejects(svc.acknowledge(inc.id, 'alice'), (e: unknown) => e instanceof DomainError && e.kind === 'conflict');
      await svc.addNote(inc.id, 'alice', 'rolled back deploy 42');
      await svc.assign(inc.id, 'alice', 'bob');
      await clock.advance(2 * 3600_000);
      const done = await svc.resolve(inc.id, 'bob');
      assert.equal(done.status, 'resolved');
      const d = await svc.detail(inc.id);
      assert.equal(d.incident.acknowledgedBy, 'alice');
      assert.equal(d.incident.assignee, 'bob');
      assert.equal(d.sla.time_to_acknowledge.state, 'met');
      assert.equal(d.sla.time_to_acknowledge.actual_ms, 120_000);
      assert.equal(d.sla.time_to_resolve.state, 'breached');
      const who = d.timeline.filter((e) => e.kind === 'status_changed').map((e) => e.actor);
      assert.deepEqual(who, ['alice', 'bob']);
      assert.ok(d.timeline.some((e) => e.kind === 'note' && e.message === 'rolled back deploy 42' && e.actor === 'alice'));
      await assert.rejects(svc.resolve(inc.id, 'bob'), /already resolved/);
      await assert.rejects(svc.acknowledge('INC-2026-9999', 'x'), (e: unknown) => e instanceof DomainError && e.kind === 'not_found');
      const md = postmortemMarkdown(d, clock.now());
      for (const h of ['## Summary', '## Impact', '## Timeline', '## Root cause', '## Resolution', '## Action items', '## Lessons learned']) assert.ok(md.includes(h), h);
      assert.match(md, /\| Duration \| 2h2m \|/);
      assert.match(md, /rolled back deploy 42/);
    });

    test('response targets are judged with the severity in force when each happened', async () => {
      const { clock, svc } = await setup();
      const inc = await svc.handleAlert({ kind: 'firing', alert: alert(api, clock.now()) });
      assert.ok(inc);
      await clock.advance(10 * 60_000);
      await svc.acknowledge(inc.id, 'alice'); // critical: 5m to acknowledge → breached
      await svc.setSeverity(inc.id, 'alice', 'low'); // low: 7d to resolve, while still open
      let d = await svc.detail(inc.id);
      assert.equal(d.sla.time_to_acknowledge.state, 'breached', 'a later change does not rewrite the acknowledgement verdict');
      assert.equal(d.sla.time_to_acknowledge.target_ms, 5 * 60_000);
      assert.equal(d.sla.time_to_resolve.target_ms, 7 * 24 * 3600_000, 'an open target follows the current severity');
      await clock.advance(2 * 3600_000);
      await svc.resolve(inc.id, 'alice'); // resolved under low: met
      await svc.setSeverity(inc.id, 'alice', 'critical'); // after the fact
      d = await svc.detail(inc.id);
      assert.equal(d.incident.severity, 'critical');
      assert.equal(d.sla.time_to_resolve.state, 'met');
      assert.equal(d.sla.time_to_resolve.target_ms, 7 * 24 * 3600_000);
      assert.equal(d.sla.time_to_acknowledge.state, 'breached');
      assert.equal(d.sla.time_to_acknowledge.target_ms, 5 * 60_000);
      // Resolved without an acknowledgement: both judged with the severity at resolution.
      const other = await svc.handleAlert({ kind: 'firing', alert: alert({ ...api, service: 'cart' }, clock.now()) });
      assert.ok(other);
      await svc.setSeverity(other.id, 'alice', 'medium');
      await clock.advance(30 * 60_000);
      await svc.resolve(other.id, 'alice');
      await svc.setSeverity(other.id, 'alice', 'critical');
      const o = await svc.detail(other.id);
      assert.equal(o.sla.time_to_acknowledge.state, 'met', 'medium: 1h to acknowledge');
      assert.equal(o.sla.time_to_resolve.state, 'met', 'medium: 24h to resolve');
    });

    test('default policy: all alerts resolved moves the incident to mitigated, refiring reopens it', async () => {
      const { clock, svc } = await setup('mitigate');
      const t0 = clock.now();
      const inc = await svc.handleAlert({ kind: 'firing', alert: alert(api, t0) });
      await svc.handleAlert({ kind: 'firing', alert: alert(latency, t0) });
      await clock.advance(60_000);
      let r = await svc.handleAlert({ kind: 'resolved', alert: alert(api, t0, clock.now()) });
      assert.equal(r?.status, 'triggered', 'one alert still firing');
      r = await svc.handleAlert({ kind: 'resolved', alert: alert(latency, t0, clock.now()) });
      assert.equal(r?.status, 'mitigated');
      r = await svc.handleAlert({ kind: 'firing', alert: alert(api, clock.now()) });
      assert.equal(r?.id, inc?.id);
      assert.equal(r?.status, 'triggered');
    });

    test('resolve policy resolves by itself; a new alert afterwards opens a new incident', async () => {
      const { clock, svc } = await setup('resolve');
      const inc = await svc.handleAlert({ kind: 'firing', alert: alert(api, clock.now()) });
      const r = await svc.handleAlert({ kind: 'resolved', alert: alert(api, clock.now(), clock.now()) });
      assert.equal(r?.status, 'resolved');
      assert.equal(r?.resolvedBy, 'vigil');
      const again = await svc.handleAlert({ kind: 'firing', alert: alert(api, clock.now()) });
      assert.notEqual(again?.id, inc?.id);
      assert.equal((await svc.list({ status: 'resolved' })).length, 1);
      assert.equal((await svc.list({ status: 'all' })).length, 2);
    });

    test('notification outcomes land on the timeline of the incident that links the alert', async () => {
      const { clock, svc } = await setup();
      const inc = await svc.handleAlert({ kind: 'firing', alert: alert(api, clock.now()) });
      assert.ok(inc);
      const d0 = await svc.detail(inc.id);
      const fp = d0.alerts[0]?.fingerprint ?? '';
      await svc.recordNotification({ receiver: 'ops', fingerprints: [fp], ok: true, status: 'firing' });
      await svc.recordNotification({ receiver: 'pager', fingerprints: [fp], ok: false, status: 'firing', error: 'HTTP 500', attempts: 7 });
      const kinds = (await svc.detail(inc.id)).timeline.map((e) => e.kind);
      assert.deepEqual(kinds.slice(-2), ['notification_sent', 'notification_failed']);
    });

    test('findOpenByAlerts answers as findOpenByAlert does, for many fingerprints at once', async () => {
      const repo = await makeRepo();
      const base = { severity: 'high' as const, services: [], assignee: null, acknowledgedAt: null, acknowledgedBy: null, mitigatedAt: null, resolvedBy: null, acknowledgedSeverity: null, resolvedSeverity: null };
      const mk = (n: number, openedAt: number, resolved: boolean) => ({
        ...base, id: `INC-2026-${String(n).padStart(4, '0')}`, title: `i${n}`, status: resolved ? ('resolved' as const) : ('triggered' as const), openedAt, resolvedAt: resolved ? openedAt + 1 : null, updatedAt: openedAt,
      });
      await repo.insert(mk(1, 1000, true));
      await repo.insert(mk(2, 2000, false));
      await repo.insert(mk(3, 3000, false));
      const link = (incidentId: string, fingerprint: string) => repo.upsertAlert({ incidentId, fingerprint, labels: { a: fingerprint }, annotations: {}, status: 'firing', startsAt: 0, endsAt: null });
      await link('INC-2026-0001', 'aa'); // resolved: not found
      await link('INC-2026-0002', 'bb');
      await link('INC-2026-0003', 'bb'); // two open incidents: the same one as findOpenByAlert
      await link('INC-2026-0002', 'cc');
      const fps = ['aa', 'bb', 'cc', 'dd', 'bb'];
      const got = await repo.findOpenByAlerts(fps);
      assert.deepEqual([...got.keys()].sort(), ['bb', 'cc']);
      assert.equal(got.get('cc')?.id, 'INC-2026-0002');
      for (const fp of fps) assert.equal(got.get(fp)?.id, (await repo.findOpenByAlert(fp))?.id, fp);
      assert.equal((await repo.findOpenByAlerts([])).size, 0);
    });

    test('list with overlapping returns exactly the incidents open at some time in [from, to)', async () => {
      const repo = await makeRepo();
      const inc = (n: number, openedAt: number, resolvedAt: number | null) => ({
        id: `INC-2026-${String(n).padStart(4, '0')}`, title: `i${n}`, severity: 'high' as const, status: resolvedAt === null ? ('triggered' as const) : ('resolved' as const),
        services: ['s'], assignee: null, openedAt, acknowledgedAt: null, acknowledgedBy: null, mitigatedAt: null, resolvedAt, resolvedBy: null,
        acknowledgedSeverity: null, resolvedSeverity: null, updatedAt: openedAt,
      });
      const rows = [
        inc(1, 100, 200), // resolved exactly at from: out
        inc(2, 100, 201), // resolved just after from: in
        inc(3, 150, null), // opened before, still open: in
        inc(4, 250, 260), // inside: in
        inc(5, 299, null), // opened just before to: in
        inc(6, 300, null), // opened exactly at to: out
        inc(7, 400, 500), // after: out
        inc(8, 10, 50), // before: out
      ];
      for (const r of rows) await repo.insert(r);
      const ids = (f: Parameters<IncidentRepo['list']>[0]) => repo.list(f).then((l) => l.map((i) => i.id).sort());
      assert.deepEqual(await ids({ status: 'all', overlapping: { from: 200, to: 300 } }), ['INC-2026-0002', 'INC-2026-0003', 'INC-2026-0004', 'INC-2026-0005']);
      assert.deepEqual(await ids({ status: 'open', overlapping: { from: 200, to: 300 } }), ['INC-2026-0003', 'INC-2026-0005']);
      assert.deepEqual(await ids({ status: 'all', overlapping: { from: 0, to: 1000 } }), rows.map((r) => r.id).sort());
      assert.equal((await repo.list({ status: 'all', overlapping: { from: 200, to: 300 }, limit: 1 }))[0]?.id, 'INC-2026-0005');
    });
  });
}

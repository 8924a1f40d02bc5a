import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../model/clock.js';
import { DomainError } from '../model/errors.js';
import { openSqlite } from '../db/database.js';
import { MaintenanceService } from './service.js';
import { MemoryMaintenanceStore } from './memory-store.js';
import { maintenanceMigrations } from './store/migrations.js';
import { SqlMaintenanceStore } from './store/sql-maintenance-store.js';
import type { MaintenanceEvent } from './types.js';

const T0 = Date.UTC(2026, 11, 6, 1, 0);
const MIN = 60_000;

function harness(configured: ConstructorParameters<typeof MaintenanceService>[0]['configured'] = []) {
  const clock = new FakeClock(T0);
  let n = 0;
  const svc = new MaintenanceService({ store: new MemoryMaintenanceStore(), clock, configured, newId: () => `mw-${++n}` });
  const events: string[] = [];
  svc.subscribe((e: MaintenanceEvent) => events.push(`${e.kind} ${e.window.id} @${(e.at - T0) / MIN}m`));
  return { clock, svc, events };
}

describe('MaintenanceService', () => {
  test('config windows mute their services while active, announce start and end on the clock', async () => {
    const { clock, svc, events } = harness([{ services: ['shop-db'], start: '2026-12-06T02:00:00Z', end: '2026-12-06T04:00:00+00:00', reason: 'upgrade' }]);
    await svc.start();
    const muter = svc.muter();
    const alert = { fingerprint: 'f', labels: { alertname: 'DbDown', service: 'shop-db' } };
    assert.deepEqual(muter.mutedBy(alert, clock.now()), []);
    await clock.advance(60 * MIN);
    const [w] = svc.list();
    assert.ok(w);
    assert.match(w.id, /^config-[0-9a-f]{12}$/);
    assert.deepEqual(muter.mutedBy(alert, clock.now()), [w.id]);
    assert.deepEqual(muter.mutedBy({ fingerprint: 'g', labels: { service: 'shop-api' } }, clock.now()), []);
    assert.deepEqual(muter.mutedBy({ fingerprint: 'h', labels: { alertname: 'NoService' } }, clock.now()), []);
    assert.deepEqual(svc.activeFor('shop-db').map((x) => x.id), [w.id]);
    await clock.advance(120 * MIN);
    assert.deepEqual(muter.mutedBy(alert, clock.now()), [], 'end is exclusive');
    assert.deepEqual(events, [`started ${w.id} @60m`, `ended ${w.id} @180m`]);
    assert.deepEqual(svc.list({ states: ['completed'] }).map((x) => x.id), [w.id]);
    await assert.rejects(svc.cancel(w.id, 'alice'), (e: DomainError) => e.kind === 'conflict' && /configuration/.test(e.message));
  });

  test('API windows: a past start becomes now; cancelling an upcoming one removes it, an active one ends it now', async () => {
    const { clock, svc, events } = harness();
    await svc.start();
    const a = await svc.create({ services: ['shop-api'], start: T0 - 10 * MIN, end: T0 + 30 * MIN, reason: 'deploy' }, 'alice');
    assert.equal(a.start, T0);
    const b = await svc.create({ services: ['shop-api', 'shop-db'], start: T0 + 60 * MIN, end: T0 + 90 * MIN, reason: 'later' }, 'bob');
    assert.deepEqual(svc.list({ states: ['active'] }).map((x) => x.id), ['mw-1']);
    assert.deepEqual(svc.list({ states: ['upcoming'], service: 'shop-db' }).map((x) => x.id), ['mw-2']);
    await clock.advance(10 * MIN);
    const ended = await svc.cancel(a.id, 'carol');
    assert.equal(ended?.end, T0 + 10 * MIN);
    assert.equal(ended?.plannedEnd, T0 + 30 * MIN);
    assert.equal(ended?.endedEarlyBy, 'carol');
    assert.equal(await svc.cancel(b.id, 'carol'), undefined);
    assert.equal(svc.get(b.id), undefined);
    await clock.advance(120 * MIN);
    assert.deepEqual(events, ['created mw-1 @0m', 'started mw-1 @0m', 'created mw-2 @0m', 'ended mw-1 @10m', 'cancelled mw-2 @10m']);
    await assert.rejects(svc.cancel(a.id, 'carol'), /over/);
  });

  test('a reload that takes config windows out: an upcoming one is cancelled, one in progress ends now, a completed one goes quietly', async () => {
    const decl = (start: string, end: string, reason: string) => ({ services: ['shop-db'], start, end, reason });
    const done = decl('2026-12-06T00:00:00Z', '2026-12-06T00:30:00Z', 'done');
    const running = decl('2026-12-06T00:30:00Z', '2026-12-06T02:00:00Z', 'running');
    const later = decl('2026-12-06T05:00:00Z', '2026-12-06T06:00:00Z', 'later');
    const kept = decl('2026-12-06T07:00:00Z', '2026-12-06T08:00:00Z', 'kept');
    const { clock, svc, events } = harness([done, running, later, kept]);
    await svc.start();
    const id = (reason: string) => svc.list().find((w) => w.reason === reason)!.id;
    const [runningId, laterId] = [id('running'), id('later')];
    const seen: MaintenanceEvent[] = [];
    svc.subscribe((e) => seen.push(e));
    await clock.advance(10 * MIN);
    svc.setConfigured([kept]);
    assert.deepEqual(events, [`ended ${runningId} @10m`, `cancelled ${laterId} @10m`]);
    const ended = seen.find((e) => e.kind === 'ended')!.window;
    assert.deepEqual([ended.end, ended.plannedEnd, ended.endedEarlyBy], [clock.now(), Date.parse(running.end), 'config']);
    assert.deepEqual(svc.list().map((w) => w.reason), ['kept']);
    await clock.advance(200 * MIN);
    assert.deepEqual(events.length, 2, 'no timer fires for the windows taken out');
  });

  test('bad windows are refused with the reason', async () => {
    const { svc } = harness();
    await svc.start();
    await assert.rejects(svc.create({ services: [], start: T0, end: T0 + MIN, reason: '' }, 'x'), /at least one service/);
    await assert.rejects(svc.create({ services: ['a', 'a'], start: T0, end: T0 + MIN, reason: '' }, 'x'), /named twice/);
    await assert.rejects(svc.create({ services: ['a'], start: T0 + MIN, end: T0, reason: '' }, 'x'), /after start/);
    await assert.rejects(svc.create({ services: ['a'], start: T0 - 2 * MIN, end: T0 - MIN, reason: '' }, 'x'), /future/);
    await assert.rejects(svc.update('nope', { reason: 'x' }, 'x'), (e: DomainError) => e.kind === 'not_found');
  });

  test('updates: an upcoming window may move, an active one keeps its start; a moved start is announced once', async () => {
    const { clock, svc, events } = harness();
    await svc.start();
    const w = await svc.create({ services: ['api'], start: T0 + 60 * MIN, end: T0 + 120 * MIN, reason: '' }, 'a');
    await svc.update(w.id, { start: T0 + 30 * MIN }, 'a');
    await clock.advance(40 * MIN);
    await assert.rejects(svc.update(w.id, { start: T0 + 35 * MIN }, 'a'), /cannot change/);
    await svc.update(w.id, { end: T0 + 50 * MIN, reason: 'shorter' }, 'a');
    await clock.advance(60 * MIN);
    assert.deepEqual(events, ['created mw-1 @0m', 'updated mw-1 @0m', 'started mw-1 @30m', 'updated mw-1 @40m', 'ended mw-1 @50m']);
  });

  test('intervals merge overlapping windows and clip them to the range', async () => {
    const { svc } = harness([
      { services: ['api'], start: '2026-12-06T00:00:00Z', end: '2026-12-06T01:30:00Z', reason: '' },
      { services: ['api', 'db'], start: '2026-12-06T01:00:00Z', end: '2026-12-06T02:00:00Z', reason: '' },
      { services: ['api'], start: '2026-12-06T03:00:00Z', end: '2026-12-06T05:00:00Z', reason: '' },
    ]);
    const h = 3600_000;
    const day = Date.UTC(2026, 11, 6);
    assert.deepEqual(svc.intervals('api', day + 0.5 * h, day + 4 * h), [
      { start: day + 0.5 * h, end: day + 2 * h },
      { start: day + 3 * h, end: day + 4 * h },
    ]);
    assert.deepEqual(svc.intervals('db', day, day + 24 * h), [{ start: day + h, end: day + 2 * h }]);
    assert.deepEqual(svc.intervals('web', day, day + 24 * h), []);
  });

  test('timers never wait longer than a day (a window months away still starts on time)', async () => {
    const { clock, svc, events } = harness();
    await svc.start();
    await svc.create({ services: ['api'], start: T0 + 60 * 24 * 60 * MIN, end: T0 + 61 * 24 * 60 * MIN, reason: '' }, 'a');
    await clock.advance(60 * 24 * 60 * MIN);
    assert.deepEqual(events.slice(1), [`started mw-1 @${60 * 24 * 60}m`]);
  });

  test('windows persist in SQLite and come back after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-maint-'));
    try {
      const clock = new FakeClock(T0);
      let db = await openSqlite(dir, [maintenanceMigrations]);
      let svc = new MaintenanceService({ store: new SqlMaintenanceStore(db.db), clock });
      await svc.start();
      const w = await svc.create({ services: ['api', 'db'], start: T0 + MIN, end: T0 + 60 * MIN, reason: 'kernel' }, 'alice');
      await clock.advance(2 * MIN);
      await svc.cancel(w.id, 'bob');
      svc.stop();
      await db.close();
      db = await openSqlite(dir, [maintenanceMigrations]);
      svc = new MaintenanceService({ store: new SqlMaintenanceStore(db.db), clock });
      await svc.start();
      assert.deepEqual(svc.get(w.id), { ...w, end: T0 + 2 * MIN, endedEarlyBy: 'bob', plannedEnd: T0 + 60 * MIN, updatedAt: T0 + 2 * MIN });
      assert.equal(await svc.prune(T0 + 3 * MIN), 1);
      assert.equal(svc.list().length, 0);
      svc.stop();
      await db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

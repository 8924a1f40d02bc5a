import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../model/clock.js';
import { buildRoute, rootRouteSchema } from '../alerting/index.js';
import { openSqlite } from '../db/database.js';
import { InMemoryAlertStateStore } from './alert-state-store.js';
import type { StoredAlert } from './intake.js';
import { AlertPipeline } from './pipeline.js';
import { alertsMigrations } from './store/migrations.js';
import { SqlAlertStore } from './store/sql-alert-store.js';
import { WriteBehindAlertStore } from './write-behind-store.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-write-behind-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);

function stored(name: string, endsAt: number, updatedAt = T0): StoredAlert {
  return { labels: { alertname: name }, annotations: {}, startsAt: T0, endsAt, generatorURL: '', updatedAt, fingerprint: `fp-${name}`, timeout: false, source: 'api' };
}

/** An inner store that counts writes and can be told to fail. */
class CountingStore extends InMemoryAlertStateStore {
  writes: number[] = [];
  failNext = false;
  override async save(alerts: readonly StoredAlert[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    this.writes.push(alerts.length);
    await super.save(alerts);
  }
}

test('saves wait in memory and go to the inner store in one write per interval, newest copy per fingerprint', async () => {
  const clock = new FakeClock(T0);
  const inner = new CountingStore();
  const wb = new WriteBehindAlertStore(inner, { clock, interval: 1000 });
  await wb.save([stored('a', T0 + 60_000), stored('b', T0 + 60_000)]);
  await wb.save([stored('a', T0 + 120_000, T0 + 10)]);
  assert.deepEqual(inner.writes, []);
  assert.equal((await inner.all()).length, 0);
  // Not yet persisted, but all() (a restart's view in-process) has them.
  assert.equal((await wb.all()).length, 2);
  await clock.advance(999);
  assert.deepEqual(inner.writes, []);
  await clock.advance(1);
  assert.deepEqual(inner.writes, [2]);
  assert.equal((await inner.all()).find((a) => a.fingerprint === 'fp-a')?.endsAt, T0 + 120_000);
  // Nothing new: no timer, no write.
  await clock.advance(5000);
  assert.deepEqual(inner.writes, [2]);
  assert.equal(clock.pendingTimers(), 0);
});

test('a failed write loses nothing: its alerts are written at the next interval, under newer copies', async () => {
  const clock = new FakeClock(T0);
  const inner = new CountingStore();
  const errors: unknown[] = [];
  const wb = new WriteBehindAlertStore(inner, { clock, interval: 1000, onError: (e) => errors.push(e) });
  await wb.save([stored('a', T0 + 60_000), stored('b', T0 + 60_000)]);
  inner.failNext = true;
  await clock.advance(1000);
  assert.equal(errors.length, 1);
  assert.deepEqual(inner.writes, []);
  await wb.save([stored('b', T0 + 90_000, T0 + 1000)]);
  await clock.advance(1000);
  assert.deepEqual(inner.writes, [2]);
  const all = await inner.all();
  assert.deepEqual(all.map((a) => [a.fingerprint, a.endsAt]).sort(), [['fp-a', T0 + 60_000], ['fp-b', T0 + 90_000]]);
});

test('flush() writes at once (the pipeline stops with it); a non-positive interval is refused', async () => {
  const clock = new FakeClock(T0);
  const inner = new CountingStore();
  const wb = new WriteBehindAlertStore(inner, { clock, interval: 60_000 });
  await wb.save([stored('a', T0 + 60_000)]);
  await wb.flush();
  assert.deepEqual(inner.writes, [1]);
  assert.equal(clock.pendingTimers(), 0);
  assert.throws(() => new WriteBehindAlertStore(inner, { clock, interval: 0 }), /must be positive/);
});

test('on SQLite: a crash loses at most the last interval; a clean stop loses nothing', async () => {
  const clock = new FakeClock(T0);
  const route = buildRoute(rootRouteSchema.parse({ receiver: 'ops', group_wait: '30s', group_interval: '5m', repeat_interval: '4h' }));
  const open = async () => {
    const d = await openSqlite(join(dir, 'crash'), [alertsMigrations]);
    const pipeline = new AlertPipeline({ clock, route, notify: async () => {}, store: new WriteBehindAlertStore(new SqlAlertStore(d.db), { clock, interval: 1000 }) });
    await pipeline.start();
    return { d, pipeline };
  };
  const post = (p: AlertPipeline, name: string) => p.intake([{ labels: { alertname: name }, endsAt: clock.now() + 3600_000 }], { name: 'api' });
  const names = (p: AlertPipeline) => p.alerts().map((v) => v.alert.labels['alertname']).sort();

  const first = await open();
  await post(first.pipeline, 'Persisted');
  await clock.advance(1000);
  await post(first.pipeline, 'InTheWindow');
  // SIGKILL: the process is gone without stopping; a new one opens the same file.
  const second = await open();
  assert.deepEqual(names(second.pipeline), ['Persisted']);
  await post(second.pipeline, 'BeforeStop');
  await second.pipeline.stop();
  await second.d.close();
  const third = await open();
  assert.deepEqual(names(third.pipeline), ['BeforeStop', 'Persisted']);
  await third.pipeline.stop();
  await third.d.close();
  await first.pipeline.stop();
  await first.d.close();
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../db/database.js';
import { probesMigrations } from './migrations.js';
import { SqlCheckStore } from './sql-check-store.js';

test('check history: results newest first, uptime per window, state round-trips, pruning', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-checks-'));
  const o = await openSqlite(dir, [probesMigrations]);
  try {
    const store = new SqlCheckStore(o.db, 3 * 24 * 3600_000);
    const now = Date.UTC(2026, 5, 30, 12, 0, 0);
    const day = 24 * 3600_000;
    const rs = [
      // 10 days ago: 4 failures
      ...Array.from({ length: 4 }, (_, i) => ({ check: 'a', t: now - 10 * day + i, success: false, durationMs: 5, message: 'status 503' })),
      // 2 days ago: 4 successes
      ...Array.from({ length: 4 }, (_, i) => ({ check: 'a', t: now - 2 * day + i, success: true, durationMs: 5, message: 'ok' })),
      // 1 hour ago: 1 failure, 1 success
      { check: 'a', t: now - 3600_000 + 1, success: false, durationMs: 5, message: 'timeout after 500ms' },
      { check: 'a', t: now - 10, success: true, durationMs: 7, message: 'ok' },
      { check: 'b', t: now - 10, success: true, durationMs: 7, message: 'ok' },
    ];
    await store.record(rs);
    const up = await store.uptime('a', now);
    assert.equal(up['24h'], 0.5);
    assert.equal(up['7d'], 5 / 6);
    assert.equal(up['30d'], 5 / 10);
    assert.equal((await store.uptime('zzz', now))['24h'], null);
    const latest = await store.results('a', { limit: 2 });
    assert.deepEqual(latest.map((r) => r.message), ['ok', 'timeout after 500ms']);
    await store.saveState('a', { failures: 2 }, now);
    await store.saveState('a', { failures: 3 }, now);
    assert.deepEqual((await store.loadStates()).get('a'), { failures: 3 });
    await store.prune(now);
    assert.equal((await store.results('a', { limit: 100 })).length, 6);
    assert.equal((await store.uptime('a', now))['30d'], 5 / 10, 'rollups outlive raw results');
  } finally {
    await o.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('check history: results, rollups and states of a flush go in together; rollups add up across flushes; the newest state per check wins', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-checks-'));
  const o = await openSqlite(dir, [probesMigrations]);
  try {
    const store = new SqlCheckStore(o.db);
    const now = Date.UTC(2026, 5, 30, 12, 30, 0);
    // More checks than one INSERT carries, so every statement runs in several chunks.
    const names = Array.from({ length: 1201 }, (_, i) => `c${i}`);
    const flush = (t: number, success: (i: number) => boolean) =>
      store.record(
        names.map((check, i) => ({ check, t, success: success(i), durationMs: 3, message: 'm' })),
        names.flatMap((check, i) => [
          { check, state: { n: -1 }, at: t },
          { check, state: { n: i, t }, at: t },
        ]),
      );
    await flush(now, () => true);
    await flush(now + 1000, (i) => i % 2 === 0);
    assert.equal((await store.uptime('c1', now + 2000))['24h'], 0.5);
    assert.equal((await store.uptime('c1200', now + 2000))['24h'], 1);
    assert.equal((await store.results('c7', { limit: 10 })).length, 2);
    const states = await store.loadStates();
    assert.equal(states.size, names.length);
    assert.deepEqual(states.get('c1200'), { n: 1200, t: now + 1000 });
    await store.record([], [{ check: 'c3', state: { n: 'only a state' }, at: now + 3000 }]);
    assert.deepEqual((await store.loadStates()).get('c3'), { n: 'only a state' });
  } finally {
    await o.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('daily rollups: summed over checks per UTC day, kept past the hourly ones, filled from existing hourly rollups', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-checks-daily-'));
  const day = 24 * 3600_000;
  const now = Date.UTC(2026, 11, 7, 12, 0, 0);
  const today = Date.UTC(2026, 11, 7);
  try {
    // A database from before the daily table: hourly rollups only.
    const old = await openSqlite(dir, [{ probes_0001_checks: probesMigrations['probes_0001_checks']! }]);
    await old.db
      .insertInto('check_rollups')
      .values([
        { check_name: 'a', hour: today - 3 * day + 3600_000, total: 1, ok: 1 },
        { check_name: 'a', hour: today - 3 * day + 7200_000, total: 1, ok: 0 },
      ])
      .execute();
    await old.close();
    const o = await openSqlite(dir, [probesMigrations]);
    const store = new SqlCheckStore(o.db);
    await store.record([
      { check: 'a', t: today + 1000, success: true, durationMs: 1, message: 'ok' },
      { check: 'b', t: today + 2000, success: false, durationMs: 1, message: 'down' },
      { check: 'b', t: today - 60 * day, success: true, durationMs: 1, message: 'ok' },
      { check: 'c', t: today + 3000, success: false, durationMs: 1, message: 'other service' },
    ]);
    const rows = await store.daily(['a', 'b'], today - 89 * day, today + day);
    assert.deepEqual(
      rows.sort((x, y) => x.day - y.day),
      [
        { day: today - 60 * day, total: 1, ok: 1 },
        { day: today - 3 * day, total: 2, ok: 1 },
        { day: today, total: 2, ok: 1 },
      ],
    );
    assert.deepEqual(await store.daily([], 0, now), []);
    await store.prune(now);
    assert.equal((await store.daily(['b'], today - 89 * day, today + day)).length, 2, 'daily rollups outlive the 31-day hourly ones');
    await o.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

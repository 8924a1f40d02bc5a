// The alert history's label filter on a real SQLite file: the same answers as matching every
// alert's labels, looked up through the label index (the query plan says so), the index filled
// from entries recorded before it existed, and emptied of alerts whose entries are pruned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { openSqlite } from '../../db/database.js';
import { newMatcher, type MatchType } from '../../model/matcher.js';
import { historyEntries, matchingFingerprints, type HistoryEntry, type HistoryRecord } from '../history.js';
import { alertsMigrations } from './migrations.js';
import { SqlAlertHistory } from './sql-history.js';
import type { AlertTables } from './tables.js';

const T0 = Date.UTC(2026, 11, 7);
const fp = (i: number) => i.toString(16).padStart(16, '0');

/** 60 alerts over a few services, teams and severities; some without a team. */
function alerts(): Array<{ fingerprint: string; labels: Record<string, string> }> {
  return Array.from({ length: 60 }, (_, i) => ({
    fingerprint: fp(i + 1),
    labels: { alertname: `A${i % 7}`, service: ['api', 'db', 'web'][i % 3] ?? '', severity: ['critical', 'warning'][i % 2] ?? '', ...(i % 4 ? { team: `t${i % 4}` } : {}) },
  }));
}

/** Alert n fires at T0 + n and resolves at T0 + 1000 + n. */
const entries = (list: ReturnType<typeof alerts>): HistoryEntry[] =>
  list.flatMap((a) => [
    { fingerprint: a.fingerprint, at: T0 + parseInt(a.fingerprint, 16) - 1, kind: 'fired' as const, labels: a.labels },
    { fingerprint: a.fingerprint, at: T0 + 1000 + parseInt(a.fingerprint, 16) - 1, kind: 'resolved' as const },
  ]);

test('the label filter answers as matching every alert would, through the index; old entries are indexed by the migration; pruning empties it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-history-'));
  try {
    const list = alerts();
    // A database from before the index: history rows only.
    const { alerts_0004_history_labels: _, ...before } = alertsMigrations;
    let o = await openSqlite(dir, [before]);
    await (o.db as Kysely<AlertTables>)
      .insertInto('alert_history')
      .values(entries(list.slice(0, 40)).map(({ fingerprint, at, kind, ...rest }) => ({ fingerprint, at, kind, entry: JSON.stringify(rest) })))
      .execute();
    await o.close();

    o = await openSqlite(dir, [alertsMigrations]);
    const db = o.db as Kysely<AlertTables>;
    const history = new SqlAlertHistory(db);
    await history.record(entries(list.slice(40)));
    const indexed = await db.selectFrom('alert_history_alerts').select('fingerprint').execute();
    assert.equal(indexed.length, 60, 'alerts recorded before the migration are indexed too');

    const cases: Array<Array<[MatchType, string, string]>> = [
      [['=', 'service', 'db']],
      [['=', 'service', 'db'], ['=', 'severity', 'critical']],
      [['=~', 'alertname', 'A[12]'], ['!=', 'service', 'web']],
      [['=', 'team', '']],
      [['!=', 'team', '']],
      [['!~', 'team', 't1|t2'], ['=', 'severity', 'warning']],
      [['=~', 'team', '.*']],
      [['=', 'service', 'nope']],
    ];
    for (const c of cases) {
      const matchers = c.map(([t, n, v]) => newMatcher(t, n, v));
      const want = [...matchingFingerprints(matchers, list)].sort();
      const got = [...new Set((await history.query({ matchers, limit: 1000 })).map((e) => e.fingerprint))].sort();
      assert.deepEqual(got, want, JSON.stringify(c));
      assert.ok((await history.query({ matchers, limit: 1000 })).every((e) => e.kind === 'fired' || e.kind === 'resolved'));
    }
    assert.equal((await history.query({ matchers: [newMatcher('=', 'service', 'api')], limit: 3 })).length, 3, 'limit applies');

    const plan = await sql<{ detail: string }>`EXPLAIN QUERY PLAN SELECT fingerprint, value FROM alert_history_labels WHERE name = ${'service'} AND value = ${'db'}`.execute(db);
    assert.match(plan.rows.map((r) => r.detail).join('\n'), /SEARCH alert_history_labels USING (COVERING )?INDEX/);

    // Entries of the first 30 alerts age out; their labels leave the index with them.
    await history.prune(T0 + 30);
    await history.prune(T0 + 1030);
    assert.equal((await db.selectFrom('alert_history_alerts').select('fingerprint').execute()).length, 30);
    assert.deepEqual(
      [...new Set((await history.query({ matchers: [newMatcher('=', 'service', 'db')], limit: 1000 })).map((e) => e.fingerprint))].sort(),
      [...matchingFingerprints([newMatcher('=', 'service', 'db')], list.slice(30))].sort(),
    );
    await o.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('batches of entries are stored as the entries they stand for, in order, across transactions; queries answer alike', async () => {
  const dirs = [mkdtempSync(join(tmpdir(), 'vigil-history-')), mkdtempSync(join(tmpdir(), 'vigil-history-'))];
  try {
    // 2,600 alerts firing (more than one transaction of entries), a notification, a timeout resolve, a mute in between.
    const list = Array.from({ length: 2600 }, (_, i) => ({ fingerprint: fp(i + 1), labels: { alertname: `A${i % 7}`, i: String(i) } }));
    const records: HistoryRecord[] = [
      { kind: 'fired', at: T0, detail: 'api', alerts: list.slice(0, 1300) },
      { fingerprint: fp(1), at: T0 + 1, kind: 'muted', stage: 'silenced', by: ['s1'] },
      { kind: 'fired', at: T0 + 2, detail: 'rules', alerts: list.slice(1300) },
      { kind: 'notified', at: T0 + 3, receiver: 'hook', detail: 'firing', alerts: list.slice(0, 100).map((a) => a.fingerprint) },
      { kind: 'notify_failed', at: T0 + 4, receiver: 'pager', detail: 'HTTP 500', alerts: [fp(5)] },
      { kind: 'resolved', at: T0 + 5, detail: 'resolve_timeout', alerts: [fp(7), fp(8)] },
      { kind: 'resolved', at: T0 + 6, alerts: [fp(9)] },
    ];
    const single: HistoryEntry[] = [...historyEntries(records)];
    assert.equal(single.length, 2600 + 1 + 100 + 1 + 2 + 1);
    assert.deepEqual(single[0], { fingerprint: fp(1), at: T0, kind: 'fired', labels: list[0]?.labels, detail: 'api' });
    assert.deepEqual(single.at(-3), { fingerprint: fp(7), at: T0 + 5, kind: 'resolved', detail: 'resolve_timeout' });
    assert.deepEqual(single.at(-1), { fingerprint: fp(9), at: T0 + 6, kind: 'resolved' });
    const rows: unknown[][] = [];
    const answers: unknown[] = [];
    for (const [n, dir] of dirs.entries()) {
      const o = await openSqlite(dir, [alertsMigrations]);
      const db = o.db as Kysely<AlertTables>;
      const history = new SqlAlertHistory(db);
      await (n === 0 ? history.record(records) : history.record(single));
      rows.push(await db.selectFrom('alert_history').selectAll().orderBy('id').execute());
      assert.equal((await db.selectFrom('alert_history_alerts').select('fingerprint').execute()).length, 2600);
      answers.push(await history.query({ matchers: [newMatcher('=', 'alertname', 'A3')], limit: 5000 }), await history.query({ fingerprint: fp(1), limit: 10 }), await history.query({ limit: 20 }));
      await o.close();
    }
    assert.equal(rows[0]?.length, single.length);
    assert.deepEqual(rows[0], rows[1]);
    assert.deepEqual(answers.slice(0, 3), answers.slice(3));
    assert.deepEqual(
      (answers[1] as HistoryEntry[]).map((e) => e.kind),
      ['notified', 'muted', 'fired'],
    );
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});

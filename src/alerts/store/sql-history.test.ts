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
import { matchingFingerprints, type HistoryEntry } from '../history.js';
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

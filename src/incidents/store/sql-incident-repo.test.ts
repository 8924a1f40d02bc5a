import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeIncidentLifecycle } from '../testing.js';
import { openSqlite, type OpenedDatabase } from '../../db/database.js';
import { incidentsMigrations } from './migrations.js';
import { SqlIncidentRepo } from './sql-incident-repo.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-db-'));
const opened: OpenedDatabase[] = [];
let n = 0;
after(async () => {
  for (const o of opened) await o.close();
  rmSync(dir, { recursive: true, force: true });
});

describeIncidentLifecycle('sqlite repo', async () => {
  const o = await openSqlite(join(dir, `db${n++}`), [incidentsMigrations]);
  opened.push(o);
  return new SqlIncidentRepo(o.db);
});

test('incidents survive reopening the database file', async () => {
  const path = join(dir, 'reopen');
  const a = await openSqlite(path, [incidentsMigrations]);
  const repo = new SqlIncidentRepo(a.db);
  const id = await repo.nextId(2026);
  await repo.insert({
    id, title: 't', severity: 'high', status: 'triggered', services: ['x'], assignee: null, openedAt: 1,
    acknowledgedAt: null, acknowledgedBy: null, mitigatedAt: null, resolvedAt: null, resolvedBy: null, acknowledgedSeverity: null, resolvedSeverity: null, updatedAt: 1,
  });
  await a.close();
  const b = await openSqlite(path, [incidentsMigrations]);
  opened.push(b);
  const again = new SqlIncidentRepo(b.db);
  assert.equal((await again.get(id))?.services[0], 'x');
  assert.equal(await again.nextId(2026), 'INC-2026-0002');
});

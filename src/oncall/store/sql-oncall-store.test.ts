import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openSqlite, type OpenedDatabase } from '../../db/database.js';
import type { NewEscalation, PageJob } from '../escalation/types.js';
import { oncallMigrations } from './migrations.js';
import { SqlEscalationStore, SqlOverrideStore } from './sql-oncall-store.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-oncall-db-'));
const opened: OpenedDatabase[] = [];
after(async () => {
  for (const o of opened) await o.close();
  rmSync(dir, { recursive: true, force: true });
});

const esc: NewEscalation = {
  receiver: 'pager', groupKey: '{}:{alertname="A"}', policy: 'p', status: 'active', level: 0, round: 0, nextAt: 1000, startedAt: 0, updatedAt: 0,
  ackedAt: null, ackedBy: null, ackedVia: null, incidentId: null, fingerprints: ['0123456789abcdef'], message: '{}', paged: [],
};
const page: PageJob = { receiver: 'pager', integrationType: 'page', integrationIndex: 0, groupKey: esc.groupKey, fingerprints: esc.fingerprints, payload: '{}', createdAt: 0 };

test('a step commits with its pages or not at all: a failing enqueue rolls the escalation back', async () => {
  const o = await openSqlite(join(dir, 'atomic'), [oncallMigrations]);
  opened.push(o);
  const queued: PageJob[] = [];
  let fail = true;
  const store = new SqlEscalationStore(o.db, async (trx, job) => {
    // Written in the step's transaction: visible to it, gone if it rolls back.
    await trx.insertInto('oncall_keys').values({ name: `page-${queued.length}`, value: job.payload }).execute();
    if (fail) throw new Error('outbox full');
    queued.push(job);
  });
  const e = await store.insert(esc);
  await assert.rejects(store.commit(e.id, e.version, { level: 1, nextAt: 2000 }, { pages: [page], followups: [{ dueAt: 5000, person: 'alice', channels: ['sms'], level: 1, round: 0 }], doneFollowups: [] }), /outbox full/);
  assert.deepEqual(await store.get(e.id), e, 'nothing of the step applied');
  assert.equal((await o.db.selectFrom('oncall_keys').selectAll().execute()).length, 0);
  assert.equal(await store.nextDue(), 1000, 'no follow-up left behind');

  fail = false;
  assert.equal(await store.commit(e.id, e.version, { level: 1, nextAt: 2000 }, { pages: [page], followups: [], doneFollowups: [] }), true);
  assert.equal(queued.length, 1);
  assert.equal((await store.get(e.id))?.level, 1);
  assert.equal(await store.commit(e.id, e.version + 1, { paged: [{ person: 'alice', channel: 'sms' }] }, { pages: [], followups: [], doneFollowups: [] }), true);
  assert.deepEqual((await store.get(e.id))?.paged, [{ person: 'alice', channel: 'sms' }]);
  assert.equal(await store.commit(e.id, e.version, { level: 2 }, { pages: [page], followups: [], doneFollowups: [] }), false, 'a stale version applies nothing');
  assert.equal(queued.length, 1);
});

test('databases whose on-call tables were created by db/\'s old 0003_oncall migrate cleanly and keep their rows', async () => {
  const path = join(dir, 'legacy');
  const a = await openSqlite(path, [oncallMigrations]);
  await new SqlOverrideStore(a.db).add('primary', { person: 'dana', start: 1, end: 2 }, 'alice', 0);
  // As a database from before the move: the tables exist, the module's migration never ran.
  await sql`delete from kysely_migration where name = 'oncall_0001_tables'`.execute(a.db);
  await a.close();
  const b = await openSqlite(path, [oncallMigrations]);
  opened.push(b);
  const overrides = new SqlOverrideStore(b.db);
  await overrides.load();
  assert.deepEqual(overrides.list('primary').map((x) => x.person), ['dana']);
  const ran = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(b.db);
  assert.deepEqual(ran.rows.map((r) => r.name), ['0001_foundation', '0002_incident_target_severity', '0003_oncall', 'oncall_0001_tables', 'oncall_0002_paged', 'oncall_0003_calendar_feeds']);
});

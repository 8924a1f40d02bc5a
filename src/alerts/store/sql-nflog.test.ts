import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../db/database.js';
import { alertsMigrations } from './migrations.js';
import { SqlNotificationLog } from './sql-nflog.js';
import { notifyMigrations } from '../../notify/store/migrations.js';
import { SqlOutboxStore, insertOutboxJob, insertPlannedJobs, type PlannedJobs } from '../../notify/store/sql-outbox-store.js';
import type { NewJob } from '../../notify/outbox-store.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-nflog-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const job: NewJob = { receiver: 'ops', integrationType: 'webhook', integrationIndex: 0, groupKey: '{}:{a="1"}', fingerprints: ['fp1'], payload: '{}', createdAt: 1_000 };
const entry = { firing: ['fp1'], resolved: [], sentAt: 1_000 };

test('setWith commits the log entry and the outbox jobs together, and neither when the transaction fails', async () => {
  const path = join(dir, 'db');
  const a = await openSqlite(path, [alertsMigrations, notifyMigrations]);
  const log = await SqlNotificationLog.open(a.db);
  await log.setWith('ops', '{}:{a="1"}', entry, async (tx) => {
    await insertOutboxJob(tx, job);
  });
  await assert.rejects(
    log.setWith('ops', '{}:{a="2"}', entry, async (tx) => {
      await insertOutboxJob(tx, job);
      throw new Error('disk full');
    }),
    /disk full/,
  );
  assert.deepEqual(log.get('ops', '{}:{a="1"}'), entry);
  assert.equal(log.get('ops', '{}:{a="2"}'), undefined, 'a failed write leaves the cache as it was');
  await a.close();

  const b = await openSqlite(path, [alertsMigrations, notifyMigrations]);
  try {
    const reopened = await SqlNotificationLog.open(b.db);
    assert.deepEqual(reopened.get('ops', '{}:{a="1"}'), entry);
    assert.equal(reopened.get('ops', '{}:{a="2"}'), undefined);
    assert.equal(await new SqlOutboxStore(b.db).depth(), 1, 'only the committed notification is queued');
  } finally {
    await b.close();
  }
});

test('entries flushed together share one transaction and one multi-row insert of their jobs; each gets its own jobs with their ids', async () => {
  const a = await openSqlite(join(dir, 'batched'), [alertsMigrations, notifyMigrations]);
  try {
    const log = await SqlNotificationLog.open(a.db);
    let runs = 0;
    const run = async (tx: Parameters<typeof insertPlannedJobs>[0], items: readonly PlannedJobs[]) => {
      runs++;
      await insertPlannedJobs(tx, items);
    };
    // 250 groups (more than one statement's 100 rows), one with two integrations.
    const items: PlannedJobs[] = [];
    const writes = [];
    for (let g = 0; g < 250; g++) {
      const groupKey = `{}:{g="${g}"}`;
      const jobs = [{ ...job, groupKey, payload: `{"g":${g}}` }];
      if (g === 7) jobs.push({ ...job, groupKey, integrationIndex: 1, payload: `{"g":${g},"second":true}` });
      const item: PlannedJobs = { jobs, stored: [] };
      items.push(item);
      writes.push(log.setWith('ops', groupKey, { ...entry, sentAt: g }, { run, item }));
    }
    await Promise.all(writes);
    assert.ok(runs <= 2, `runs: ${runs}`);
    const store = new SqlOutboxStore(a.db);
    const due = new Map((await store.due(Number.MAX_SAFE_INTEGER, 1000)).map((j) => [j.id, j]));
    assert.equal(due.size, 251);
    for (const item of items) {
      assert.equal(item.stored.length, item.jobs.length);
      item.stored.forEach((s, k) => {
        assert.equal(s.payload, '', 'handed back without the payload (delivered from its message)');
        assert.equal(due.get(s.id)?.payload, item.jobs[k]?.payload, 'the id is that of the row holding this job');
        assert.equal(due.get(s.id)?.integrationIndex, s.integrationIndex);
      });
    }
    const reopened = await SqlNotificationLog.open(a.db);
    assert.equal(reopened.get('ops', '{}:{g="249"}')?.sentAt, 249);
  } finally {
    await a.close();
  }
});

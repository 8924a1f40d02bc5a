import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../db/database.js';
import { alertsMigrations } from './migrations.js';
import { SqlNotificationLog } from './sql-nflog.js';
import { notifyMigrations } from '../../notify/store/migrations.js';
import { SqlOutboxStore, insertOutboxJob } from '../../notify/store/sql-outbox-store.js';
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

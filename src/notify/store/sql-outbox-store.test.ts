import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../db/database.js';
import { notifyMigrations } from './migrations.js';
import { SqlOutboxStore } from './sql-outbox-store.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-outbox-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('sent marks committed together keep each its own time; unmarked jobs stay pending', async () => {
  const d = await openSqlite(dir, [notifyMigrations]);
  try {
    const store = new SqlOutboxStore(d.db);
    const jobs = [];
    for (let i = 0; i < 1200; i++) jobs.push(await store.enqueue({ receiver: 'ops', integrationType: 'webhook', integrationIndex: 0, groupKey: `g${i}`, fingerprints: [], payload: '{}', createdAt: 1000 }));
    // 1,199 marks at three different times, all at once (one group commit after the first).
    await Promise.all(jobs.slice(1).map((j, i) => store.markSent(j.id, 2000 + (i % 3))));
    assert.equal(await store.depth(), 1);
    const rows = await d.db.selectFrom('outbox' as never).selectAll().execute() as Array<{ id: number; status: string; done_at: number | null }>;
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    assert.equal(byId.get(jobs[0]!.id)?.status, 'pending');
    jobs.slice(1).forEach((j, i) => assert.equal(Number(byId.get(j.id)?.done_at), 2000 + (i % 3), `job ${j.id}`));
  } finally {
    await d.close();
  }
});

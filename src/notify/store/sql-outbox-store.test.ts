import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../db/database.js';
import { notifyMigrations } from './migrations.js';
import { SqlOutboxStore, insertOutboxJobs } from './sql-outbox-store.js';

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

test('the payload is stored once, in its own column; rows written before it had one are read as before', async () => {
  const d = await openSqlite(dir, [notifyMigrations]);
  try {
    const store = new SqlOutboxStore(d.db);
    const payload = JSON.stringify({ receiver: 'ops', alerts: [{ labels: { alertname: 'Disk "full"' } }] });
    const job = await store.enqueue({ receiver: 'ops', integrationType: 'webhook', integrationIndex: 0, groupKey: 'g-new', fingerprints: ['a1'], payload, createdAt: 5000 });
    const raw = (await d.db.selectFrom('outbox' as never).selectAll().where('id' as never, '=', job.id as never).executeTakeFirstOrThrow()) as { job: string; payload: string | null };
    assert.equal(raw.payload, payload);
    assert.ok(!raw.job.includes('Disk'), `job column without the payload: ${raw.job}`);
    // A row as notify_0001 wrote it: the payload inside the job's JSON, no payload column value.
    const old = { integrationType: 'webhook', integrationIndex: 1, groupKey: 'g-old', fingerprints: ['b2'], payload: '{"old":true}' };
    await d.db.insertInto('outbox' as never).values({ receiver: 'ops', job: JSON.stringify(old), status: 'pending', created_at: 4000, next_attempt_at: 4000, attempts: 0 } as never).execute();
    const due = await store.due(6000, 10);
    const byKey = new Map(due.map((j) => [j.groupKey, j]));
    assert.equal(byKey.get('g-new')?.payload, payload);
    assert.deepEqual(byKey.get('g-new')?.fingerprints, ['a1']);
    assert.equal(byKey.get('g-old')?.payload, '{"old":true}');
    assert.equal(byKey.get('g-old')?.integrationIndex, 1);
    assert.deepEqual(byKey.get('g-old')?.fingerprints, ['b2']);
  } finally {
    await d.close();
  }
});

test('due() leaves out the jobs being delivered, whether their ids fit in one statement or not', async () => {
  const d = await openSqlite(join(dir, 'skip'), [notifyMigrations]);
  try {
    const store = new SqlOutboxStore(d.db);
    const ids: number[] = [];
    for (let i = 0; i < 700; i++) ids.push((await store.enqueue({ receiver: 'ops', integrationType: 'webhook', integrationIndex: 0, groupKey: `g${i}`, fingerprints: [], payload: `{"i":${i}}`, createdAt: 1000 + i })).id);
    const few = await store.due(10_000, 2, new Set(ids.slice(0, 3)));
    assert.deepEqual(few.map((j) => j.id), ids.slice(3, 5));
    const many = await store.due(10_000, 2, new Set(ids.slice(0, 600)));
    assert.deepEqual(many.map((j) => j.id), ids.slice(600, 602));
    assert.deepEqual(many.map((j) => j.payload), ['{"i":600}', '{"i":601}']);
    assert.deepEqual((await store.due(10_000, 2)).map((j) => j.id), ids.slice(0, 2));
  } finally {
    await d.close();
  }
});

test('jobs with large payloads go in several statements; each stored job gets the id of its own row', async () => {
  const d = await openSqlite(join(dir, 'large'), [notifyMigrations]);
  try {
    // 0 and 5..9 are 100 KB each (a statement ends after 256 KiB), the rest tiny.
    const jobs = Array.from({ length: 130 }, (_, i) => ({ receiver: 'ops', integrationType: 'webhook', integrationIndex: 0, groupKey: `g${i}`, fingerprints: [`f${i}`], payload: i === 0 || (i >= 5 && i < 10) ? `"${String(i).repeat(100_000)}"` : `{"i":${i}}`, createdAt: 1000 }));
    const stored = await d.db.transaction().execute((tx) => insertOutboxJobs(tx, jobs));
    assert.deepEqual(stored.map((j) => j.groupKey), jobs.map((j) => j.groupKey));
    const rows = (await d.db.selectFrom('outbox' as never).selectAll().execute()) as Array<{ id: number; payload: string }>;
    const byId = new Map(rows.map((r) => [Number(r.id), r.payload]));
    stored.forEach((j, i) => assert.equal(byId.get(j.id), jobs[i]?.payload, `job ${i}`));
    assert.equal(new Set(stored.map((j) => j.id)).size, 130);
  } finally {
    await d.close();
  }
});

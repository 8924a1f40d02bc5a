import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely, type Migration } from 'kysely';
import { openSqlite } from './database.js';

const migrations: Record<string, Migration> = {
  t_0001: {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('t_items')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('n', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
};

interface Tables {
  t_items: { id?: number; name: string; n: number };
}

test('the worker-thread database: statements, transactions, errors with their codes, and commits that outlive the connection', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-db-'));
  try {
    const o = await openSqlite(dir, [migrations], { worker: true });
    const db = o.db as Kysely<Tables>;
    const r = await db.insertInto('t_items').values({ name: 'a', n: 1 }).executeTakeFirstOrThrow();
    assert.equal(r.insertId, 1n);
    assert.equal(r.numInsertedOrUpdatedRows, 1n);

    // A failing transaction leaves nothing behind; the connection is free again afterwards.
    await assert.rejects(
      db.transaction().execute(async (tx) => {
        await tx.insertInto('t_items').values({ name: 'b', n: 2 }).execute();
        await tx.insertInto('t_items').values({ name: 'a', n: 3 }).execute();
      }),
      (err: Error & { code?: string }) => err.code === 'SQLITE_CONSTRAINT_UNIQUE' && /UNIQUE constraint failed: t_items.name/.test(err.message),
    );
    assert.deepEqual((await db.selectFrom('t_items').select('name').orderBy('id').execute()).map((x) => x.name), ['a']);

    // Concurrent transactions do not interleave: each sees only its own uncommitted rows.
    const seen = await Promise.all(
      ['x', 'y', 'z'].map((p) =>
        db.transaction().execute(async (tx) => {
          await tx.insertInto('t_items').values({ name: `${p}1`, n: 1 }).execute();
          await new Promise((res) => setImmediate(res));
          await tx.insertInto('t_items').values({ name: `${p}2`, n: 2 }).execute();
          const rows = await tx.selectFrom('t_items').select('name').where('name', 'like', '%2').execute();
          return rows.map((x) => x.name);
        }),
      ),
    );
    assert.deepEqual(seen, [['x2'], ['x2', 'y2'], ['x2', 'y2', 'z2']]);
    const { rows } = await sql<{ c: number }>`select count(*) as c from t_items`.execute(db);
    assert.equal(rows[0]?.c, 7);
    assert.equal(await o.ping(), true);
    await o.close();

    // Reopened on this thread: every committed row is there.
    const again = await openSqlite(dir, [migrations]);
    assert.equal((await (again.db as Kysely<Tables>).selectFrom('t_items').selectAll().execute()).length, 7);
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the worker-thread database: a file that cannot be opened is an error naming it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-db-'));
  try {
    // A directory where the database file should be.
    mkdirSync(join(dir, 'vigil.db'));
    await assert.rejects(openSqlite(dir, [migrations], { worker: true }), (err: Error) => err.message.includes(join(dir, 'vigil.db')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

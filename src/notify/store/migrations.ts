import { autoId } from '../../model/store/columns.js';
import type { Kysely, Migration } from 'kysely';

/**
 * This module's tables. Names start with the module's name so every module's migrations can
 * share one database; never edit a shipped migration, add the next. Kysely's schema builder
 * keeps them valid on SQLite and PostgreSQL. `ifNotExists`: databases created before the
 * tables moved here (by the old shared `0001_foundation`) already have them.
 */
export const notifyMigrations: Record<string, Migration> = {
  notify_0001_outbox: {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('outbox')
        .ifNotExists()
        .addColumn('id', ...autoId(db))
        .addColumn('receiver', 'text', (c) => c.notNull())
        .addColumn('job', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('done_at', 'bigint')
        .execute();
      await db.schema.createIndex('outbox_due').ifNotExists().on('outbox').columns(['status', 'next_attempt_at']).execute();
    },
  },
  /**
   * The payload (a whole notification, up to tens of KB) in a column of its own: inside `job`'s
   * JSON it was escaped a second time and written as one more copy of itself. Rows written
   * before keep it in `job` (payload NULL) and are read as before.
   */
  notify_0002_outbox_payload: {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('outbox').addColumn('payload', 'text').execute();
    },
  },
};

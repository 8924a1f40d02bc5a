import { autoId } from '../../model/store/columns.js';
import { sql, type Kysely, type Migration } from 'kysely';

/**
 * This module's tables. Names start with the module's name so every module's migrations can
 * share one database; never edit a shipped migration, add the next. Kysely's schema builder
 * keeps them valid on SQLite and PostgreSQL. `ifNotExists`: databases created before the
 * tables moved here (by the old shared `0001_foundation`) already have them.
 */
export const probesMigrations: Record<string, Migration> = {
  probes_0001_checks: {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('check_results')
        .ifNotExists()
        .addColumn('id', ...autoId(db))
        .addColumn('check_name', 'text', (c) => c.notNull())
        .addColumn('t', 'bigint', (c) => c.notNull())
        .addColumn('success', 'integer', (c) => c.notNull())
        .addColumn('duration_ms', 'double precision', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('check_results_check_t').ifNotExists().on('check_results').columns(['check_name', 't']).execute();
      await db.schema
        .createTable('check_rollups')
        .ifNotExists()
        .addColumn('check_name', 'text', (c) => c.notNull())
        .addColumn('hour', 'bigint', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('ok', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('check_rollups_pk', ['check_name', 'hour'])
        .execute();
      await db.schema
        .createTable('check_state')
        .ifNotExists()
        .addColumn('check_name', 'text', (c) => c.primaryKey())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  probes_0002_daily: {
    // Daily rollups kept 400 days: the status page's 90-day uptime bars outlive the hourly
    // rollups (31 days). Filled from the hourly rollups a database already has.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('check_daily')
        .addColumn('check_name', 'text', (c) => c.notNull())
        .addColumn('day', 'bigint', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('ok', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('check_daily_pk', ['check_name', 'day'])
        .execute();
      await sql`insert into check_daily (check_name, day, total, ok)
        select check_name, (hour / 86400000) * 86400000 as day, sum(total), sum(ok) from check_rollups group by check_name, (hour / 86400000) * 86400000`.execute(db);
    },
  },
};

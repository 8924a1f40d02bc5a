import type { Kysely, Migration } from 'kysely';

/**
 * This module's tables (names start with the module's name; never edit a shipped migration,
 * add the next). Kysely's schema builder keeps them valid on SQLite and PostgreSQL.
 */
export const maintenanceMigrations: Record<string, Migration> = {
  maintenance_0001_windows: {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('maintenance_windows')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('services', 'text', (c) => c.notNull())
        .addColumn('start_at', 'bigint', (c) => c.notNull())
        .addColumn('end_at', 'bigint', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('ended_early_by', 'text')
        .addColumn('planned_end_at', 'bigint')
        .execute();
      await db.schema.createIndex('maintenance_windows_end').on('maintenance_windows').column('end_at').execute();
    },
  },
};

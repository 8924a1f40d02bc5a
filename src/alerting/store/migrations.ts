import type { Kysely, Migration } from 'kysely';

/** This module's tables (see alerts/store/migrations.ts for the conventions). */
export const alertingMigrations: Record<string, Migration> = {
  alerting_0001_silences: {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('silences')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('matchers', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'bigint', (c) => c.notNull())
        .addColumn('ends_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('comment', 'text', (c) => c.notNull())
        .execute();
    },
  },
};

import { autoId } from '../../model/store/columns.js';
import type { Kysely, Migration } from 'kysely';

/**
 * This module's tables (names start with the module's name). Kysely's schema builder keeps
 * them valid on SQLite and PostgreSQL; never edit a shipped migration, add the next.
 */
export const statuspageMigrations: Record<string, Migration> = {
  statuspage_0001_updates_subscribers: {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('statuspage_updates')
        .addColumn('id', ...autoId(db))
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('title', 'text')
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('statuspage_updates_incident').on('statuspage_updates').columns(['incident_id', 'at']).execute();
      await db.schema
        .createTable('statuspage_subscribers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('confirmed_at', 'bigint')
        .addUniqueConstraint('statuspage_subscribers_address', ['channel', 'address'])
        .execute();
      await db.schema.createIndex('statuspage_subscribers_token').on('statuspage_subscribers').column('token_hash').execute();
    },
  },
  // Maintenance notices go out once each: the key of each one sent, with the window it was about.
  statuspage_0002_notices: {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('statuspage_notices')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('statuspage_notices_subject').on('statuspage_notices').column('subject').execute();
    },
  },
};

import { autoId } from '../../model/store/columns.js';
import type { Kysely, Migration } from 'kysely';

/**
 * On-call's tables. Names are on-call's own (`oncall_*`, `escalation*`, `page_link_uses`) so
 * every module's migrations can share one database; never edit a shipped migration, add the
 * next. Kysely's schema builder keeps them valid on SQLite and PostgreSQL. `ifNotExists`:
 * databases created before the tables moved here (by db/'s `0003_oncall`) already have them.
 */
export const oncallMigrations: Record<string, Migration> = {
  /** Runtime schedule overrides, durable escalations and their follow-ups, one-use page links. */
  oncall_0001_tables: {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('oncall_overrides')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('schedule', 'text', (c) => c.notNull())
        .addColumn('person', 'text', (c) => c.notNull())
        .addColumn('start_at', 'bigint', (c) => c.notNull())
        .addColumn('end_at', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('oncall_overrides_schedule').ifNotExists().on('oncall_overrides').columns(['schedule', 'created_at']).execute();
      await db.schema
        .createTable('escalations')
        .ifNotExists()
        .addColumn('id', ...autoId(db))
        .addColumn('receiver', 'text', (c) => c.notNull())
        .addColumn('group_key', 'text', (c) => c.notNull())
        .addColumn('policy', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('level', 'integer', (c) => c.notNull())
        .addColumn('round', 'integer', (c) => c.notNull())
        .addColumn('next_at', 'bigint')
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('acked_at', 'bigint')
        .addColumn('acked_by', 'text')
        .addColumn('acked_via', 'text')
        .addColumn('incident_id', 'text')
        .addColumn('fingerprints', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('escalations_due').ifNotExists().on('escalations').columns(['status', 'next_at']).execute();
      await db.schema.createIndex('escalations_group').ifNotExists().on('escalations').columns(['receiver', 'group_key']).execute();
      await db.schema.createIndex('escalations_incident').ifNotExists().on('escalations').column('incident_id').execute();
      await db.schema
        .createTable('escalation_followups')
        .ifNotExists()
        .addColumn('id', ...autoId(db))
        .addColumn('escalation_id', 'integer', (c) => c.notNull())
        .addColumn('due_at', 'bigint', (c) => c.notNull())
        .addColumn('person', 'text', (c) => c.notNull())
        .addColumn('channels', 'text', (c) => c.notNull())
        .addColumn('level', 'integer', (c) => c.notNull())
        .addColumn('round', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('escalation_followups_due').ifNotExists().on('escalation_followups').column('due_at').execute();
      await db.schema
        .createTable('page_link_uses')
        .ifNotExists()
        .addColumn('nonce', 'text', (c) => c.primaryKey())
        .addColumn('used_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('oncall_keys')
        .ifNotExists()
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  },
  /** Who was paged through which channel, so they are told when the alerts resolve. */
  oncall_0002_paged: {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('escalations').addColumn('paged', 'text', (c) => c.notNull().defaultTo('[]')).execute();
    },
  },
  /** Secret calendar URLs: one per feed (a schedule's or a person's), the secret only hashed. */
  oncall_0003_calendar_feeds: {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('oncall_calendar_feeds')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('oncall_calendar_feeds_pk', ['kind', 'name'])
        .execute();
    },
  },
};

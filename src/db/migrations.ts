import type { Kysely, Migration, MigrationProvider } from 'kysely';

/**
 * db/'s own migrations. 0001 and 0002 once created every module's tables; each module now
 * owns its tables and migrations (src/<module>/store/migrations.ts, names prefixed with the
 * module, idempotent so they also run on databases these created), and they stay as no-ops
 * because databases that ran them record their names and Kysely refuses a history with a
 * missing migration. 0003 creates the tables of db/'s cross-module store (oncall-store.ts).
 */
const legacy: Record<string, Migration> = {
  '0001_foundation': {
    async up(_db: Kysely<unknown>) {},
  },
  '0002_incident_target_severity': {
    async up(_db: Kysely<unknown>) {},
  },
  /** On-call: runtime schedule overrides, durable escalations, one-use page links. */
  '0003_oncall': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('oncall_overrides')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('schedule', 'text', (c) => c.notNull())
        .addColumn('person', 'text', (c) => c.notNull())
        .addColumn('start_at', 'bigint', (c) => c.notNull())
        .addColumn('end_at', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('oncall_overrides_schedule').on('oncall_overrides').columns(['schedule', 'created_at']).execute();
      await db.schema
        .createTable('escalations')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
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
      await db.schema.createIndex('escalations_due').on('escalations').columns(['status', 'next_at']).execute();
      await db.schema.createIndex('escalations_group').on('escalations').columns(['receiver', 'group_key']).execute();
      await db.schema.createIndex('escalations_incident').on('escalations').column('incident_id').execute();
      await db.schema
        .createTable('escalation_followups')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('escalation_id', 'integer', (c) => c.notNull())
        .addColumn('due_at', 'bigint', (c) => c.notNull())
        .addColumn('person', 'text', (c) => c.notNull())
        .addColumn('channels', 'text', (c) => c.notNull())
        .addColumn('level', 'integer', (c) => c.notNull())
        .addColumn('round', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('escalation_followups_due').on('escalation_followups').column('due_at').execute();
      await db.schema
        .createTable('page_link_uses')
        .addColumn('nonce', 'text', (c) => c.primaryKey())
        .addColumn('used_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('oncall_keys')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  },
};

/**
 * Every module's migrations in one provider. Module migrations are independent of each
 * other (no foreign keys across modules), so their relative order does not matter; a name
 * used twice is a programming error.
 */
export function migrationProvider(modules: ReadonlyArray<Record<string, Migration>>): MigrationProvider {
  const all: Record<string, Migration> = { ...legacy };
  for (const m of modules) {
    for (const [name, migration] of Object.entries(m)) {
      if (all[name]) throw new Error(`migration ${name} is defined twice`);
      all[name] = migration;
    }
  }
  return {
    async getMigrations() {
      return all;
    },
  };
}

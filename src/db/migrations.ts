import type { Kysely, Migration, MigrationProvider } from 'kysely';

/**
 * db/'s own migrations. 0001 and 0002 once created every module's tables; each module now
 * owns its tables and migrations (src/<module>/store/migrations.ts, names prefixed with the
 * module, idempotent so they also run on databases these created), and they stay as no-ops
 * because databases that ran them record their names and Kysely refuses a history with a
 * missing migration.
 */
const legacy: Record<string, Migration> = {
  '0001_foundation': {
    async up(_db: Kysely<unknown>) {},
  },
  '0002_incident_target_severity': {
    async up(_db: Kysely<unknown>) {},
  },
  /** Created on-call's tables before they moved to src/oncall/store/migrations.ts. */
  '0003_oncall': {
    async up(_db: Kysely<unknown>) {},
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

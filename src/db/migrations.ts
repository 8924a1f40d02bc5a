import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/**
 * Migrations live in code, in order; names sort lexically. Never edit a shipped one:
 * add the next. Written with Kysely's schema builder so they run on SQLite and PostgreSQL.
 */
const migrations: Record<string, Migration> = {
  '0001_foundation': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('incidents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('services', 'text', (c) => c.notNull())
        .addColumn('assignee', 'text')
        .addColumn('opened_at', 'bigint', (c) => c.notNull())
        .addColumn('acknowledged_at', 'bigint')
        .addColumn('acknowledged_by', 'text')
        .addColumn('mitigated_at', 'bigint')
        .addColumn('resolved_at', 'bigint')
        .addColumn('resolved_by', 'text')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('incidents_year_seq', ['year', 'seq'])
        .execute();
      await db.schema.createIndex('incidents_status').on('incidents').columns(['status', 'opened_at']).execute();
      await db.schema
        .createTable('incident_timeline')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('data', 'text')
        .execute();
      await db.schema.createIndex('incident_timeline_incident').on('incident_timeline').columns(['incident_id', 'id']).execute();
      await db.schema
        .createTable('incident_alerts')
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('annotations', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'bigint', (c) => c.notNull())
        .addColumn('ends_at', 'bigint')
        .addPrimaryKeyConstraint('incident_alerts_pk', ['incident_id', 'fingerprint'])
        .execute();
      await db.schema.createIndex('incident_alerts_fp').on('incident_alerts').column('fingerprint').execute();
      await db.schema
        .createTable('check_results')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('check_name', 'text', (c) => c.notNull())
        .addColumn('t', 'bigint', (c) => c.notNull())
        .addColumn('success', 'integer', (c) => c.notNull())
        .addColumn('duration_ms', 'double precision', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('check_results_check_t').on('check_results').columns(['check_name', 't']).execute();
      await db.schema
        .createTable('check_rollups')
        .addColumn('check_name', 'text', (c) => c.notNull())
        .addColumn('hour', 'bigint', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('ok', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('check_rollups_pk', ['check_name', 'hour'])
        .execute();
      await db.schema
        .createTable('check_state')
        .addColumn('check_name', 'text', (c) => c.primaryKey())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('alerts')
        .addColumn('fingerprint', 'text', (c) => c.primaryKey())
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('annotations', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'bigint', (c) => c.notNull())
        .addColumn('ends_at', 'bigint', (c) => c.notNull())
        .addColumn('generator_url', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('nflog')
        .addColumn('receiver', 'text', (c) => c.notNull())
        .addColumn('group_key', 'text', (c) => c.notNull())
        .addColumn('entry', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('nflog_pk', ['receiver', 'group_key'])
        .execute();
      await db.schema
        .createTable('outbox')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('receiver', 'text', (c) => c.notNull())
        .addColumn('job', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('done_at', 'bigint')
        .execute();
      await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
      await sql`select 1`.execute(db);
    },
  },
  '0002_incident_target_severity': {
    async up(db: Kysely<unknown>) {
      // The severity in force at acknowledgement and resolution: what judges each response target.
      await db.schema.alterTable('incidents').addColumn('acknowledged_severity', 'text').execute();
      await db.schema.alterTable('incidents').addColumn('resolved_severity', 'text').execute();
    },
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

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};

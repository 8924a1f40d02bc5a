import { autoId } from '../../model/store/columns.js';
import type { Kysely, Migration } from 'kysely';

/**
 * This module's tables. Names start with the module's name so every module's migrations can
 * share one database; never edit a shipped migration, add the next. Kysely's schema builder
 * keeps them valid on SQLite and PostgreSQL. `ifNotExists`: databases created before the
 * tables moved here (by the old shared `0001_foundation`) already have them.
 */
export const incidentsMigrations: Record<string, Migration> = {
  incidents_0001_incidents: {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('incidents')
        .ifNotExists()
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
      await db.schema.createIndex('incidents_status').ifNotExists().on('incidents').columns(['status', 'opened_at']).execute();
      await db.schema
        .createTable('incident_timeline')
        .ifNotExists()
        .addColumn('id', ...autoId(db))
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('data', 'text')
        .execute();
      await db.schema.createIndex('incident_timeline_incident').ifNotExists().on('incident_timeline').columns(['incident_id', 'id']).execute();
      await db.schema
        .createTable('incident_alerts')
        .ifNotExists()
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('annotations', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'bigint', (c) => c.notNull())
        .addColumn('ends_at', 'bigint')
        .addPrimaryKeyConstraint('incident_alerts_pk', ['incident_id', 'fingerprint'])
        .execute();
      await db.schema.createIndex('incident_alerts_fp').ifNotExists().on('incident_alerts').column('fingerprint').execute();
    },
  },
  /** The severity in force at acknowledgement and resolution: what judges each response target. */
  incidents_0002_target_severity: {
    async up(db: Kysely<unknown>) {
      // Databases that ran the old shared 0002_incident_target_severity have the columns already.
      const tables = await db.introspection.getTables();
      const cols = new Set(tables.find((t) => t.name === 'incidents')?.columns.map((c) => c.name) ?? []);
      if (!cols.has('acknowledged_severity')) await db.schema.alterTable('incidents').addColumn('acknowledged_severity', 'text').execute();
      if (!cols.has('resolved_severity')) await db.schema.alterTable('incidents').addColumn('resolved_severity', 'text').execute();
    },
  },
  /** Stored post-mortems (one per incident, sections as columns) and action items. */
  incidents_0003_followup: {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('incident_postmortems')
        .addColumn('incident_id', 'text', (c) => c.primaryKey())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('impact', 'text', (c) => c.notNull())
        .addColumn('detection', 'text', (c) => c.notNull())
        .addColumn('root_cause', 'text', (c) => c.notNull())
        .addColumn('timeline', 'text', (c) => c.notNull())
        .addColumn('resolution', 'text', (c) => c.notNull())
        .addColumn('lessons_learned', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('published_at', 'bigint')
        .execute();
      await db.schema
        .createTable('incident_action_items')
        .addColumn('id', ...autoId(db))
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('owner', 'text')
        .addColumn('due', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('done_at', 'bigint')
        .execute();
      await db.schema.createIndex('incident_action_items_incident').on('incident_action_items').column('incident_id').execute();
      await db.schema.createIndex('incident_action_items_status').on('incident_action_items').columns(['status', 'owner']).execute();
    },
  },
};

import { autoId } from '../../model/store/columns.js';
import type { Kysely, Migration } from 'kysely';
import { insertAlertLabels } from './history-labels.js';
import type { AlertTables } from './tables.js';

/**
 * This module's tables. Names start with the module's name so every module's migrations can
 * share one database; never edit a shipped migration, add the next. Kysely's schema builder
 * keeps them valid on SQLite and PostgreSQL. `ifNotExists`: databases created before the
 * tables moved here (by the old shared `0001_foundation`) already have them.
 */
export const alertsMigrations: Record<string, Migration> = {
  alerts_0001_alerts: {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('alerts')
        .ifNotExists()
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
        .ifNotExists()
        .addColumn('receiver', 'text', (c) => c.notNull())
        .addColumn('group_key', 'text', (c) => c.notNull())
        .addColumn('entry', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('nflog_pk', ['receiver', 'group_key'])
        .execute();
    },
  },
  /** Where an alert came from and whether its end was set by resolve_timeout (posted alerts). */
  alerts_0002_source: {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('alerts').addColumn('source', 'text', (c) => c.notNull().defaultTo('')).execute();
      await db.schema.alterTable('alerts').addColumn('timeout', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
  },
  /** Every alert's history (fired, muted by, notified, resolved), kept after the alert is gone. */
  alerts_0003_history: {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('alert_history')
        .addColumn('id', ...autoId(db))
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('entry', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('alert_history_fp').on('alert_history').columns(['fingerprint', 'id']).execute();
      await db.schema.createIndex('alert_history_at').on('alert_history').column('at').execute();
    },
  },
  /**
   * The history's label filter, indexed: each alert's labels once (an alert's fingerprint is
   * its label set, so they never change), one row per label for lookups by name and value.
   * Filled from the `fired` entries already recorded.
   */
  alerts_0004_history_labels: {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('alert_history_alerts')
        .addColumn('fingerprint', 'text', (c) => c.primaryKey())
        .addColumn('labels', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('alert_history_labels')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('alert_history_labels_pk', ['name', 'value', 'fingerprint'])
        .execute();
      await db.schema.createIndex('alert_history_labels_fp').on('alert_history_labels').column('fingerprint').execute();
      const t = db as Kysely<AlertTables>;
      const seen = new Set<string>();
      for (let last = 0; ; ) {
        const rows = await t.selectFrom('alert_history').select(['id', 'fingerprint', 'entry']).where('kind', '=', 'fired').where('id', '>', last).orderBy('id').limit(1000).execute();
        if (rows.length === 0) break;
        last = Number(rows[rows.length - 1]?.id);
        const fresh = rows.filter((r) => !seen.has(r.fingerprint) && seen.add(r.fingerprint));
        for (const r of fresh) await insertAlertLabels(t, r.fingerprint, (JSON.parse(r.entry) as { labels?: Record<string, string> }).labels ?? {});
      }
    },
  },
};

import type { Kysely } from 'kysely';
import type { AlertTables } from './tables.js';
import { stringifyFlat } from '../../model/flat-json.js';

/** Records an alert's labels for the history's label filter; a fingerprint already known is left alone. */
export async function insertAlertLabels(db: Kysely<AlertTables>, fingerprint: string, labels: Record<string, string>): Promise<void> {
  const r = await db.insertInto('alert_history_alerts').values({ fingerprint, labels: JSON.stringify(labels) }).onConflict((oc) => oc.column('fingerprint').doNothing()).executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0n) !== 1) return;
  const rows = Object.entries(labels).map(([name, value]) => ({ name, value, fingerprint }));
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('alert_history_labels').values(rows.slice(i, i + 200)).execute();
}

/**
 * The same for many alerts at once (a batch of history entries): two statements per 200 alerts,
 * not two per alert, so recording stays as quick as before the index.
 */
export async function insertManyAlertLabels(db: Kysely<AlertTables>, alerts: ReadonlyArray<{ fingerprint: string; labels: Record<string, string> }>): Promise<void> {
  for (let i = 0; i < alerts.length; i += 200) {
    const chunk = alerts.slice(i, i + 200);
    const fresh = await db
      .insertInto('alert_history_alerts')
      .values(chunk.map((a) => ({ fingerprint: a.fingerprint, labels: stringifyFlat(a.labels) })))
      .onConflict((oc) => oc.column('fingerprint').doNothing())
      .returning('fingerprint')
      .execute();
    const inserted = new Set(fresh.map((r) => r.fingerprint));
    const rows = chunk.filter((a) => inserted.has(a.fingerprint)).flatMap((a) => Object.entries(a.labels).map(([name, value]) => ({ name, value, fingerprint: a.fingerprint })));
    for (let j = 0; j < rows.length; j += 300) await db.insertInto('alert_history_labels').values(rows.slice(j, j + 300)).execute();
  }
}

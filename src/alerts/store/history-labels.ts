import type { Kysely } from 'kysely';
import type { AlertTables } from './tables.js';

/** Records an alert's labels for the history's label filter; a fingerprint already known is left alone. */
export async function insertAlertLabels(db: Kysely<AlertTables>, fingerprint: string, labels: Record<string, string>): Promise<void> {
  const r = await db.insertInto('alert_history_alerts').values({ fingerprint, labels: JSON.stringify(labels) }).onConflict((oc) => oc.column('fingerprint').doNothing()).executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0n) !== 1) return;
  const rows = Object.entries(labels).map(([name, value]) => ({ name, value, fingerprint }));
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('alert_history_labels').values(rows.slice(i, i + 200)).execute();
}

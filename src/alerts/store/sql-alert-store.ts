import type { Insertable, Kysely } from 'kysely';
import type { AlertStateStore } from '../alert-state-store.js';
import type { StoredAlert } from '../intake.js';
import type { AlertTables, AlertsTable } from './tables.js';
import { GroupCommit } from '../../model/group-commit.js';
import { stringifyFlat } from '../../model/flat-json.js';

function rowOf(a: StoredAlert): Insertable<AlertsTable> {
  return {
    fingerprint: a.fingerprint,
    labels: stringifyFlat(a.labels),
    annotations: stringifyFlat(a.annotations),
    starts_at: a.startsAt,
    ends_at: a.endsAt,
    generator_url: a.generatorURL,
    updated_at: a.updatedAt,
    source: a.source,
    timeout: a.timeout ? 1 : 0,
  };
}

/**
 * The alerts the pipeline holds, on SQL: one row per fingerprint, written in one transaction
 * per intake so an accepted POST survives a crash.
 */
export class SqlAlertStore implements AlertStateStore {
  private readonly writer: GroupCommit<StoredAlert>;

  constructor(private readonly db: Kysely<AlertTables>) {
    this.writer = new GroupCommit((alerts) => this.write(alerts));
  }

  /** Concurrent saves share one transaction (one fsync); each resolves once its rows are durable. */
  save(alerts: readonly StoredAlert[]): Promise<void> {
    if (alerts.length === 0) return Promise.resolve();
    return this.writer.add(alerts).then(() => undefined);
  }

  private async write(all: readonly StoredAlert[]): Promise<void> {
    // The same alert twice in one batch: the later copy wins (a row may be upserted once per statement).
    const latest = new Map<string, StoredAlert>();
    for (const a of all) latest.set(a.fingerprint, a);
    const alerts = [...latest.values()];
    // In transactions of 1,000 rows, so that a write of 50,000 alerts leaves the connection
    // free in between for writes someone waits on (a group flush's notification log entry).
    for (let c = 0; c < alerts.length; c += 1000) await this.writeRows(alerts.slice(c, c + 1000));
  }

  private async writeRows(alerts: readonly StoredAlert[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      // 100 rows × 9 columns stays under SQLite's 999 bound parameters. Each statement's rows are
      // made just before it: made all at once, a burst's rows (50,000) waited for the
      // transactions before theirs long enough to be promoted to V8's old generation.
      for (let i = 0; i < alerts.length; i += 100) {
        await tx
          .insertInto('alerts')
          .values(alerts.slice(i, i + 100).map(rowOf))
          .onConflict((oc) =>
            oc.column('fingerprint').doUpdateSet((eb) => ({
              labels: eb.ref('excluded.labels'),
              annotations: eb.ref('excluded.annotations'),
              starts_at: eb.ref('excluded.starts_at'),
              ends_at: eb.ref('excluded.ends_at'),
              generator_url: eb.ref('excluded.generator_url'),
              updated_at: eb.ref('excluded.updated_at'),
              source: eb.ref('excluded.source'),
              timeout: eb.ref('excluded.timeout'),
            })),
          )
          .execute();
      }
    });
  }

  async all(): Promise<StoredAlert[]> {
    const rows = await this.db.selectFrom('alerts').selectAll().execute();
    return rows.map((r) => ({
      fingerprint: r.fingerprint,
      labels: JSON.parse(r.labels) as Record<string, string>,
      annotations: JSON.parse(r.annotations) as Record<string, string>,
      startsAt: Number(r.starts_at),
      endsAt: Number(r.ends_at),
      generatorURL: r.generator_url,
      updatedAt: Number(r.updated_at),
      source: r.source,
      timeout: Number(r.timeout) === 1,
    }));
  }

  async pruneResolved(before: number): Promise<void> {
    await this.db.deleteFrom('alerts').where('ends_at', '!=', 0).where('ends_at', '<', before).execute();
  }
}

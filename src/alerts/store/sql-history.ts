import type { Kysely } from 'kysely';
import { matchingFingerprints, type AlertHistory, type HistoryEntry, type HistoryKind, type HistoryQuery } from '../history.js';
import type { Labels } from '../../model/labels.js';
import type { AlertTables } from './tables.js';
import { GroupCommit } from '../../model/group-commit.js';

/** Alert history on SQL: one row per entry, details as JSON; concurrent records share a transaction. */
export class SqlAlertHistory implements AlertHistory {
  private readonly writer: GroupCommit<HistoryEntry>;

  constructor(private readonly db: Kysely<AlertTables>) {
    this.writer = new GroupCommit((entries) => this.write(entries));
  }

  record(entries: readonly HistoryEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return this.writer.add(entries).then(() => undefined);
  }

  private async write(entries: readonly HistoryEntry[]): Promise<void> {
    const rows = entries.map(({ fingerprint, at, kind, ...rest }) => ({ fingerprint, at, kind, entry: JSON.stringify(rest) }));
    await this.db.transaction().execute(async (tx) => {
      for (let i = 0; i < rows.length; i += 200) await tx.insertInto('alert_history').values(rows.slice(i, i + 200)).execute();
    });
  }

  async query(q: HistoryQuery): Promise<HistoryEntry[]> {
    const base = () => {
      let sel = this.db.selectFrom('alert_history').selectAll();
      if (q.fingerprint !== undefined) sel = sel.where('fingerprint', '=', q.fingerprint);
      if (q.since !== undefined) sel = sel.where('at', '>=', q.since);
      return sel;
    };
    let rows;
    if (q.matchers?.length) {
      // Labels are kept on the `fired` entries: find the alerts they match, then their entries
      // (in slices, to stay under the databases' bound-parameter limits).
      const fired = await this.db.selectFrom('alert_history').select(['fingerprint', 'entry']).where('kind', '=', 'fired').execute();
      const fps = [...matchingFingerprints(q.matchers, fired.map((r) => ({ fingerprint: r.fingerprint, labels: (JSON.parse(r.entry) as { labels?: Labels }).labels ?? {} })))];
      rows = [];
      for (let i = 0; i < fps.length; i += 500) {
        for (const r of await base().where('fingerprint', 'in', fps.slice(i, i + 500)).orderBy('id', 'desc').limit(q.limit).execute()) rows.push(r);
      }
      rows = rows.sort((a, b) => Number(b.id) - Number(a.id)).slice(0, q.limit);
    } else {
      rows = await base().orderBy('id', 'desc').limit(q.limit).execute();
    }
    return rows.map((r) => ({ fingerprint: r.fingerprint, at: Number(r.at), kind: r.kind as HistoryKind, ...(JSON.parse(r.entry) as object) }));
  }

  async prune(before: number): Promise<void> {
    await this.db.deleteFrom('alert_history').where('at', '<', before).execute();
  }
}

import type { Kysely } from 'kysely';
import { historyEntries, matchingFingerprints, type AlertHistory, type HistoryEntry, type HistoryKind, type HistoryQuery, type HistoryRecord } from '../history.js';
import type { Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import { insertManyAlertLabels } from './history-labels.js';
import type { AlertTables } from './tables.js';
import { GroupCommit } from '../../model/group-commit.js';
import { stringifyFlat } from '../../model/flat-json.js';

/**
 * Alert history on SQL: one row per entry, details as JSON; concurrent records share a
 * transaction. Each alert's labels are also kept once, one row per label, so the label filter
 * looks alerts up by name and value instead of reading every entry.
 */
const CHUNK = 1000;

const rowOf = ({ fingerprint, at, kind, ...rest }: HistoryEntry) => ({ fingerprint, at, kind, entry: stringifyFlat(rest) });

export class SqlAlertHistory implements AlertHistory {
  private readonly writer: GroupCommit<HistoryRecord>;

  constructor(private readonly db: Kysely<AlertTables>) {
    this.writer = new GroupCommit((entries) => this.write(entries));
  }

  record(entries: readonly HistoryRecord[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return this.writer.add(entries).then(() => undefined);
  }

  private async write(all: readonly HistoryRecord[]): Promise<void> {
    // A burst (50,000 alerts firing) is tens of thousands of rows: written in transactions of
    // CHUNK entries, so the connection is free in between for writes that someone waits on
    // (a group flush's notification-log entry and outbox jobs). Entries are made from the
    // queued batches a chunk at a time: made all at once, they would wait for the chunks
    // before theirs as ~100 bytes each instead of a pointer in a batch.
    const it = historyEntries(all);
    for (;;) {
      const entries: HistoryEntry[] = [];
      for (let next = it.next(); !next.done; next = it.next()) if (entries.push(next.value) >= CHUNK) break;
      if (entries.length === 0) return;
      await this.db.transaction().execute(async (tx) => {
        // Rows made per statement, not per chunk: they would wait for the statements before them.
        for (let i = 0; i < entries.length; i += 200) await tx.insertInto('alert_history').values(entries.slice(i, i + 200).map(rowOf)).execute();
        const fired = new Map<string, Record<string, string>>();
        for (const e of entries) if (e.kind === 'fired' && e.labels) fired.set(e.fingerprint, e.labels);
        if (fired.size) await insertManyAlertLabels(tx, [...fired].map(([fingerprint, labels]) => ({ fingerprint, labels })));
      });
    }
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
      const fps = [...(await this.matching(q.matchers))];
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

  /**
   * The fingerprints of the alerts whose labels match. A matcher that a missing label cannot
   * satisfy (`a="x"`, `a=~"x.+"`, `a!=""`) narrows through the label index (by name and value
   * for `=`, by name otherwise); the candidates' labels then decide, with every matcher.
   */
  private async matching(matchers: readonly Matcher[]): Promise<Set<string>> {
    let candidates: Set<string> | undefined;
    for (const m of matchers) {
      if (m.matches('')) continue;
      let sel = this.db.selectFrom('alert_history_labels').select(['fingerprint', 'value']).where('name', '=', m.name);
      if (m.type === '=') sel = sel.where('value', '=', m.value);
      const found = new Set<string>();
      for (const r of await sel.execute()) if ((candidates === undefined || candidates.has(r.fingerprint)) && m.matches(r.value)) found.add(r.fingerprint);
      candidates = found;
      if (found.size === 0) return found;
    }
    const alerts: Array<{ fingerprint: string; labels: string }> = [];
    if (candidates === undefined) {
      for (const r of await this.db.selectFrom('alert_history_alerts').selectAll().execute()) alerts.push(r);
    } else {
      const list = [...candidates];
      // In slices, to stay under the databases' bound-parameter limits.
      for (let i = 0; i < list.length; i += 500) for (const r of await this.db.selectFrom('alert_history_alerts').selectAll().where('fingerprint', 'in', list.slice(i, i + 500)).execute()) alerts.push(r);
    }
    return matchingFingerprints(
      matchers,
      alerts.map((a) => ({ fingerprint: a.fingerprint, labels: JSON.parse(a.labels) as Labels })),
    );
  }

  async prune(before: number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('alert_history').where('at', '<', before).execute();
      // Alerts with no entry left leave the label index too.
      const kept = tx.selectFrom('alert_history').select('fingerprint');
      await tx.deleteFrom('alert_history_labels').where('fingerprint', 'not in', kept).execute();
      await tx.deleteFrom('alert_history_alerts').where('fingerprint', 'not in', kept).execute();
    });
  }
}

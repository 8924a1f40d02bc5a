import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { CheckStore, StoredResult, Uptime } from '../check-store.js';
import type { CheckTables } from './tables.js';

const HOUR = 3600_000;
const WINDOWS = { '24h': 24 * HOUR, '7d': 7 * 24 * HOUR, '30d': 30 * 24 * HOUR } as const;

/**
 * Check history: raw results (kept for `rawRetentionMs`) plus hourly rollups (kept 31 days)
 * that answer uptime over 24h/7d/30d without scanning millions of rows.
 */
export class SqlCheckStore implements CheckStore {
  constructor(
    private readonly db: Kysely<CheckTables>,
    private readonly rawRetentionMs = 7 * 24 * HOUR,
  ) {}

  async record(results: readonly StoredResult[]): Promise<void> {
    if (results.length === 0) return;
    await this.db.transaction().execute(async (tx) => {
      for (let i = 0; i < results.length; i += 200) {
        const chunk = results.slice(i, i + 200);
        await tx
          .insertInto('check_results')
          .values(chunk.map((r) => ({ check_name: r.check, t: r.t, success: r.success ? 1 : 0, duration_ms: r.durationMs, message: r.message })))
          .execute();
      }
      const roll = new Map<string, { check: string; hour: number; total: number; ok: number }>();
      for (const r of results) {
        const hour = Math.floor(r.t / HOUR) * HOUR;
        const k = `${r.check}\u0000${hour}`;
        const e = roll.get(k) ?? { check: r.check, hour, total: 0, ok: 0 };
        e.total++;
        if (r.success) e.ok++;
        roll.set(k, e);
      }
      for (const e of roll.values()) {
        await tx
          .insertInto('check_rollups')
          .values({ check_name: e.check, hour: e.hour, total: e.total, ok: e.ok })
          .onConflict((oc) =>
            oc.columns(['check_name', 'hour']).doUpdateSet({
              total: sql`check_rollups.total + ${e.total}`,
              ok: sql`check_rollups.ok + ${e.ok}`,
            }),
          )
          .execute();
      }
    });
  }

  async results(check: string, opts: { limit: number; before?: number }): Promise<StoredResult[]> {
    let q = this.db.selectFrom('check_results').selectAll().where('check_name', '=', check);
    if (opts.before !== undefined) q = q.where('t', '<', opts.before);
    const rows = await q.orderBy('t', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
    return rows.map((r) => ({ check: r.check_name, t: Number(r.t), success: r.success === 1, durationMs: r.duration_ms, message: r.message }));
  }

  async uptime(check: string, now: number): Promise<Uptime> {
    const since = now - WINDOWS['30d'];
    const rows = await this.db
      .selectFrom('check_rollups')
      .select(['hour', 'total', 'ok'])
      .where('check_name', '=', check)
      .where('hour', '>=', Math.floor(since / HOUR) * HOUR)
      .execute();
    const out: Record<string, number | null> = {};
    for (const [name, span] of Object.entries(WINDOWS)) {
      let total = 0;
      let ok = 0;
      for (const r of rows) {
        // An hour bucket counts when any part of it falls inside the window.
        if (Number(r.hour) + HOUR > now - span) {
          total += r.total;
          ok += r.ok;
        }
      }
      out[name] = total === 0 ? null : ok / total;
    }
    return out as unknown as Uptime;
  }

  async saveState(check: string, state: unknown, now: number): Promise<void> {
    const s = JSON.stringify(state);
    await this.db
      .insertInto('check_state')
      .values({ check_name: check, state: s, updated_at: now })
      .onConflict((oc) => oc.column('check_name').doUpdateSet({ state: s, updated_at: now }))
      .execute();
  }

  async loadStates(): Promise<Map<string, unknown>> {
    const rows = await this.db.selectFrom('check_state').selectAll().execute();
    return new Map(rows.map((r) => [r.check_name, JSON.parse(r.state) as unknown]));
  }

  /** Drops raw results past retention and rollups older than 31 days. */
  async prune(now: number): Promise<void> {
    await this.db.deleteFrom('check_results').where('t', '<', now - this.rawRetentionMs).execute();
    await this.db.deleteFrom('check_rollups').where('hour', '<', now - 31 * 24 * HOUR).execute();
  }
}

import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { CheckStore, StoredResult, StoredState, Uptime } from '../check-store.js';
import type { CheckTables } from './tables.js';

const HOUR = 3600_000;
/** Rows per multi-row INSERT: 5 parameters each stays far below SQLite's and PostgreSQL's limits. */
const ROWS_PER_INSERT = 500;
const DAY = 24 * HOUR;
const WINDOWS = { '24h': 24 * HOUR, '7d': 7 * 24 * HOUR, '30d': 30 * 24 * HOUR } as const;

/**
 * Check history: raw results (kept for `rawRetentionMs`) plus hourly rollups (kept 31 days)
 * that answer uptime over 24h/7d/30d without scanning millions of rows, and daily rollups
 * (kept 400 days) for the status page's uptime bars.
 */
export class SqlCheckStore implements CheckStore {
  constructor(
    private readonly db: Kysely<CheckTables>,
    private readonly rawRetentionMs = 7 * 24 * HOUR,
  ) {}

  async record(results: readonly StoredResult[], states: readonly StoredState[] = []): Promise<void> {
    if (results.length === 0 && states.length === 0) return;
    const roll = new Map<string, { check_name: string; hour: number; total: number; ok: number }>();
    for (const r of results) {
      const hour = Math.floor(r.t / HOUR) * HOUR;
      const k = `${r.check}\u0000${hour}`;
      let e = roll.get(k);
      if (!e) roll.set(k, (e = { check_name: r.check, hour, total: 0, ok: 0 }));
      e.total++;
      if (r.success) e.ok++;
    }
    const daily = new Map<string, { check_name: string; day: number; total: number; ok: number }>();
    for (const e of roll.values()) {
      const day = Math.floor(e.hour / DAY) * DAY;
      const k = `${e.check_name}\u0000${day}`;
      let d = daily.get(k);
      if (!d) daily.set(k, (d = { check_name: e.check_name, day, total: 0, ok: 0 }));
      d.total += e.total;
      d.ok += e.ok;
    }
    // The newest state per check (an upsert may not touch one row twice on PostgreSQL).
    const latest = new Map<string, StoredState>();
    for (const s of states) latest.set(s.check, s);
    await this.db.transaction().execute(async (tx) => {
      for (let i = 0; i < results.length; i += ROWS_PER_INSERT) {
        const rows = [];
        for (const r of results.slice(i, i + ROWS_PER_INSERT)) rows.push({ check_name: r.check, t: r.t, success: r.success ? 1 : 0, duration_ms: r.durationMs, message: r.message });
        await tx.insertInto('check_results').values(rows).execute();
      }
      const rolls = [...roll.values()];
      for (let i = 0; i < rolls.length; i += ROWS_PER_INSERT) {
        await tx
          .insertInto('check_rollups')
          .values(rolls.slice(i, i + ROWS_PER_INSERT))
          .onConflict((oc) =>
            oc.columns(['check_name', 'hour']).doUpdateSet({
              total: sql`check_rollups.total + excluded.total`,
              ok: sql`check_rollups.ok + excluded.ok`,
            }),
          )
          .execute();
      }
      const days = [...daily.values()];
      for (let i = 0; i < days.length; i += ROWS_PER_INSERT) {
        await tx
          .insertInto('check_daily')
          .values(days.slice(i, i + ROWS_PER_INSERT))
          .onConflict((oc) =>
            oc.columns(['check_name', 'day']).doUpdateSet({
              total: sql`check_daily.total + excluded.total`,
              ok: sql`check_daily.ok + excluded.ok`,
            }),
          )
          .execute();
      }
      const rows = [...latest.values()].map((s) => ({ check_name: s.check, state: JSON.stringify(s.state), updated_at: s.at }));
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        await tx
          .insertInto('check_state')
          .values(rows.slice(i, i + ROWS_PER_INSERT))
          .onConflict((oc) => oc.column('check_name').doUpdateSet({ state: sql`excluded.state`, updated_at: sql`excluded.updated_at` }))
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

  /** Results per UTC day summed over `checks`, for days in [from, to) (kept 400 days). */
  async daily(checks: readonly string[], from: number, to: number): Promise<Array<{ day: number; total: number; ok: number }>> {
    if (checks.length === 0) return [];
    const rows = await this.db
      .selectFrom('check_daily')
      .select(['day', (eb) => eb.fn.sum<number>('total').as('total'), (eb) => eb.fn.sum<number>('ok').as('ok')])
      .where('check_name', 'in', [...checks])
      .where('day', '>=', from)
      .where('day', '<', to)
      .groupBy('day')
      .execute();
    return rows.map((r) => ({ day: Number(r.day), total: Number(r.total), ok: Number(r.ok) }));
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
    await this.db.deleteFrom('check_daily').where('day', '<', now - 400 * DAY).execute();
  }
}

import type { DailyCounts } from './types.js';

/** One day's bar: its UTC date, the ratio of successful check results (null: none that day) and the counts. */
export interface DayBar {
  readonly date: string;
  readonly ratio: number | null;
  readonly total: number;
  readonly failed: number;
}

const DAY = 86_400_000;

/** `days` bars from `from` (a UTC midnight), oldest first, and the ratio over all of them. */
export function dayBars(counts: readonly DailyCounts[], from: number, days: number): { days: DayBar[]; ratio: number | null } {
  const byDay = new Map<number, { total: number; ok: number }>();
  for (const c of counts) {
    const e = byDay.get(c.day) ?? { total: 0, ok: 0 };
    e.total += c.total;
    e.ok += c.ok;
    byDay.set(c.day, e);
  }
  const out: DayBar[] = [];
  let total = 0;
  let ok = 0;
  for (let i = 0; i < days; i++) {
    const day = from + i * DAY;
    const e = byDay.get(day);
    total += e?.total ?? 0;
    ok += e?.ok ?? 0;
    out.push({ date: new Date(day).toISOString().slice(0, 10), ratio: e && e.total > 0 ? e.ok / e.total : null, total: e?.total ?? 0, failed: e ? e.total - e.ok : 0 });
  }
  return { days: out, ratio: total > 0 ? ok / total : null };
}

/** A bar's colour class: no data, or by how much of the day's checks failed. */
export function barLevel(ratio: number | null): 'none' | 'ok' | 'minor' | 'major' | 'critical' {
  if (ratio === null) return 'none';
  if (ratio >= 0.999) return 'ok';
  if (ratio >= 0.99) return 'minor';
  if (ratio >= 0.95) return 'major';
  return 'critical';
}

/** A ratio as a percentage for people: 100%, 99.95%, 87.3%. */
export function percent(ratio: number): string {
  const p = ratio * 100;
  if (p >= 100) return '100%';
  // Never round a ratio below 1 up to 100%.
  const digits = p >= 99 ? 2 : 1;
  const f = 10 ** digits;
  return `${(Math.floor(p * f) / f).toFixed(digits)}%`;
}

// Prometheus durations and query steps; pure (no DOM), so node tests import it too.

/** Seconds to a Prometheus duration (`90` → `1m30s`). */
export function promDuration(seconds: number): string {
  let s = Math.max(1, Math.round(seconds));
  let out = '';
  for (const [unit, n] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (s >= n) {
      out += `${Math.floor(s / n)}${unit}`;
      s %= n;
    }
  }
  return out;
}

/** `5m`, `1h30m`, `30` (seconds) → seconds, or undefined. */
export function parsePromDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const re = /(\d+)(ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let seen = 0;
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  while ((m = re.exec(t)) !== null) {
    total += Number(m[1]) * (unit[m[2] as string] ?? 0);
    seen = re.lastIndex;
  }
  return seen === t.length && total > 0 ? total : undefined;
}

/** A step that gives about `points` points over the range, rounded to a friendly value. */
export function autoStep(rangeSeconds: number, points = 250): number {
  const raw = rangeSeconds / points;
  const nice = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];
  return nice.find((n) => n >= raw) ?? 86400;
}

/**
 * The y range of a flat line: from zero to twice its value, so that 2 ms of latency is drawn
 * mid-chart (a fixed +1 drew it on the axis of a 0-1 s chart).
 */
export function flatRange(v: number): [number, number] {
  const span = Math.abs(v) || 1;
  return [Math.min(0, v), Math.max(0, v) + span];
}

/** The y range of a chart: from zero (or below, for negative values) with 10% headroom above. */
export function yRange(min: number, max: number): [number, number] {
  if (min === max) return flatRange(min);
  const low = Math.min(0, min);
  return [low, max + (max - low) * 0.1];
}

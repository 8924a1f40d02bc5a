/**
 * Start-timestamp (OpenTelemetry start time) rules. A start timestamp of 0 means unknown.
 * A sample whose start lies after the previous sample, or that points exactly at the previous
 * sample while that one had a known start of its own (a delta series), starts a new counter.
 */
export function isStartTimestampReset(prevST: number, prevT: number, curST: number, curT: number): boolean {
  if (curST === 0 || curST >= curT) return false;
  if (curST < prevT) return false;
  if (curST > prevT) return true;
  if (prevST > prevT) return false;
  return prevST !== 0 && prevST !== prevT;
}

/** A start before the previous sample that is not the previous sample's own start: inconsistent data. */
export function startTimeOverlaps(prevST: number, prevT: number, curST: number): boolean {
  return curST !== 0 && curST < prevT && curST !== prevST;
}

export function overlapWarning(metricName: string | undefined): string {
  return `sample has start time that overlaps with previous sample timestamp for metric "${metricName ?? ''}"`;
}

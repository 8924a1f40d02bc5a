import type { Labels } from './labels.js';

/** One float sample of one series. `t` is milliseconds since the epoch. NaN and ±Inf are valid values. */
export interface Sample {
  readonly labels: Labels;
  readonly t: number;
  readonly v: number;
}

/** The value Prometheus writes to mark a series stale (a specific NaN bit pattern). */
export const STALE_NAN_BITS = 0x7ff0000000000002n;

export function staleNaN(): number {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setBigUint64(0, STALE_NAN_BITS);
  return buf.getFloat64(0);
}

export function isStaleNaN(v: number): boolean {
  if (!Number.isNaN(v)) return false;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, v);
  return buf.getBigUint64(0) === STALE_NAN_BITS;
}

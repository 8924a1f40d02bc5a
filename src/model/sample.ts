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

/** The stale marker after V8 quieted it (storing a signalling NaN in a plain array sets bit 51). */
const QUIET_STALE_NAN_BITS = STALE_NAN_BITS | 0x0008000000000000n;

const probe = new DataView(new ArrayBuffer(8));

/**
 * Whether `v` is the stale marker. Accepts the quieted form too: the engine may see a value
 * that passed through a JS array, where V8 turns the signalling NaN into a quiet one while
 * keeping its payload, which still tells it apart from an ordinary NaN.
 */
export function isStaleNaN(v: number): boolean {
  if (!Number.isNaN(v)) return false;
  probe.setFloat64(0, v);
  const bits = probe.getBigUint64(0);
  return bits === STALE_NAN_BITS || bits === QUIET_STALE_NAN_BITS;
}

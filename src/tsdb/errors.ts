/**
 * Why a sample was refused. Counted per reason in Tsdb.stats(). `too_far_in_future`: its
 * timestamp is later than the clock plus the creation grace period (Mimir's
 * err-mimir-too-far-in-future).
 */
export type RejectReason = 'out_of_order' | 'duplicate' | 'out_of_bounds' | 'too_far_in_future' | 'invalid';

export const REJECT_REASONS: readonly RejectReason[] = ['out_of_order', 'duplicate', 'out_of_bounds', 'too_far_in_future', 'invalid'];

/**
 * Thrown by Appender.append() for a sample the store refuses, like Prometheus's storage.ErrOutOfOrderSample
 * and friends: the caller counts it and carries on with the next sample.
 */
export class StorageError extends Error {
  override name = 'StorageError';
  constructor(
    readonly reason: RejectReason,
    message: string,
  ) {
    super(message);
  }
}

/** Data on disk is damaged in a way the store cannot repair by itself. */
export class CorruptionError extends Error {
  override name = 'CorruptionError';
}

import type { Labels } from '../model/labels.js';
import type { Matcher } from '../model/matcher.js';

/**
 * The read side of a metrics store, shaped like Prometheus's storage.Querier. The PromQL
 * engine sees only this seam; tsdb, remote storage and test fixtures implement it.
 */
export interface SelectHints {
  /** Earliest sample time (ms, inclusive) the caller may read. Advisory: a store may return more. */
  readonly start: number;
  /** Latest sample time (ms, inclusive) the caller may read. */
  readonly end: number;
  /** Query resolution in ms for range queries; absent for instant queries. */
  readonly step?: number;
  /** Name of the PromQL function wrapping the selector, if any (e.g. "rate"). */
  readonly func?: string;
  /** Range of a matrix selector in ms, if any. */
  readonly range?: number;
  /**
   * Only the newest sample in [start, end] of each series will be read (an instant vector
   * selector evaluated at one time, as alert and recording rules do). Advisory: a store may
   * return just that sample per series, or more.
   */
  readonly latest?: boolean;
  /**
   * The most samples the caller will take from this select. A store that can tell before (or
   * while) decoding that the answer would hold more throws SampleLimitError instead of
   * building it. Advisory: the caller counts what it gets as well.
   */
  readonly maxSamples?: number;
}

/** Thrown by Querier.select when the answer would exceed SelectHints.maxSamples. */
export class SampleLimitError extends Error {
  override name = 'SampleLimitError';
  constructor(
    readonly limit: number,
    /** Samples counted or estimated when the store stopped. */
    readonly atLeast: number,
  ) {
    super(`the selection holds at least ${atLeast} samples, more than the ${limit} allowed`);
  }
}

/**
 * One series and its float samples, sorted by timestamp ascending, at most one per timestamp.
 * `histogramCount` > 0 means the store also holds native-histogram samples for the series, which
 * this interface does not expose (the engine refuses to query them rather than answer wrongly).
 */
export interface StorageSeries {
  readonly labels: Labels;
  readonly timestamps: ArrayLike<number>;
  readonly values: ArrayLike<number>;
  /**
   * Start timestamps (ms) of the samples, parallel to `timestamps`, 0 where unknown (OpenTelemetry
   * start time / created timestamp). Absent when the store has none for this series.
   */
  readonly startTimestamps?: ArrayLike<number>;
  readonly histogramCount?: number;
}

export interface LabelHints {
  readonly start?: number;
  readonly end?: number;
  readonly limit?: number;
}

export interface Querier {
  /** Series matching all matchers (an empty label value matches an absent label). */
  select(matchers: readonly Matcher[], hints: SelectHints): Promise<readonly StorageSeries[]>;
  /** Sorted label names of series matching the matchers (all series when none are given). */
  labelNames(matchers: readonly Matcher[], hints?: LabelHints): Promise<string[]>;
  /** Sorted distinct values of `name` among series matching the matchers. */
  labelValues(name: string, matchers: readonly Matcher[], hints?: LabelHints): Promise<string[]>;
  close(): void;
}

/** Opens a Querier over [mint, maxt] (ms). A query opens one and closes it when done. */
export interface Queryable {
  querier(mint: number, maxt: number): Promise<Querier>;
}

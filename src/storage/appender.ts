import type { Labels } from '../model/labels.js';

/** A store's handle for one series, opaque to producers; see Appender.appendCached. */
export type SeriesRef = object;

/**
 * The write side of a metrics store. Samples appended are invisible until commit();
 * rollback() drops them. Producers (probes, scrapes, log metrics, remote-write) hold an
 * Appendable and never know which store is behind it.
 */
export interface Appender {
  append(labels: Labels, t: number, v: number): void;
  /**
   * Optional fast path for producers that see the same series again and again (remote-write):
   * append() that returns the store's handle for the series and, given the handle it returned
   * earlier for the same label set (undefined the first time), skips the label lookup. A handle is
   * meaningful only to appenders of the Appendable that issued it; a stale one (series dropped
   * since) is looked up again, so keeping one never changes what is stored.
   */
  appendCached?(ref: SeriesRef | undefined, labels: Labels, t: number, v: number): SeriesRef;
  commit(): Promise<void>;
  rollback(): void;
}

export interface Appendable {
  appender(): Appender;
}

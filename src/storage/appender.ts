import type { Labels } from '../model/labels.js';

/**
 * The write side of a metrics store. Samples appended are invisible until commit();
 * rollback() drops them. Producers (probes, scrapes, log metrics, remote-write) hold an
 * Appendable and never know which store is behind it.
 */
export interface Appender {
  append(labels: Labels, t: number, v: number): void;
  commit(): Promise<void>;
  rollback(): void;
}

export interface Appendable {
  appender(): Appender;
}

import type { Labels } from '../model/labels.js';

export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
export const LEVELS: readonly Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/**
 * A stored log line. Time is `t` milliseconds since the epoch plus `ns`, the nanoseconds
 * within that millisecond (0–999999), so Loki's nanosecond timestamps survive a round trip
 * without bigints. `seq` is the store's global arrival sequence: it orders lines that share
 * a timestamp and identifies a line across restarts.
 */
export interface LogEntry {
  readonly labels: Labels;
  readonly t: number;
  readonly ns: number;
  readonly seq: number;
  readonly line: string;
  /** Structured metadata (parsed fields); behaves like labels inside LogQL pipelines. */
  readonly fields?: Readonly<Record<string, string>>;
}

/** What a caller hands to LogStore.append(). */
export interface LogInput {
  labels: Labels;
  /** Milliseconds since the epoch (integer). */
  t: number;
  /** Nanoseconds within the millisecond, 0–999999; default 0. */
  ns?: number;
  line: string;
  fields?: Record<string, string>;
}

/** Loki's nanosecond timestamp string for an entry time. */
export function nsString(t: number, ns = 0): string {
  if (t === 0) return String(ns);
  return `${t}${String(ns).padStart(6, '0')}`;
}

/** Splits a Loki nanosecond timestamp (string or number) into ms + ns remainder. */
export function fromNsString(s: string): { t: number; ns: number } {
  if (!/^\d+$/.test(s)) throw new Error(`expected a nanosecond timestamp (digits), got ${JSON.stringify(s)}`);
  if (s.length <= 6) return { t: 0, ns: Number(s) };
  return { t: Number(s.slice(0, -6)), ns: Number(s.slice(-6)) };
}

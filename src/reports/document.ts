import { DateTime } from 'luxon';
import { formatDuration } from '../model/duration.js';

export const REPORT_KINDS = ['incident', 'daily', 'handoff', 'sla'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const REPORT_FORMATS = ['markdown', 'html', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * A report as a document: sections of blocks, rendered to Markdown, HTML or JSON by
 * render.ts. Text is plain (renderers escape it) except `markdown` blocks, which carry what
 * people wrote (post-mortem sections) as they wrote it.
 */
export type Block =
  | { readonly type: 'paragraph'; readonly text: string }
  | { readonly type: 'markdown'; readonly text: string }
  | { readonly type: 'list'; readonly items: readonly string[] }
  | { readonly type: 'table'; readonly columns: readonly string[]; readonly rows: readonly (readonly string[])[] }
  | { readonly type: 'subsection'; readonly heading: string; readonly blocks: readonly Block[] };

export interface Section {
  readonly heading: string;
  readonly blocks: readonly Block[];
}

export interface ReportDocument {
  readonly kind: ReportKind;
  readonly title: string;
  /** ms since the epoch */
  readonly generatedAt: number;
  readonly timeZone: string;
  /** The period the report covers, when it covers one. */
  readonly period?: { readonly from: number; readonly to: number };
  readonly sections: readonly Section[];
  /** The figures behind the sections, for machines (`--format json`). */
  readonly data: Readonly<Record<string, unknown>>;
}

export const p = (text: string): Block => ({ type: 'paragraph', text });
export const list = (items: readonly string[]): Block => ({ type: 'list', items });
export const table = (columns: readonly string[], rows: readonly (readonly string[])[]): Block => ({ type: 'table', columns, rows });
export const md = (text: string): Block => ({ type: 'markdown', text });
export const sub = (heading: string, blocks: readonly Block[]): Block => ({ type: 'subsection', heading, blocks });

/** Dates and times the way every report writes them: YYYY-MM-DD, HH:mm, in the report's zone. */
export class Fmt {
  constructor(readonly zone: string) {}
  day(t: number): string {
    return DateTime.fromMillis(t, { zone: this.zone }).toFormat('yyyy-MM-dd');
  }
  time(t: number | null): string {
    if (t === null) return '—';
    return DateTime.fromMillis(t, { zone: this.zone }).toFormat('yyyy-MM-dd HH:mm ZZZZ');
  }
  /** The start and end (exclusive) of a calendar day in the zone, ms. DST days are 23 or 25 hours. */
  dayBounds(day: string): { from: number; to: number } {
    const start = DateTime.fromISO(day, { zone: this.zone }).startOf('day');
    return { from: start.toMillis(), to: start.plus({ days: 1 }).toMillis() };
  }
  monthBounds(month: string): { from: number; to: number } {
    const start = DateTime.fromISO(`${month}-01`, { zone: this.zone }).startOf('month');
    return { from: start.toMillis(), to: start.plus({ months: 1 }).toMillis() };
  }
}

export function duration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return '0s';
  return formatDuration(Math.round(ms / 60_000) * 60_000 || Math.round(ms / 1000) * 1000);
}

export function percent(fraction: number | null, digits = 3): string {
  if (fraction === null || !Number.isFinite(fraction)) return '—';
  return `${(fraction * 100).toFixed(digits).replace(/\.?0+$/, '')}%`;
}

/** A number people read: up to 3 significant decimals, with a unit. */
export function figure(v: number | null, unit = ''): string {
  if (v === null || !Number.isFinite(v)) return '—';
  if (unit === 's') return v < 1 ? `${(v * 1000).toPrecision(3).replace(/\.0+$/, '')} ms` : `${v.toPrecision(3)} s`;
  if (unit === 'bytes') {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
    let x = Math.abs(v);
    let i = 0;
    while (x >= 1024 && i < units.length - 1) (x /= 1024), i++;
    return `${v < 0 ? '-' : ''}${x.toPrecision(3)} ${units[i]}`;
  }
  if (unit === 'ratio') return percent(v, 2);
  if (unit === 'percent') return `${v.toPrecision(3)}%`;
  const s = Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : Number(v.toPrecision(3)).toString();
  return unit ? `${s} ${unit}` : s;
}

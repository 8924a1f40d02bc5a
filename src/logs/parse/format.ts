import type { Level } from '../types.js';

/** What a format parser pulls out of one line, before well-known fields are normalized. */
export interface RawParse {
  fields: Record<string, string>;
  timestamp?: number;
  level?: Level;
  message?: string;
}

export interface ParseContext {
  /** Reference time (ms) for formats whose stamps lack a year. */
  now: number;
}

/** One log format: a cheap shape test for auto-detection and the parse itself (null = not this format). */
export interface FormatParser {
  readonly name: string;
  detect(line: string): boolean;
  parse(line: string, ctx: ParseContext): RawParse | null;
}

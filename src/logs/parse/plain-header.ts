import { normalizeLevel } from '../level.js';
import type { Level } from '../types.js';
import { headerTimestampMs, leadingTimestamp } from './header-timestamp.js';

/**
 * The header most plain-text application logs put before the message — a timestamp, then
 * optionally a process id, a level word and a bracketed thread or context:
 *
 *   2015-10-18 18:01:47,978 INFO [main] org.apache.X: Created app
 *   2015-07-29 17:41:44,747 - WARN  [QuorumPeer[myid=1]/0.0.0.0:2181:Learner@233] - Exception
 *   17/06/09 20:10:40 INFO executor.Backend: Registered signal handlers
 *   081109 203615 148 INFO dfs.DataNode: Receiving block
 *   [Sun Dec 04 04:47:44 2005] [error] mod_jk child in error state 6
 *   12-01 09:30:00.125   412   430 I ActivityManager: … (Android logcat: process and thread ids)
 *
 * A header is only recognized when the line starts with a timestamp (header-timestamp.ts
 * describes the forms by their parts: date, clock, zone, brackets); the message is the rest,
 * so templates, detectors and searches by message are not diluted by the header's
 * ever-changing parts.
 */
export interface PlainHeader {
  /** The timestamp as written; plainHeaderTime() reads it (only when asked: it costs). */
  rawTimestamp: string;
  level?: Level;
  message: string;
}

const SEPARATORS = /^[\s|,]*(?:-\s+)?/;
// One or two numbers (process, thread).
const PID = /^(\d+)\s+(?:\d+\s+)?/;
// Only words loggers print as a level (not `fail` or `alert`, which begin messages too).
const LEVEL_WORD = /^\[?(trace|debug|info|notice|warn|warning|error|err|fatal|crit|critical|severe|emerg)\]?(?=[\s:|\]-]|$)/i;
const AFTER = /^[\s|:-]*/;

/** Index just after a `[...]` group starting at `i` (nested brackets allowed), or -1. */
function skipBrackets(s: string, i: number): number {
  let depth = 0;
  for (let j = i; j < s.length && j < i + 200; j++) {
    const c = s.charCodeAt(j);
    if (c === 91 /* [ */) depth++;
    else if (c === 93 /* ] */ && --depth === 0) return j + 1;
  }
  return -1;
}

/** Milliseconds of a header's timestamp, or undefined. */
export function plainHeaderTime(raw: string, now: number): number | undefined {
  return headerTimestampMs(raw, now);
}

/** The header of a plain line, or undefined when it does not start with a timestamp. */
export function splitPlainHeader(line: string): PlainHeader | undefined {
  const c0 = line.charCodeAt(0);
  // Fast exit: every stamp starts with a digit, `[` or a capitalised day or month name.
  if (!((c0 >= 48 && c0 <= 57) || c0 === 91 || (c0 >= 65 && c0 <= 90))) return undefined;
  const ts = leadingTimestamp(line);
  if (!ts) return undefined;
  const out: PlainHeader = { rawTimestamp: ts.raw, message: '' };
  let rest = line.slice(ts.length);
  rest = rest.slice(SEPARATORS.exec(rest)![0].length);
  const pid = PID.exec(rest);
  if (pid) rest = rest.slice(pid[0].length);
  const lw = LEVEL_WORD.exec(rest);
  const level = lw ? normalizeLevel(lw[1]) : undefined;
  if (lw && level !== undefined) {
    out.level = level;
    rest = rest.slice(lw[0].length);
    rest = rest.slice(AFTER.exec(rest)![0].length);
    // A bracketed thread or context right after the level: `[main]`, `[QuorumPeer[myid=1]/…]`.
    if (rest.charCodeAt(0) === 91) {
      const end = skipBrackets(rest, 0);
      if (end > 0) rest = rest.slice(end).replace(AFTER, '');
    }
  }
  out.message = rest === '' ? line : rest;
  return out;
}

import { normalizeLevel } from '../level.js';
import type { Level } from '../types.js';
import { parseTimestamp } from './timestamp.js';

/**
 * The header most plain-text application logs put before the message — log4j/logback,
 * Python logging, Go's log, Hadoop/Spark/ZooKeeper, Apache's error log:
 *
 *   2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.X: Created MRAppMaster
 *   2015-07-29 17:41:44,747 - WARN  [QuorumPeer[myid=1]/0.0.0.0:2181:Learner@233] - Exception
 *   17/06/09 20:10:40 INFO executor.Backend: Registered signal handlers
 *   081109 203615 148 INFO dfs.DataNode: Receiving block
 *   [Sun Dec 04 04:47:44 2005] [error] mod_jk child in error state 6
 *
 * A header is only recognized when the line starts with a timestamp; then an optional
 * process id, level and bracketed thread follow. The message is the rest, so templates,
 * detectors and searches by message are not diluted by the header's ever-changing parts.
 */
export interface PlainHeader {
  /** The timestamp as written; plainHeaderTime() reads it (only when asked: it costs). */
  rawTimestamp: string;
  level?: Level;
  message: string;
}

// Leading timestamps, each ending where the header continues (space, comma, `]`, `|` …).
const TIMESTAMP = new RegExp(
  '^(?:' +
    [
      '(\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d{1,9})?(?:Z|[+-]\\d\\d:?\\d\\d)?)', // ISO 8601 / log4j
      '\\[(\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d{1,9})?(?:Z|[+-]\\d\\d:?\\d\\d)?)\\]',
      '(\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})?)', // Go's log
      '(\\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d)', // yy/MM/dd (Spark)
      '(\\d{6} \\d{6})', // yyMMdd HHmmss (HDFS)
      '\\[((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)? \\d{4})\\]', // Apache error log
    ].join('|') +
    ')(?=[\\s,|\\]-]|$)',
);

const SEPARATORS = /^[\s|,]*(?:-\s+)?/;
const PID = /^(\d+)\s+/;
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

function validCompact(raw: string): boolean {
  const n = (i: number): number => Number(raw.slice(i, i + 2));
  return n(2) >= 1 && n(2) <= 12 && n(4) >= 1 && n(4) <= 31 && n(7) <= 23 && n(9) <= 59 && n(11) <= 60;
}

/** Milliseconds of a header's timestamp (the forms TIMESTAMP accepts), or undefined. */
export function plainHeaderTime(raw: string, now: number): number | undefined {
  let ms = parseTimestamp(raw.replace(',', '.'), now);
  if (ms === undefined && /^\d\d\/\d\d\/\d\d /.test(raw)) ms = parseTimestamp(`20${raw.replace(/\//g, '-')}`, now);
  if (ms === undefined && /^\d{6} \d{6}$/.test(raw)) {
    ms = parseTimestamp(`20${raw.slice(0, 2)}-${raw.slice(2, 4)}-${raw.slice(4, 6)}T${raw.slice(7, 9)}:${raw.slice(9, 11)}:${raw.slice(11, 13)}`, now);
  }
  return ms;
}

/** The header of a plain line, or undefined when it does not start with a timestamp. */
export function splitPlainHeader(line: string): PlainHeader | undefined {
  const c0 = line.charCodeAt(0);
  // Fast exit: every supported header starts with a digit or `[`.
  if (!((c0 >= 48 && c0 <= 57) || c0 === 91)) return undefined;
  const ts = TIMESTAMP.exec(line);
  if (!ts) return undefined;
  const raw = ts[1] ?? ts[2] ?? ts[3] ?? ts[4] ?? ts[5] ?? ts[6]!;
  // Six digits, a space, six digits is only a timestamp if it reads as a date and a time.
  if (ts[5] !== undefined && !validCompact(raw)) return undefined;
  const out: PlainHeader = { rawTimestamp: raw, message: '' };
  let rest = line.slice(ts[0].length);
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

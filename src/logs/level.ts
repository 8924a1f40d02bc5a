import type { Level } from './types.js';

const WORDS: Readonly<Record<string, Level>> = {
  trace: 'trace', trc: 'trace', finest: 'trace', finer: 'trace',
  debug: 'debug', dbg: 'debug', debu: 'debug', fine: 'debug', verbose: 'debug',
  info: 'info', inf: 'info', information: 'info', informational: 'info', notice: 'info', note: 'info',
  warn: 'warn', warning: 'warn', wrn: 'warn',
  error: 'error', err: 'error', eror: 'error', severe: 'error', fail: 'error', failure: 'error',
  fatal: 'fatal', crit: 'fatal', critical: 'fatal', alert: 'fatal', emerg: 'fatal', emergency: 'fatal', panic: 'fatal',
};

/** Syslog severities 0–7 (RFC 5424 §6.2.1). */
export function levelFromSyslogSeverity(sev: number): Level {
  if (sev <= 2) return 'fatal';
  if (sev === 3) return 'error';
  if (sev === 4) return 'warn';
  if (sev <= 6) return 'info';
  return 'debug';
}

/**
 * Normalizes a level as loggers write it: words in any case (`WARNING`, `Err`, `crit`),
 * single letters (`E`, `W`), bunyan/pino numbers (10 trace … 60 fatal) and syslog
 * severities 0–7. Undefined when the value means nothing recognizable.
 */
export function normalizeLevel(raw: string | number | undefined): Level | undefined {
  if (raw === undefined) return undefined;
  const s = String(raw).trim().toLowerCase();
  if (s === '') return undefined;
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (n <= 7) return levelFromSyslogSeverity(n);
    if (n < 20) return 'trace';
    if (n < 30) return 'debug';
    if (n < 40) return 'info';
    if (n < 50) return 'warn';
    if (n < 60) return 'error';
    return 'fatal';
  }
  const w = WORDS[s];
  if (w) return w;
  switch (s) {
    case 't': return 'trace';
    case 'd': return 'debug';
    case 'i': return 'info';
    case 'w': return 'warn';
    case 'e': return 'error';
    case 'f': case 'c': return 'fatal';
    default: return undefined;
  }
}

const LEVEL_WORD = /\b(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|CRIT|PANIC|EMERG)\b/;
const LEVEL_WORD_ANY = /\b(trace|debug|info|warn|warning|error|fatal|critical|panic)\b/i;

/** Guesses a level from free text: an upper-case level word first, else any-case. */
export function guessLevel(text: string): Level | undefined {
  const m = LEVEL_WORD.exec(text) ?? LEVEL_WORD_ANY.exec(text.slice(0, 200));
  return m?.[1] ? normalizeLevel(m[1]) : undefined;
}

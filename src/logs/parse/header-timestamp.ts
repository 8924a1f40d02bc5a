/**
 * Timestamps at the start of a plain log line, described by their parts rather than by the
 * programs that write them: a date (year-month-day with `-`, `/` or `.`, two- or four-digit
 * year; compact `yyMMdd`/`yyyyMMdd`; month-day without a year; a month name with or without a
 * weekday; `dd/Mon/yyyy:`), a clock (`HH:mm:ss` with `:` or `.`, a fraction after `.`, `,`
 * or `:`), an optional zone, the whole optionally in brackets. Each form checks that its
 * fields are a real date and time, so `100000 250000 bytes` is no stamp.
 */

interface Parts {
  year?: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Fraction of a second as written (digits). */
  frac: string;
  zone?: string;
}

interface Form {
  readonly re: RegExp;
  readonly parts: (m: RegExpExecArray) => Parts;
}

const CLOCK = '(\\d{1,2})[:.](\\d\\d)[:.](\\d\\d)(?:[.,:](\\d{1,9}))?';
const ZONE = '(?:\\s?(Z|UTC|GMT|[+-]\\d\\d:?\\d\\d))?';
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MON = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*';
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\\s+';
// A stamp ends where the header goes on: space, `,`, `|`, `]`, `-`, or the end of the line.
const END = '(?=[\\s,|\\]-]|$)';

const clock = (m: RegExpExecArray, at: number): Pick<Parts, 'hour' | 'minute' | 'second' | 'frac'> => ({
  hour: Number(m[at]),
  minute: Number(m[at + 1]),
  second: Number(m[at + 2]),
  frac: m[at + 3] ?? '',
});
const monthOf = (name: string): number => MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
const fullYear = (y: string): number => (y.length === 2 ? 2000 + Number(y) : Number(y));

const FORMS: readonly Form[] = [
  // 2015-10-18 18:01:47,978 · 2024-10-20T12:00:00Z · 2024/10/20 12:00:00 · 17/06/09 20:10:40 · 2024.06.03-15.42.50.363779
  {
    re: new RegExp(`^(\\d{4}|\\d\\d)([-/.])(\\d{1,2})\\2(\\d{1,2})(?:[T_-]|\\s+)${CLOCK}${ZONE}${END}`),
    parts: (m) => ({ year: fullYear(m[1]!), month: Number(m[3]), day: Number(m[4]), ...clock(m, 5), zone: m[9] }),
  },
  // 081109 203615 · 20171223-22:15:29:606
  {
    re: new RegExp(`^(\\d{8}|\\d{6})[-T ]?(\\d\\d):?(\\d\\d):?(\\d\\d)(?:[.,:](\\d{1,9}))?${ZONE}${END}`),
    parts: (m) => {
      const d = m[1]!;
      const y = d.length === 8 ? d.slice(0, 4) : d.slice(0, 2);
      return { year: fullYear(y), month: Number(d.slice(-4, -2)), day: Number(d.slice(-2)), ...clock(m, 2), zone: m[6] };
    },
  },
  // 03-17 16:13:38.811 (Android logcat) · 10.30 16:49:06 (month and day, no year)
  {
    re: new RegExp(`^(\\d\\d)([-/.])(\\d\\d)\\s+${CLOCK}${ZONE}${END}`),
    parts: (m) => ({ month: Number(m[1]), day: Number(m[3]), ...clock(m, 4), zone: m[8] }),
  },
  // Sun Dec 04 04:47:44 2005 · Jun 14 15:16:01 · Mon, Jan 2 15:04:05 2006 -0700
  {
    re: new RegExp(`^(?:${DAY})?${MON}\\s+(\\d{1,2}),?\\s+${CLOCK}(?:\\s+(\\d{4}))?${ZONE}${END}`),
    parts: (m) => ({ month: monthOf(m[1]!), day: Number(m[2]), ...clock(m, 3), year: m[7] ? Number(m[7]) : undefined, zone: m[8] }),
  },
  // Mon, 02 Jan 2006 15:04:05 -0700 · 02 Jan 2006 15:04:05
  {
    re: new RegExp(`^(?:${DAY})?(\\d{1,2})\\s+${MON}\\s+(\\d{4})\\s+${CLOCK}${ZONE}${END}`),
    parts: (m) => ({ day: Number(m[1]), month: monthOf(m[2]!), year: Number(m[3]), ...clock(m, 4), zone: m[8] }),
  },
  // 10/Oct/2000:13:55:36 -0700
  {
    re: new RegExp(`^(\\d{1,2})/${MON}/(\\d{4}):${CLOCK}${ZONE}${END}`),
    parts: (m) => ({ day: Number(m[1]), month: monthOf(m[2]!), year: Number(m[3]), ...clock(m, 4), zone: m[8] }),
  },
];

const NAMES = new Set(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);

function valid(p: Parts): boolean {
  return p.month >= 1 && p.month <= 12 && p.day >= 1 && p.day <= 31 && p.hour <= 23 && p.minute <= 59 && p.second <= 60;
}

export interface HeaderStamp {
  /** The stamp as written, without brackets. */
  readonly raw: string;
  /** Characters the stamp takes at the start of the line, brackets included. */
  readonly length: number;
}

/** The timestamp a line starts with (optionally in `[...]`), or undefined. */
export function leadingTimestamp(line: string): HeaderStamp | undefined {
  const bracket = line.charCodeAt(0) === 91;
  const text = bracket ? line.slice(1) : line;
  // Most lines start with a word: only a day or month name can begin a stamp (cheap to rule out).
  const c0 = text.charCodeAt(0);
  if (!(c0 >= 48 && c0 <= 57) && !NAMES.has(text.slice(0, 3))) return undefined;
  for (const f of FORMS) {
    const m = f.re.exec(text);
    if (!m || !valid(f.parts(m))) continue;
    if (!bracket) return { raw: m[0], length: m[0].length };
    if (text.charCodeAt(m[0].length) !== 93) continue;
    return { raw: m[0], length: m[0].length + 2 };
  }
  return undefined;
}

/** Milliseconds of a stamp found by leadingTimestamp (UTC unless it names a zone; no year: the current one, or last year if that is more than a day ahead). */
export function headerTimestampMs(raw: string, now: number): number | undefined {
  for (const f of FORMS) {
    const m = f.re.exec(raw);
    if (!m) continue;
    const p = f.parts(m);
    if (!valid(p)) continue;
    const ms = Number(p.frac.padEnd(3, '0').slice(0, 3));
    const at = (year: number) => Date.UTC(year, p.month - 1, p.day, p.hour, p.minute, p.second, ms) - offsetMs(p.zone);
    if (p.year !== undefined) return at(p.year);
    const year = new Date(now).getUTCFullYear();
    const t = at(year);
    return t > now + 86_400_000 ? at(year - 1) : t;
  }
  return undefined;
}

function offsetMs(zone: string | undefined): number {
  const m = zone ? /^([+-])(\d\d):?(\d\d)$/.exec(zone) : null;
  if (!m) return 0;
  const v = (Number(m[2]) * 60 + Number(m[3])) * 60_000;
  return m[1] === '-' ? v * -1 : v;
}

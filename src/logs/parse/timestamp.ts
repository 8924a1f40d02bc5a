/**
 * Timestamps as logs write them, to epoch milliseconds. `now` supplies the year for
 * syslog 3164 stamps, which carry none (a stamp more than a day in the future is taken
 * as last year, as rsyslog does).
 */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase());
}

function offsetMs(tz: string): number {
  const m = /^([+-])(\d\d):?(\d\d)$/.exec(tz);
  if (!m) return 0;
  const v = (Number(m[2]) * 60 + Number(m[3])) * 60_000;
  return m[1] === '-' ? -v : v;
}

const ISO = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?\s*(Z|[+-]\d\d:?\d\d)?$/i;
const CLF = /^(\d\d)\/([A-Za-z]{3})\/(\d{4}):(\d\d):(\d\d):(\d\d)(?:\s+([+-]\d{4}))?$/;
const BSD = /^([A-Za-z]{3})\s+(\d{1,2})\s+(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?$/;

export function parseTimestamp(raw: string, now: number = Date.now()): number | undefined {
  const s = raw.trim();
  if (s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return fromEpochNumber(Number(s), s);
  let m = ISO.exec(s);
  if (m) {
    const frac = (m[7] ?? '').padEnd(3, '0').slice(0, 3);
    const local = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +frac);
    // No zone: read as UTC, the only reading that is the same on every machine.
    return local - (m[8] && m[8].toUpperCase() !== 'Z' ? offsetMs(m[8]) : 0);
  }
  m = CLF.exec(s);
  if (m) {
    const mon = monthIndex(m[2]!);
    if (mon < 0) return undefined;
    return Date.UTC(+m[3]!, mon, +m[1]!, +m[4]!, +m[5]!, +m[6]!) - (m[7] ? offsetMs(m[7]) : 0);
  }
  m = BSD.exec(s);
  if (m) {
    const mon = monthIndex(m[1]!);
    if (mon < 0) return undefined;
    const year = new Date(now).getUTCFullYear();
    const ms = Number((m[6] ?? '').padEnd(3, '0').slice(0, 3));
    let t = Date.UTC(year, mon, +m[2]!, +m[3]!, +m[4]!, +m[5]!, ms);
    if (t > now + 86_400_000) t = Date.UTC(year - 1, mon, +m[2]!, +m[3]!, +m[4]!, +m[5]!, ms);
    return t;
  }
  const d = Date.parse(s);
  return Number.isNaN(d) ? undefined : d;
}

/** Epoch numbers by magnitude: seconds (10 digits), ms (13), µs (16), ns (19). */
function fromEpochNumber(n: number, s: string): number | undefined {
  if (!Number.isFinite(n)) return undefined;
  const intDigits = s.split('.')[0]!.length;
  if (intDigits <= 11) return Math.round(n * 1000);
  if (intDigits <= 14) return Math.round(n);
  if (intDigits <= 17) return Math.round(n / 1000);
  return Math.round(n / 1e6);
}

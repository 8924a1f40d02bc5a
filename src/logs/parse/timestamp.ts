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

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
};

/** Two digits at i as a number, or -1. */
function two(s: string, i: number): number {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/**
 * RFC 3339 as shippers write it (`2024-10-11T22:14:15.003Z`, `… 22:14:15+02:00`) without the
 * regex: the same value as the ISO branch below for every string it accepts, and undefined
 * (so the regex decides) for anything else — a space before the zone, say.
 */
function isoFast(s: string): number | undefined {
  const n = s.length;
  if (n < 19 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 116 && sep !== 32) return undefined; // T, t, space
  const y1 = two(s, 0);
  const y2 = two(s, 2);
  const mo = two(s, 5);
  const d = two(s, 8);
  const h = two(s, 11);
  const mi = two(s, 14);
  const sec = two(s, 17);
  if (y1 < 0 || y2 < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) return undefined;
  let i = 19;
  let ms = 0;
  const c19 = s.charCodeAt(19);
  if (c19 === 46 || c19 === 44) {
    // [.,] then 1–9 digits; the first three are milliseconds.
    let k = 0;
    for (i = 20; i < n && k < 10; i++, k++) {
      const v = digit(s, i);
      if (v < 0) break;
      if (k < 3) ms += v * (k === 0 ? 100 : k === 1 ? 10 : 1);
    }
    if (k === 0 || k > 9) return undefined;
  }
  let offset = 0;
  if (i < n) {
    const z = s.charCodeAt(i);
    if ((z === 90 || z === 122) && i + 1 === n) offset = 0; // Z, z
    else if (z === 43 || z === 45) {
      // [+-]hh:?mm
      const colon = s.charCodeAt(i + 3) === 58 ? 1 : 0;
      if (i + 5 + colon !== n) return undefined;
      const oh = two(s, i + 1);
      const om = two(s, i + 3 + colon);
      if (oh < 0 || om < 0) return undefined;
      offset = (oh * 60 + om) * 60_000 * (z === 45 ? -1 : 1);
    } else return undefined;
  }
  return Date.UTC(y1 * 100 + y2, mo - 1, d, h, mi, sec, ms) - offset;
}

export function parseTimestamp(raw: string, now: number = Date.now()): number | undefined {
  const s = raw.trim();
  if (s === '') return undefined;
  const fast = isoFast(s);
  if (fast !== undefined) return fast;
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
  const dot = s.indexOf('.');
  const intDigits = dot < 0 ? s.length : dot;
  if (intDigits <= 11) return Math.round(n * 1000);
  if (intDigits <= 14) return Math.round(n);
  if (intDigits <= 17) return Math.round(n / 1000);
  return Math.round(n / 1e6);
}

import { levelFromSyslogSeverity } from '../level.js';
import type { FormatParser, RawParse } from './format.js';
import { parseTimestamp } from './timestamp.js';

const RFC5424 = /^<(\d{1,3})>(\d{1,2}) (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+)(?: (.*))?$/s;
const RFC3164 = /^(?:<(\d{1,3})>)?([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)?) (\S+) ([^:\[\s]+)(?:\[(\d+)\])?: ?(.*)$/s;
const SD_ELEMENT = /\[([^\s\]]+)((?: [^=\s\]]+="(?:[^"\\]|\\.)*")*)\]/g;
const SD_PARAM = /([^=\s\]]+)="((?:[^"\\]|\\.)*)"/g;

function priority(fields: Record<string, string>, pri: string | undefined): RawParse['level'] {
  if (pri === undefined) return undefined;
  const p = Number(pri);
  fields.facility = String(p >> 3);
  fields.severity = String(p & 7);
  return levelFromSyslogSeverity(p & 7);
}

const nil = (s: string): boolean => s === '-';

/** RFC 5424: structured-data params become `<sd-id>.<name>` fields. */
export const syslog5424Format: FormatParser = {
  name: 'syslog5424',
  // `<` first: a one-character test rejects most lines before the regex runs.
  detect: (line) => line.charCodeAt(0) === 60 && RFC5424.test(line),
  parse(line, ctx) {
    const m = RFC5424.exec(line);
    if (!m) return null;
    const fields: Record<string, string> = {};
    const level = priority(fields, m[1]);
    if (!nil(m[4]!)) fields.hostname = m[4]!;
    if (!nil(m[5]!)) fields.app_name = m[5]!;
    if (!nil(m[6]!)) fields.procid = m[6]!;
    if (!nil(m[7]!)) fields.msgid = m[7]!;
    if (!nil(m[8]!)) {
      for (const el of m[8]!.matchAll(SD_ELEMENT)) {
        for (const p of (el[2] ?? '').matchAll(SD_PARAM)) {
          fields[`${el[1]}.${p[1]}`] = p[2]!.replace(/\\(["\\\]])/g, '$1');
        }
      }
    }
    const msg = (m[9] ?? '').replace(/^\uFEFF/, '');
    return {
      fields,
      timestamp: nil(m[3]!) ? undefined : parseTimestamp(m[3]!, ctx.now),
      level,
      message: msg,
    };
  },
};

/** RFC 3164 (BSD syslog), with or without the `<PRI>` prefix, as /var/log/syslog holds it. */
export const syslog3164Format: FormatParser = {
  name: 'syslog3164',
  // `<PRI>` or a capitalised month name first.
  detect: (line) => {
    const c = line.charCodeAt(0);
    return (c === 60 || (c >= 65 && c <= 90)) && RFC3164.test(line);
  },
  parse(line, ctx) {
    const m = RFC3164.exec(line);
    if (!m) return null;
    const fields: Record<string, string> = { hostname: m[3]!, app_name: m[4]! };
    const level = priority(fields, m[1]);
    if (m[5]) fields.procid = m[5];
    return { fields, timestamp: parseTimestamp(m[2]!, ctx.now), level, message: m[6] ?? '' };
  },
};

/** What a syslog receiver needs of a message to pick its stream and time (see syslogHeader). */
export interface SyslogHeader {
  appName: string;
  /** '' when the message names none. */
  hostname: string;
  timestamp: number;
}

/**
 * The sender, host and time of a syslog message, exactly as the `syslog` format's full parse
 * reports them in `fields.app_name`, `fields.hostname` and `timestamp`, without building its
 * fields, structured data and message (the line worker parses the line in full anyway).
 * Undefined when the message is not syslog, names no app or has no readable time: the full
 * parse then decides.
 */
export function syslogHeader(line: string, now: number): SyslogHeader | undefined {
  let m = RFC5424.exec(line);
  if (m) {
    if (nil(m[5]!) || nil(m[3]!)) return undefined;
    const timestamp = parseTimestamp(m[3]!, now);
    return timestamp === undefined ? undefined : { appName: m[5]!, hostname: nil(m[4]!) ? '' : m[4]!, timestamp };
  }
  m = RFC3164.exec(line);
  if (!m) return undefined;
  const timestamp = parseTimestamp(m[2]!, now);
  return timestamp === undefined ? undefined : { appName: m[4]!, hostname: m[3]!, timestamp };
}

import type { FormatParser } from './format.js';
import { parseTimestamp } from './timestamp.js';

// Common/combined log format as nginx and Apache write it; extra trailing fields are allowed.
const COMBINED =
  /^(\S+) (\S+) (\S+) \[([^\]]+)\] "([A-Z]+) (\S+)(?: (HTTP\/[\d.]+))?" (\d{3}) (\d+|-)(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?(.*)$/;

export const combinedFormat: FormatParser = {
  name: 'combined',
  // Every match has ` [` before the time and a `"` before the request.
  detect: (line) => line.includes(' [') && line.includes('"') && COMBINED.test(line),
  parse(line, ctx) {
    const m = COMBINED.exec(line);
    if (!m) return null;
    const status = m[8]!;
    const fields: Record<string, string> = {
      client_ip: m[1]!,
      method: m[5]!,
      path: m[6]!,
      status,
      bytes: m[9] === '-' ? '0' : m[9]!,
    };
    if (m[3] !== '-') fields.user_id = m[3]!;
    if (m[7]) fields.protocol = m[7];
    if (m[10] !== undefined && m[10] !== '-') fields.referer = m[10];
    if (m[11] !== undefined && m[11] !== '-') fields.user_agent = m[11];
    const rest = (m[12] ?? '').trim();
    if (rest) fields.extra = rest;
    const code = Number(status);
    return {
      fields,
      timestamp: parseTimestamp(m[4]!, ctx.now),
      level: code >= 500 ? 'error' : code >= 400 ? 'warn' : 'info',
      message: `${m[5]} ${m[6]} ${status}`,
    };
  },
};

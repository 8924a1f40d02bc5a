import type { FormatParser } from './format.js';

/**
 * One JSON object per line. Nested objects flatten with `.` (`{"http":{"status":500}}` →
 * `http.status`); arrays and nulls are kept as their JSON text.
 */
export const jsonFormat: FormatParser = {
  name: 'json',
  detect: (line) => {
    const s = line.trimStart();
    return s.startsWith('{') && s.trimEnd().endsWith('}');
  },
  parse(line) {
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      return null;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
    const fields: Record<string, string> = {};
    flatten(v as Record<string, unknown>, '', fields);
    return { fields };
  },
};

export function flatten(obj: Record<string, unknown>, prefix: string, out: Record<string, string>): void {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
    else if (typeof v === 'string') out[key] = v;
    else out[key] = JSON.stringify(v);
  }
}

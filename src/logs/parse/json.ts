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
  for (const k in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, k)) continue;
    const v = obj[k];
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out[key] = v;
    // Same text as JSON.stringify for the finite numbers and booleans JSON.parse yields.
    else if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') out[key] = String(v);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
    else out[key] = JSON.stringify(v);
  }
}

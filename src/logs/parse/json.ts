import type { FormatParser } from './format.js';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../../model/json-depth.js';

/**
 * One JSON object per line. Nested objects flatten with `.` (`{"http":{"status":500}}` →
 * `http.status`); arrays and nulls are kept as their JSON text. A line nested deeper than
 * MAX_JSON_DEPTH is not taken as JSON (it is kept as plain text).
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
    if (!flatten(v as Record<string, unknown>, '', fields)) return null;
    return { fields };
  },
};

/** Flattens into `out`; false (with `out` partly filled) when `obj` nests deeper than MAX_JSON_DEPTH. */
export function flatten(obj: Record<string, unknown>, prefix: string, out: Record<string, string>, depth = 1): boolean {
  if (depth > MAX_JSON_DEPTH) return false;
  for (const k in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, k)) continue;
    const v = obj[k];
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out[key] = v;
    // Same text as JSON.stringify for the finite numbers and booleans JSON.parse yields.
    else if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') out[key] = String(v);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      if (!flatten(v as Record<string, unknown>, key, out, depth + 1)) return false;
    } else if (jsonDepthExceeds(v, MAX_JSON_DEPTH - depth)) return false;
    else out[key] = JSON.stringify(v);
  }
  return true;
}

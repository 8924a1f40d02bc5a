import { isValidLabelName } from '../model/labels.js';
import { parseTimestamp } from '../logs/index.js';
import type { LogInput } from '../logs/index.js';
import { IngestError, decodeContentEncoding, decodeUtf8 } from './log-ingest.js';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../model/json-depth.js';

const TIME_KEYS = ['timestamp', 'ts', 'time'] as const;
const LINE_KEYS = ['line', 'message', 'msg'] as const;
const LABEL_KEYS = ['labels', 'stream'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `POST /api/v1/logs`: newline-delimited JSON, one object per line:
 * `{"timestamp"|"ts"|"time"?: …, "labels"|"stream"?: {…}, "line"|"message"|"msg": "…", …rest}`.
 * Every other key becomes a field (non-strings as JSON). Times: RFC 3339, epoch s/ms/µs/ns
 * (by digit count; a 19-digit string keeps its nanoseconds); absent → `now`. Empty lines are
 * skipped; the first bad line rejects the whole body, naming its line number.
 */
export function decodeNdjson(body: Uint8Array, contentEncoding?: string, now: number = Date.now()): LogInput[] {
  const text = decodeUtf8(decodeContentEncoding(body, contentEncoding, 'ndjson logs'), 'ndjson logs');
  const out: LogInput[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    out.push(decodeObject(raw, `line ${i + 1}`, now));
  }
  return out;
}

function decodeObject(raw: string, where: string, now: number): LogInput {
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch (e) {
    throw new IngestError(`ndjson logs: ${where}: invalid JSON: ${(e as Error).message}`);
  }
  if (!isObject(doc)) throw new IngestError(`ndjson logs: ${where}: expected a JSON object`);
  const lineKey = LINE_KEYS.find((k) => doc[k] !== undefined);
  if (!lineKey) throw new IngestError(`ndjson logs: ${where}: missing "line" (or "message"/"msg")`);
  const line = doc[lineKey];
  if (typeof line !== 'string') throw new IngestError(`ndjson logs: ${where}: "${lineKey}" must be a string`);

  const labels: Record<string, string> = {};
  const labelKey = LABEL_KEYS.find((k) => doc[k] !== undefined);
  if (labelKey) {
    const l = doc[labelKey];
    if (!isObject(l)) throw new IngestError(`ndjson logs: ${where}: "${labelKey}" must be an object of strings`);
    for (const [k, v] of Object.entries(l)) {
      if (!isValidLabelName(k)) throw new IngestError(`ndjson logs: ${where}: invalid label name ${JSON.stringify(k)}`);
      if (typeof v !== 'string') throw new IngestError(`ndjson logs: ${where}: label ${k} must be a string`);
      labels[k] = v;
    }
  }
  if (Object.keys(labels).length === 0) labels.job = 'ndjson';

  const timeKey = TIME_KEYS.find((k) => doc[k] !== undefined);
  let t = now;
  let ns = 0;
  if (timeKey) {
    const v = doc[timeKey];
    if (typeof v === 'string' && /^\d{19}$/.test(v)) {
      t = Number(v.slice(0, -6));
      ns = Number(v.slice(-6));
    } else {
      const parsed = typeof v === 'string' || typeof v === 'number' ? parseTimestamp(String(v), now) : undefined;
      if (parsed === undefined) throw new IngestError(`ndjson logs: ${where}: cannot read "${timeKey}" ${JSON.stringify(v)} as a time (RFC 3339 or epoch s/ms/µs/ns)`);
      t = Math.trunc(parsed);
    }
  }

  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k === lineKey || k === labelKey || k === timeKey || v === null || v === undefined) continue;
    if (jsonDepthExceeds(v)) throw new IngestError(`ndjson logs: ${where}: "${k}" nests deeper than ${MAX_JSON_DEPTH} levels`);
    fields[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  const input: LogInput = { labels, t, ns, line };
  if (Object.keys(fields).length) input.fields = fields;
  return input;
}

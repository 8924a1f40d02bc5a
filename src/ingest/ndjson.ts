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
  const labels = new LabelInterner();
  for (let from = 0, lineNo = 1; from <= text.length; lineNo++) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    const raw = text.slice(from, to).trim();
    from = to + 1;
    if (raw !== '') out.push(decodeObject(raw, lineNo, now, labels));
  }
  return out;
}

const firstKey = (doc: Record<string, unknown>, keys: readonly string[]): string | undefined => {
  for (const k of keys) if (doc[k] !== undefined) return k;
  return undefined;
};

const JOB_NDJSON: Readonly<Record<string, string>> = Object.freeze({ job: 'ndjson' });

/**
 * One label object per distinct label set in a body: lines of one stream share it, so the
 * store and the worker protocol (which key streams by object identity) see one stream, and a
 * body of 100k lines keeps one object instead of 100k.
 */
class LabelInterner {
  private last: Readonly<Record<string, string>> = JOB_NDJSON;
  private lastSize = 1;
  private readonly seen = new Map<string, Readonly<Record<string, string>>>();

  /** The interned object when `labels` has exactly the keys and values of the last label set interned. */
  known(labels: Record<string, unknown>): Readonly<Record<string, string>> | undefined {
    const last = this.last;
    let n = 0;
    for (const k in labels) {
      if (last[k] !== labels[k]) return undefined;
      n++;
    }
    return n === this.lastSize && n > 0 ? last : undefined;
  }

  of(labels: Record<string, string>, size: number): Readonly<Record<string, string>> {
    if (size < 0) return labels; // known() found it
    if (size === 0) return JOB_NDJSON;
    if (size === this.lastSize && sameLabels(labels, this.last)) return this.last;
    if (this.seen.size > 1000) this.seen.clear();
    let key = '';
    for (const k in labels) key += `${k}\u0000${labels[k]!}\u0001`;
    let known = this.seen.get(key);
    if (!known) this.seen.set(key, (known = labels));
    this.last = known;
    this.lastSize = size;
    return known;
  }
}

function sameLabels(a: Record<string, string>, b: Readonly<Record<string, string>>): boolean {
  for (const k in a) if (b[k] !== a[k]) return false;
  return true;
}

function decodeObject(raw: string, lineNo: number, now: number, interner: LabelInterner): LogInput {
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch (e) {
    throw new IngestError(`ndjson logs: line ${lineNo}: invalid JSON: ${(e as Error).message}`);
  }
  if (!isObject(doc)) throw new IngestError(`ndjson logs: line ${lineNo}: expected a JSON object`);
  const lineKey = firstKey(doc, LINE_KEYS);
  if (!lineKey) throw new IngestError(`ndjson logs: line ${lineNo}: missing "line" (or "message"/"msg")`);
  const line = doc[lineKey];
  if (typeof line !== 'string') throw new IngestError(`ndjson logs: line ${lineNo}: "${lineKey}" must be a string`);

  let labels: Record<string, string> = {};
  let nLabels = 0;
  const labelKey = firstKey(doc, LABEL_KEYS);
  if (labelKey) {
    const l = doc[labelKey];
    if (!isObject(l)) throw new IngestError(`ndjson logs: line ${lineNo}: "${labelKey}" must be an object of strings`);
    const known = interner.known(l);
    if (known) {
      // The label set of the line before: already checked, shared as it was.
      labels = known;
      nLabels = -1;
    } else {
      for (const k in l) {
        const v = l[k];
        if (!isValidLabelName(k)) throw new IngestError(`ndjson logs: line ${lineNo}: invalid label name ${JSON.stringify(k)}`);
        if (typeof v !== 'string') throw new IngestError(`ndjson logs: line ${lineNo}: label ${k} must be a string`);
        nLabels++;
      }
      labels = l as Record<string, string>;
    }
  }

  const timeKey = firstKey(doc, TIME_KEYS);
  let t = now;
  let ns = 0;
  if (timeKey) {
    const v = doc[timeKey];
    if (typeof v === 'string' && v.length === 19 && /^\d{19}$/.test(v)) {
      t = Number(v.slice(0, -6));
      ns = Number(v.slice(-6));
    } else {
      const parsed = typeof v === 'string' || typeof v === 'number' ? parseTimestamp(String(v), now) : undefined;
      if (parsed === undefined) throw new IngestError(`ndjson logs: line ${lineNo}: cannot read "${timeKey}" ${JSON.stringify(v)} as a time (RFC 3339 or epoch s/ms/µs/ns)`);
      t = Math.trunc(parsed);
    }
  }

  let fields: Record<string, string> | undefined;
  for (const k in doc) {
    const v = doc[k];
    if (k === lineKey || k === labelKey || k === timeKey || v === null || v === undefined) continue;
    if (jsonDepthExceeds(v)) throw new IngestError(`ndjson logs: line ${lineNo}: "${k}" nests deeper than ${MAX_JSON_DEPTH} levels`);
    (fields ??= {})[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  const input: LogInput = { labels: interner.of(labels, nLabels), t, ns, line };
  if (fields) input.fields = fields;
  return input;
}

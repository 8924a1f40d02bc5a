import type { LogInput } from '../logs/index.js';
import { ProtoReader, ProtoWriter, ProtobufError, WireType } from './protobuf.js';
import { IngestError, decodeContentEncoding, decodeUtf8, mediaType, parseJsonBody } from './log-ingest.js';
import { MAX_JSON_DEPTH } from '../model/json-depth.js';

/**
 * `POST /v1/logs` (OTLP/HTTP): an ExportLogsServiceRequest in OTLP/JSON
 * (`application/json`) or binary protobuf (`application/x-protobuf`), optionally gzip.
 *
 * Mapping (kept close to Loki's OTLP ingestion):
 * - labels: `service_name` (resource `service.name`, default `unknown_service`), a few
 *   low-cardinality resource attributes (service.namespace, deployment.environment,
 *   k8s.namespace.name → `_` names) and `level` when the record has a severity;
 * - line: the body (strings as is, anything else as JSON);
 * - fields: other resource attributes, record attributes (dots → `_`), trace_id and
 *   span_id as lowercase hex, severity_text, scope_name.
 */
export function decodeOtlpLogs(body: Uint8Array, contentType?: string, contentEncoding?: string, now: number = Date.now()): LogInput[] {
  const type = mediaType(contentType);
  const raw = decodeContentEncoding(body, contentEncoding, 'otlp logs');
  if (type === 'application/json') return decodeOtlpJson(parseJsonBody(decodeUtf8(raw, 'otlp logs'), 'otlp logs'), now);
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return decodeOtlpProto(raw, now);
  throw new IngestError(`otlp logs: unsupported Content-Type ${JSON.stringify(contentType)} (use application/json or application/x-protobuf)`);
}

/** The OTLP/HTTP success response: an ExportLogsServiceResponse, with partial_success when records were rejected. */
export function encodeOtlpExportResponse(
  format: 'json' | 'protobuf',
  partial?: { rejectedLogRecords: number; errorMessage: string },
): { contentType: string; body: Uint8Array | string } {
  if (format === 'json') {
    const doc = partial ? { partialSuccess: { rejectedLogRecords: String(partial.rejectedLogRecords), errorMessage: partial.errorMessage } } : {};
    return { contentType: 'application/json', body: JSON.stringify(doc) };
  }
  if (!partial) return { contentType: 'application/x-protobuf', body: new Uint8Array(0) };
  const inner = new ProtoWriter().int64(1, partial.rejectedLogRecords).string(2, partial.errorMessage).finish();
  return { contentType: 'application/x-protobuf', body: new ProtoWriter().bytes(1, inner).finish() };
}

// Resource attributes that become stream labels; everything else is structured metadata.
const RESOURCE_LABELS: Readonly<Record<string, string>> = {
  'service.name': 'service_name',
  'service.namespace': 'service_namespace',
  'deployment.environment': 'deployment_environment',
  'deployment.environment.name': 'deployment_environment',
  'k8s.namespace.name': 'k8s_namespace_name',
};

/** OTLP severity numbers 1–24 in six bands of four (logs data model). */
export function severityLevel(num: number, text: string): string | undefined {
  if (num >= 1 && num <= 24) return (['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)[Math.floor((num - 1) / 4)];
  const t = text.trim().toLowerCase();
  if (!t) return undefined;
  if (t.startsWith('trace')) return 'trace';
  if (t.startsWith('debug')) return 'debug';
  if (t.startsWith('info') || t === 'notice') return 'info';
  if (t.startsWith('warn')) return 'warn';
  if (t.startsWith('err')) return 'error';
  if (t.startsWith('fatal') || t === 'critical' || t === 'crit' || t === 'panic' || t === 'emerg' || t === 'alert') return 'fatal';
  return undefined;
}

const fieldName = (k: string): string => k.replace(/[^A-Za-z0-9_]/g, '_');

interface ResourceCtx {
  labels: Record<string, string>;
  fields: Record<string, string>;
}

function resourceCtx(attrs: ReadonlyArray<[string, AnyValue]>): ResourceCtx {
  const labels: Record<string, string> = {};
  const fields: Record<string, string> = {};
  for (const [k, v] of flattenAttributes(attrs)) {
    const label = RESOURCE_LABELS[k];
    if (label) labels[label] = v;
    else fields[fieldName(k)] = v;
  }
  labels.service_name ??= 'unknown_service';
  return { labels, fields };
}

interface RawRecord {
  timeNs: bigint;
  observedNs: bigint;
  severityNumber: number;
  severityText: string;
  body: AnyValue | undefined;
  attributes: Array<[string, AnyValue]>;
  traceId: string;
  spanId: string;
}

function toInput(res: ResourceCtx, scopeName: string, rec: RawRecord, now: number): LogInput {
  const ns = rec.timeNs > 0n ? rec.timeNs : rec.observedNs > 0n ? rec.observedNs : BigInt(now) * 1_000_000n;
  const labels: Record<string, string> = { ...res.labels };
  const level = severityLevel(rec.severityNumber, rec.severityText);
  if (level) labels.level = level;
  const fields: Record<string, string> = { ...res.fields };
  if (scopeName) fields.scope_name = scopeName;
  for (const [k, v] of flattenAttributes(rec.attributes)) fields[fieldName(k)] = v;
  if (rec.severityText) fields.severity_text = rec.severityText;
  if (rec.traceId) fields.trace_id = rec.traceId;
  if (rec.spanId) fields.span_id = rec.spanId;
  const input: LogInput = { labels, t: Number(ns / 1_000_000n), ns: Number(ns % 1_000_000n), line: rec.body === undefined ? '' : anyValueText(rec.body) };
  if (Object.keys(fields).length) input.fields = fields;
  return input;
}

// ---- AnyValue: held as the plain JS value it stands for (bytes as base64, int64 beyond 2^53 as a string) ----

type AnyValue = string | number | boolean | null | AnyValue[] | { [k: string]: AnyValue };

function anyValueText(v: AnyValue): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Attribute values as strings; nested kvlists flatten to `a.b`, arrays become JSON. */
function flattenAttributes(attrs: ReadonlyArray<[string, AnyValue]>, prefix = '', out: Array<[string, string]> = []): Array<[string, string]> {
  for (const [k, v] of attrs) {
    const name = prefix + k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flattenAttributes(Object.entries(v), `${name}.`, out);
    else out.push([name, v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v)]);
  }
  return out;
}

/**
 * AnyValues nest (arrayValue, kvlistValue) at most MAX_JSON_DEPTH levels: they are walked and
 * serialized recursively. Deeper is a 400 naming where.
 */
function tooDeep(where: string): IngestError {
  const at = where.length > 200 ? `${where.slice(0, 150)}…${where.slice(-40)}` : where;
  return new IngestError(`otlp logs: ${at}: AnyValue nests deeper than ${MAX_JSON_DEPTH} levels (arrayValue/kvlistValue)`);
}

function anyValueFromJson(v: unknown, where: string, depth = 1): AnyValue {
  if (v === undefined || v === null) return null;
  if (depth > MAX_JSON_DEPTH) throw tooDeep(where);
  if (!isObject(v)) throw new IngestError(`${where}: expected an AnyValue object like {"stringValue": "..."}, got ${JSON.stringify(v)}`);
  if ('stringValue' in v || 'string_value' in v) {
    const s = get(v, 'stringValue', 'string_value');
    if (typeof s !== 'string') throw new IngestError(`${where}.stringValue: expected a string`);
    return s;
  }
  if ('boolValue' in v || 'bool_value' in v) return get(v, 'boolValue', 'bool_value') === true;
  if ('intValue' in v || 'int_value' in v) {
    const i = get(v, 'intValue', 'int_value');
    if (typeof i === 'number' && Number.isInteger(i)) return i;
    if (typeof i === 'string' && /^-?\d+$/.test(i)) return Number.isSafeInteger(Number(i)) ? Number(i) : i;
    throw new IngestError(`${where}.intValue: expected an integer, got ${JSON.stringify(i)}`);
  }
  if ('doubleValue' in v || 'double_value' in v) {
    const d = get(v, 'doubleValue', 'double_value');
    if (typeof d === 'number') return d;
    if (typeof d === 'string' && d.trim() !== '' && !Number.isNaN(Number(d))) return Number(d);
    throw new IngestError(`${where}.doubleValue: expected a number, got ${JSON.stringify(d)}`);
  }
  if ('bytesValue' in v || 'bytes_value' in v) return String(get(v, 'bytesValue', 'bytes_value') ?? '');
  const arr = get(v, 'arrayValue', 'array_value');
  if (arr !== undefined) {
    const values = isObject(arr) ? list(arr, 'values', 'values', `${where}.arrayValue`) : [];
    return values.map((x, i) => anyValueFromJson(x, `${where}.arrayValue.values[${i}]`, depth + 1));
  }
  const kv = get(v, 'kvlistValue', 'kvlist_value');
  if (kv !== undefined) {
    const values = isObject(kv) ? list(kv, 'values', 'values', `${where}.kvlistValue`) : [];
    return Object.fromEntries(jsonAttributes(values, `${where}.kvlistValue.values`, depth + 1));
  }
  return null;
}

function anyValueFromProto(buf: Uint8Array, start: number, end: number, depth = 1): AnyValue {
  if (depth > MAX_JSON_DEPTH) throw new ProtobufError(start, `AnyValue nests deeper than ${MAX_JSON_DEPTH} levels (array_value/kvlist_value)`);
  let value: AnyValue = null;
  fields(buf, start, end, (r, field, wire) => {
    if (field === 1 && wire === WireType.LEN) value = r.string();
    else if (field === 2 && wire === WireType.VARINT) value = r.int64() !== 0;
    else if (field === 3 && wire === WireType.VARINT) value = r.int64();
    else if (field === 4 && wire === WireType.I64) value = r.double();
    else if (field === 5 && wire === WireType.LEN) {
      const b = r.lengthDelimited();
      const items: AnyValue[] = [];
      fields(buf, b.start, b.end, (r2, f2, w2) => {
        if (f2 !== 1 || w2 !== WireType.LEN) return false;
        const e = r2.lengthDelimited();
        items.push(anyValueFromProto(buf, e.start, e.end, depth + 1));
        return true;
      });
      value = items;
    } else if (field === 6 && wire === WireType.LEN) {
      const b = r.lengthDelimited();
      const obj: { [k: string]: AnyValue } = {};
      fields(buf, b.start, b.end, (r2, f2, w2) => {
        if (f2 !== 1 || w2 !== WireType.LEN) return false;
        const e = r2.lengthDelimited();
        const [k, v] = keyValue(buf, e.start, e.end, depth + 1);
        obj[k] = v;
        return true;
      });
      value = obj;
    } else if (field === 7 && wire === WireType.LEN) {
      const b = r.lengthDelimited();
      value = Buffer.from(buf.subarray(b.start, b.end)).toString('base64');
    } else return false;
    return true;
  });
  return value;
}

// ---- OTLP/JSON ----

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field by its lowerCamelCase name, or the proto name that protobuf JSON parsers also accept. */
function get(o: Record<string, unknown>, camel: string, snake: string): unknown {
  return o[camel] ?? o[snake];
}

function list(o: Record<string, unknown>, camel: string, snake: string, where: string): unknown[] {
  const v = get(o, camel, snake);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new IngestError(`${where}.${camel}: expected an array`);
  return v;
}

function jsonNanos(v: unknown, where: string): bigint {
  if (v === undefined || v === null || v === '') return 0n;
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) return BigInt(v);
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  throw new IngestError(`${where}: expected Unix nanoseconds as a decimal string, got ${JSON.stringify(v)}`);
}

function jsonAttributes(v: unknown[], where: string, depth = 1): Array<[string, AnyValue]> {
  return v.map((kv, i) => {
    const w = `${where}[${i}]`;
    if (!isObject(kv) || typeof kv.key !== 'string') throw new IngestError(`${w}: expected {"key": "...", "value": {...}}`);
    return [kv.key, anyValueFromJson(kv.value, `${w}.value`, depth)] as [string, AnyValue];
  });
}

function hexId(v: unknown, where: string): string {
  if (v === undefined || v === null || v === '') return '';
  if (typeof v !== 'string' || !/^(?:[0-9a-fA-F]{2})+$/.test(v)) throw new IngestError(`${where}: expected a hex string, got ${JSON.stringify(v)}`);
  return /^0+$/.test(v) ? '' : v.toLowerCase();
}

export function decodeOtlpJson(doc: unknown, now: number = Date.now()): LogInput[] {
  if (!isObject(doc)) throw new IngestError('otlp logs: expected an ExportLogsServiceRequest object');
  const out: LogInput[] = [];
  list(doc, 'resourceLogs', 'resource_logs', 'otlp logs').forEach((rl, i) => {
    const rw = `resourceLogs[${i}]`;
    if (!isObject(rl)) throw new IngestError(`${rw}: expected an object`);
    const resource = get(rl, 'resource', 'resource');
    const rattrs = isObject(resource) ? jsonAttributes(list(resource, 'attributes', 'attributes', `${rw}.resource`), `${rw}.resource.attributes`) : [];
    const res = resourceCtx(rattrs);
    list(rl, 'scopeLogs', 'scope_logs', rw).forEach((sl, j) => {
      const sw = `${rw}.scopeLogs[${j}]`;
      if (!isObject(sl)) throw new IngestError(`${sw}: expected an object`);
      const scope = sl.scope;
      const scopeName = isObject(scope) && typeof scope.name === 'string' ? scope.name : '';
      list(sl, 'logRecords', 'log_records', sw).forEach((lr, k) => {
        const w = `${sw}.logRecords[${k}]`;
        if (!isObject(lr)) throw new IngestError(`${w}: expected an object`);
        const sev = get(lr, 'severityNumber', 'severity_number');
        const text = get(lr, 'severityText', 'severity_text');
        if (sev !== undefined && typeof sev !== 'number' && typeof sev !== 'string') throw new IngestError(`${w}.severityNumber: expected a number`);
        if (text !== undefined && typeof text !== 'string') throw new IngestError(`${w}.severityText: expected a string`);
        const rec: RawRecord = {
          timeNs: jsonNanos(get(lr, 'timeUnixNano', 'time_unix_nano'), `${w}.timeUnixNano`),
          observedNs: jsonNanos(get(lr, 'observedTimeUnixNano', 'observed_time_unix_nano'), `${w}.observedTimeUnixNano`),
          severityNumber: typeof sev === 'number' ? sev : severityEnum(sev),
          severityText: text ?? '',
          body: lr.body === undefined || lr.body === null ? undefined : anyValueFromJson(lr.body, `${w}.body`),
          attributes: jsonAttributes(list(lr, 'attributes', 'attributes', w), `${w}.attributes`),
          traceId: hexId(get(lr, 'traceId', 'trace_id'), `${w}.traceId`),
          spanId: hexId(get(lr, 'spanId', 'span_id'), `${w}.spanId`),
        };
        out.push(toInput(res, scopeName, rec, now));
      });
    });
  });
  return out;
}

// Protobuf JSON may spell enums by name: SEVERITY_NUMBER_WARN2 → 14.
function severityEnum(v: unknown): number {
  if (typeof v !== 'string') return 0;
  if (/^\d+$/.test(v)) return Number(v);
  const m = /^SEVERITY_NUMBER_(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)([234]?)$/.exec(v);
  if (!m) return 0;
  const base = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].indexOf(m[1]!) * 4 + 1;
  return base + (m[2] ? Number(m[2]) - 1 : 0);
}

// ---- OTLP/protobuf ----

function fixed64(r: ProtoReader, at: number): bigint {
  if (r.pos + 8 > r.end) throw new ProtobufError(at, 'truncated fixed64');
  const v = new DataView(r.buf.buffer, r.buf.byteOffset + r.pos, 8).getBigUint64(0, true);
  r.pos += 8;
  return v;
}

function hexBytes(r: ProtoReader): string {
  const { start, end } = r.lengthDelimited();
  let s = '';
  let zero = true;
  for (let i = start; i < end; i++) {
    const b = r.buf[i] as number;
    if (b !== 0) zero = false;
    s += b.toString(16).padStart(2, '0');
  }
  return zero ? '' : s;
}

/** Iterates the fields of the sub-message [start, end), calling `f` with a reader positioned after each tag. */
function fields(buf: Uint8Array, start: number, end: number, f: (r: ProtoReader, field: number, wire: number, at: number) => boolean): void {
  const r = new ProtoReader(buf, start, end);
  while (!r.done()) {
    const { field, wire, at } = r.tag();
    if (!f(r, field, wire, at)) r.skip(wire, at);
  }
}

function keyValue(buf: Uint8Array, start: number, end: number, depth = 1): [string, AnyValue] {
  let key = '';
  let value: AnyValue = null;
  fields(buf, start, end, (r, field, wire) => {
    if (field === 1 && wire === WireType.LEN) key = r.string();
    else if (field === 2 && wire === WireType.LEN) {
      const b = r.lengthDelimited();
      value = anyValueFromProto(buf, b.start, b.end, depth);
    } else return false;
    return true;
  });
  return [key, value];
}

export function decodeOtlpProto(buf: Uint8Array, now: number = Date.now()): LogInput[] {
  const out: LogInput[] = [];
  let where = 'ExportLogsServiceRequest';
  try {
    let ri = 0;
    fields(buf, 0, buf.length, (r, field, wire, at) => {
      if (field !== 1) return false;
      const rw = `resource_logs[${ri++}]`;
      where = rw;
      r.expect(WireType.LEN, wire, at, 'resource_logs');
      const rl = r.lengthDelimited();
      const rattrs: Array<[string, AnyValue]> = [];
      const scopes: Array<{ start: number; end: number }> = [];
      fields(buf, rl.start, rl.end, (r2, f2, w2) => {
        if (f2 === 1 && w2 === WireType.LEN) {
          const res = r2.lengthDelimited();
          fields(buf, res.start, res.end, (r3, f3, w3) => {
            if (f3 !== 1 || w3 !== WireType.LEN) return false;
            const kv = r3.lengthDelimited();
            rattrs.push(keyValue(buf, kv.start, kv.end));
            return true;
          });
        } else if (f2 === 2 && w2 === WireType.LEN) scopes.push(r2.lengthDelimited());
        else return false;
        return true;
      });
      const res = resourceCtx(rattrs);
      scopes.forEach((sl, si) => {
        let scopeName = '';
        let li = 0;
        fields(buf, sl.start, sl.end, (r2, f2, w2) => {
          if (f2 === 1 && w2 === WireType.LEN) {
            const sc = r2.lengthDelimited();
            fields(buf, sc.start, sc.end, (r3, f3, w3) => {
              if (f3 !== 1 || w3 !== WireType.LEN) return false;
              scopeName = r3.string();
              return true;
            });
          } else if (f2 === 2 && w2 === WireType.LEN) {
            where = `${rw}.scope_logs[${si}].log_records[${li++}]`;
            const lr = r2.lengthDelimited();
            out.push(toInput(res, scopeName, logRecord(buf, lr.start, lr.end), now));
          } else return false;
          return true;
        });
      });
      return true;
    });
  } catch (e) {
    if (e instanceof ProtobufError) throw new IngestError(`otlp logs: ${where}: ${e.message}`);
    throw e;
  }
  return out;
}

function logRecord(buf: Uint8Array, start: number, end: number): RawRecord {
  const rec: RawRecord = { timeNs: 0n, observedNs: 0n, severityNumber: 0, severityText: '', body: undefined, attributes: [], traceId: '', spanId: '' };
  fields(buf, start, end, (r, field, wire, at) => {
    switch (field) {
      case 1:
      case 11:
        if (wire !== WireType.I64) return false;
        if (field === 1) rec.timeNs = fixed64(r, at);
        else rec.observedNs = fixed64(r, at);
        return true;
      case 2:
        if (wire !== WireType.VARINT) return false;
        rec.severityNumber = r.int64();
        return true;
      case 3:
        if (wire !== WireType.LEN) return false;
        rec.severityText = r.string();
        return true;
      case 5: {
        if (wire !== WireType.LEN) return false;
        const b = r.lengthDelimited();
        rec.body = anyValueFromProto(buf, b.start, b.end);
        return true;
      }
      case 6: {
        if (wire !== WireType.LEN) return false;
        const b = r.lengthDelimited();
        rec.attributes.push(keyValue(buf, b.start, b.end));
        return true;
      }
      case 9:
      case 10:
        if (wire !== WireType.LEN) return false;
        if (field === 9) rec.traceId = hexBytes(r);
        else rec.spanId = hexBytes(r);
        return true;
      default:
        return false;
    }
  });
  return rec;
}

import { isValidLabelName, type Labels } from '../model/labels.js';
import type { LogInput } from '../logs/index.js';
import { ProtoReader, ProtobufError, WireType } from './protobuf.js';
import { snappyDecode, SnappyError } from './snappy.js';
import { IngestError, decodeContentEncoding, decodeUtf8, mediaType, parseJsonBody } from './log-ingest.js';

/**
 * `POST /loki/api/v1/push` bodies, as promtail, Alloy, Vector and Fluent Bit send them.
 *
 * - JSON (`application/json`): `{"streams":[{"stream":{…labels},"values":[["<unix ns>","<line>", {metadata}?]]}]}`,
 *   optionally gzip/deflate Content-Encoding.
 * - Protobuf (`application/x-protobuf`, or no Content-Type, as Loki assumes): a
 *   snappy-block-compressed logproto.PushRequest whose stream labels are a selector string.
 */
export function decodeLokiPush(body: Uint8Array, contentType?: string, contentEncoding?: string): LogInput[] {
  const type = mediaType(contentType);
  if (type === 'application/json') {
    const raw = decodeContentEncoding(body, contentEncoding, 'loki push');
    return decodeLokiJson(parseJsonBody(decodeUtf8(raw, 'loki push'), 'loki push'));
  }
  if (type === 'application/x-protobuf' || type === 'application/octet-stream' || type === '') {
    // Loki's protobuf bodies are snappy-compressed by definition; some clients also set a Content-Encoding.
    const enc = (contentEncoding ?? '').trim().toLowerCase();
    const unwrapped = enc === 'snappy' ? body : decodeContentEncoding(body, contentEncoding, 'loki push');
    let raw: Uint8Array;
    try {
      raw = snappyDecode(unwrapped);
    } catch (e) {
      if (e instanceof SnappyError) throw new IngestError(`loki push: protobuf body is not snappy-compressed: ${e.message}`);
      throw e;
    }
    return decodeLokiProto(raw);
  }
  throw new IngestError(`loki push: unsupported Content-Type ${JSON.stringify(contentType)} (use application/json or application/x-protobuf)`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** nsTimestamp's answer (module scratch, so a line makes no result object). */
let tsMs = 0;
let tsNs = 0;

/** Reads a Unix-nanosecond timestamp into tsMs/tsNs; `where` names the value when it is bad (made only then). */
function nsTimestamp(v: unknown, where: () => string): void {
  const s = typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? String(v) : v;
  if (typeof s !== 'string' || !/^\d{1,20}$/.test(s)) {
    throw new IngestError(`${where()}: timestamp must be a string of Unix nanoseconds, got ${JSON.stringify(v)}`);
  }
  if (s.length <= 6) {
    tsMs = 0;
    tsNs = Number(s);
  } else {
    tsMs = Number(s.slice(0, -6));
    tsNs = Number(s.slice(-6));
  }
}

function stringMap(v: unknown, where: string, checkNames: boolean): Record<string, string> {
  if (!isObject(v)) throw new IngestError(`${where}: expected an object of string values, got ${JSON.stringify(v)}`);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') throw new IngestError(`${where}.${k}: expected a string value, got ${JSON.stringify(val)}`);
    if (checkNames && !isValidLabelName(k)) throw new IngestError(`${where}: invalid label name ${JSON.stringify(k)} (must match [a-zA-Z_][a-zA-Z0-9_]*)`);
    out[k] = val;
  }
  return out;
}

export function decodeLokiJson(doc: unknown): LogInput[] {
  if (!isObject(doc) || !Array.isArray(doc.streams)) throw new IngestError('loki push: expected an object with a "streams" array');
  const out: LogInput[] = [];
  doc.streams.forEach((s, i) => {
    const where = `streams[${i}]`;
    if (!isObject(s)) throw new IngestError(`${where}: expected an object with "stream" and "values"`);
    const labels = stringMap(s.stream ?? {}, `${where}.stream`, true);
    if (Object.keys(labels).length === 0) throw new IngestError(`${where}.stream: a stream needs at least one label`);
    if (!Array.isArray(s.values)) throw new IngestError(`${where}.values: expected an array of ["<unix ns>", "<line>"]`);
    const values: unknown[] = s.values;
    // The position string is made only for a value that is bad (one per line cost as much as the checks).
    let j = 0;
    const w = (): string => `${where}.values[${j}]`;
    for (; j < values.length; j++) {
      const v = values[j];
      if (!Array.isArray(v) || v.length < 2 || v.length > 3) throw new IngestError(`${w()}: expected ["<unix ns>", "<line>"] or ["<unix ns>", "<line>", {metadata}]`);
      nsTimestamp(v[0], w);
      if (typeof v[1] !== 'string') throw new IngestError(`${w()}: line must be a string, got ${JSON.stringify(v[1])}`);
      const entry: LogInput = { labels, t: tsMs, ns: tsNs, line: v[1] };
      if (v.length === 3) {
        const md = stringMap(v[2], `${w()}[2]`, false);
        if (Object.keys(md).length) entry.fields = md;
      }
      out.push(entry);
    }
  });
  return out;
}

/**
 * Parses a Prometheus-style selector of equality matchers, `{job="x", level="info"}`,
 * as Loki's protobuf push carries stream labels. Values use Go string escapes.
 */
export function parseLabelSelector(s: string, where = 'labels'): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  const fail = (why: string): never => {
    throw new IngestError(`${where}: ${why} at column ${i + 1} of ${JSON.stringify(s)}`);
  };
  const ws = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  ws();
  if (s[i] !== '{') fail('expected "{"');
  i++;
  ws();
  if (s[i] === '}') {
    i++;
  } else {
    for (;;) {
      ws();
      const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(s.slice(i));
      if (!m) fail('expected a label name');
      const name = m![0];
      i += name.length;
      ws();
      if (s[i] !== '=') fail(`expected "=" after ${name}`);
      i++;
      ws();
      if (s[i] !== '"') fail(`expected a quoted value for ${name}`);
      i++;
      let v = '';
      for (;;) {
        if (i >= s.length) fail(`unterminated value for ${name}`);
        const c = s[i++]!;
        if (c === '"') break;
        if (c !== '\\') {
          v += c;
          continue;
        }
        const e = s[i++];
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v' };
        if (e !== undefined && simple[e] !== undefined) v += simple[e];
        else if (e === 'u' || e === 'x') {
          const len = e === 'u' ? 4 : 2;
          const hex = s.slice(i, i + len);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) fail(`invalid \\${e} escape in value of ${name}`);
          v += String.fromCharCode(parseInt(hex, 16));
          i += len;
        } else fail(`invalid escape \\${e ?? ''} in value of ${name}`);
      }
      out[name] = v;
      ws();
      if (s[i] === ',') {
        i++;
        continue;
      }
      if (s[i] === '}') {
        i++;
        break;
      }
      fail('expected "," or "}"');
    }
  }
  ws();
  if (i < s.length) fail('unexpected text after "}"');
  return out;
}

function wrapProto<T>(where: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ProtobufError) throw new IngestError(`loki push: ${where}: ${e.message}`);
    throw e;
  }
}

export function decodeLokiProto(buf: Uint8Array): LogInput[] {
  const out: LogInput[] = [];
  const r = new ProtoReader(buf);
  let si = 0;
  while (!wrapProto('PushRequest', () => r.done())) {
    const tag = wrapProto('PushRequest', () => r.tag());
    if (tag.field !== 1) {
      wrapProto('PushRequest', () => r.skip(tag.wire, tag.at));
      continue;
    }
    const where = `streams[${si++}]`;
    const { start, end } = wrapProto(where, () => {
      r.expect(WireType.LEN, tag.wire, tag.at, 'stream');
      return r.lengthDelimited();
    });
    decodeStream(buf, start, end, where, out);
  }
  return out;
}

function decodeStream(buf: Uint8Array, start: number, end: number, where: string, out: LogInput[]): void {
  const r = new ProtoReader(buf, start, end);
  let labelText: string | undefined;
  const first = out.length;
  // Entries are read straight into the inputs, with one reader for the whole stream (a reader,
  // a tag object and a position string per entry cost more than the entry); a failure names
  // its entry from the index. Their labels are set once the stream's labels are known.
  const pending = {} as Labels;
  let entry = -1;
  try {
    while (!r.done()) {
      const at = r.pos;
      const key = r.key();
      const field = key >>> 3;
      const wire = key & 7;
      if (field === 1) {
        r.expect(WireType.LEN, wire, at, 'labels');
        labelText = r.string();
      } else if (field === 2) {
        r.expect(WireType.LEN, wire, at, 'entry');
        const entryEnd = r.lengthEnd();
        entry = out.length - first;
        out.push(decodeEntry(r, entryEnd, pending));
        entry = -1;
      } else r.skip(wire, at);
    }
  } catch (e) {
    const w = entry >= 0 ? `${where}.entries[${entry}]` : where;
    if (e instanceof ProtobufError) throw new IngestError(`loki push: ${w}: ${e.message}`);
    if (e instanceof EntryError) throw new IngestError(`loki push: ${w}: ${e.message}`);
    throw e;
  }
  if (labelText === undefined) throw new IngestError(`loki push: ${where}: stream has no labels`);
  const labels = parseLabelSelector(labelText, `loki push: ${where}.labels`);
  if (Object.keys(labels).length === 0) throw new IngestError(`loki push: ${where}.labels: a stream needs at least one label`);
  for (let i = first; i < out.length; i++) (out[i] as LogInput).labels = labels;
}

/** A bad entry, named by decodeStream. */
class EntryError extends Error {}

/** The entry whose payload runs from the reader's cursor to `end`; the cursor ends at `end`. */
function decodeEntry(r: ProtoReader, end: number, labels: Labels): LogInput {
  const outer = r.end;
  r.end = end;
  let seconds = 0;
  let nanos = 0;
  let line = '';
  let fields: Record<string, string> | undefined;
  while (!r.done()) {
    const at = r.pos;
    const key = r.key();
    const field = key >>> 3;
    const wire = key & 7;
    if (field === 1) {
      r.expect(WireType.LEN, wire, at, 'timestamp');
      const tsEnd = r.lengthEnd();
      r.end = tsEnd;
      while (!r.done()) {
        const tat = r.pos;
        const tk = r.key();
        if (tk === ((1 << 3) | WireType.VARINT)) seconds = r.int64();
        else if (tk === ((2 << 3) | WireType.VARINT)) nanos = r.int64();
        else r.skip(tk & 7, tat);
      }
      r.end = end;
    } else if (field === 2) {
      r.expect(WireType.LEN, wire, at, 'line');
      line = r.string();
    } else if (field === 3) {
      r.expect(WireType.LEN, wire, at, 'structured metadata');
      const mdEnd = r.lengthEnd();
      r.end = mdEnd;
      let name = '';
      let value = '';
      while (!r.done()) {
        const pat = r.pos;
        const pk = r.key();
        if (pk === ((1 << 3) | WireType.LEN)) name = r.string();
        else if (pk === ((2 << 3) | WireType.LEN)) value = r.string();
        else r.skip(pk & 7, pat);
      }
      r.end = end;
      if (name !== '') (fields ??= {})[name] = value;
    } else r.skip(wire, at);
  }
  r.end = outer;
  if (seconds < 0 || nanos < 0 || nanos > 999_999_999) throw new EntryError(`invalid timestamp ${seconds}s ${nanos}ns`);
  const t = seconds * 1000 + Math.floor(nanos / 1e6);
  return fields ? { labels, t, ns: nanos % 1e6, line, fields } : { labels, t, ns: nanos % 1e6, line };
}

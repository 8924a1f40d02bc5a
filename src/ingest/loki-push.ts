import { isValidLabelName } from '../model/labels.js';
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

function nsTimestamp(v: unknown, where: string): { t: number; ns: number } {
  const s = typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? String(v) : v;
  if (typeof s !== 'string' || !/^\d{1,20}$/.test(s)) {
    throw new IngestError(`${where}: timestamp must be a string of Unix nanoseconds, got ${JSON.stringify(v)}`);
  }
  if (s.length <= 6) return { t: 0, ns: Number(s) };
  return { t: Number(s.slice(0, -6)), ns: Number(s.slice(-6)) };
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
    s.values.forEach((v, j) => {
      const w = `${where}.values[${j}]`;
      if (!Array.isArray(v) || v.length < 2 || v.length > 3) throw new IngestError(`${w}: expected ["<unix ns>", "<line>"] or ["<unix ns>", "<line>", {metadata}]`);
      const { t, ns } = nsTimestamp(v[0], w);
      if (typeof v[1] !== 'string') throw new IngestError(`${w}: line must be a string, got ${JSON.stringify(v[1])}`);
      const entry: LogInput = { labels, t, ns, line: v[1] };
      if (v.length === 3) {
        const md = stringMap(v[2], `${w}[2]`, false);
        if (Object.keys(md).length) entry.fields = md;
      }
      out.push(entry);
    });
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
  const entries: { t: number; ns: number; line: string; fields?: Record<string, string> }[] = [];
  wrapProto(where, () => {
    while (!r.done()) {
      const tag = r.tag();
      if (tag.field === 1) {
        r.expect(WireType.LEN, tag.wire, tag.at, 'labels');
        labelText = r.string();
      } else if (tag.field === 2) {
        r.expect(WireType.LEN, tag.wire, tag.at, 'entry');
        const b = r.lengthDelimited();
        entries.push(decodeEntry(buf, b.start, b.end, `${where}.entries[${entries.length}]`));
      } else r.skip(tag.wire, tag.at);
    }
  });
  if (labelText === undefined) throw new IngestError(`loki push: ${where}: stream has no labels`);
  const labels = parseLabelSelector(labelText, `loki push: ${where}.labels`);
  if (Object.keys(labels).length === 0) throw new IngestError(`loki push: ${where}.labels: a stream needs at least one label`);
  for (const e of entries) {
    const entry: LogInput = { labels, t: e.t, ns: e.ns, line: e.line };
    if (e.fields) entry.fields = e.fields;
    out.push(entry);
  }
}

function decodeEntry(buf: Uint8Array, start: number, end: number, where: string) {
  const r = new ProtoReader(buf, start, end);
  let seconds = 0;
  let nanos = 0;
  let line = '';
  let fields: Record<string, string> | undefined;
  return wrapProto(where, () => {
    while (!r.done()) {
      const tag = r.tag();
      if (tag.field === 1) {
        r.expect(WireType.LEN, tag.wire, tag.at, 'timestamp');
        const b = r.lengthDelimited();
        const tr = new ProtoReader(buf, b.start, b.end);
        while (!tr.done()) {
          const tt = tr.tag();
          if (tt.field === 1 && tt.wire === WireType.VARINT) seconds = tr.int64();
          else if (tt.field === 2 && tt.wire === WireType.VARINT) nanos = tr.int64();
          else tr.skip(tt.wire, tt.at);
        }
      } else if (tag.field === 2) {
        r.expect(WireType.LEN, tag.wire, tag.at, 'line');
        line = r.string();
      } else if (tag.field === 3) {
        r.expect(WireType.LEN, tag.wire, tag.at, 'structured metadata');
        const b = r.lengthDelimited();
        const pr = new ProtoReader(buf, b.start, b.end);
        let name = '';
        let value = '';
        while (!pr.done()) {
          const pt = pr.tag();
          if (pt.field === 1 && pt.wire === WireType.LEN) name = pr.string();
          else if (pt.field === 2 && pt.wire === WireType.LEN) value = pr.string();
          else pr.skip(pt.wire, pt.at);
        }
        if (name !== '') (fields ??= {})[name] = value;
      } else r.skip(tag.wire, tag.at);
    }
    if (seconds < 0 || nanos < 0 || nanos > 999_999_999) {
      throw new IngestError(`loki push: ${where}: invalid timestamp ${seconds}s ${nanos}ns`);
    }
    const t = seconds * 1000 + Math.floor(nanos / 1e6);
    const e: { t: number; ns: number; line: string; fields?: Record<string, string> } = { t, ns: nanos % 1e6, line };
    if (fields) e.fields = fields;
    return e;
  });
}

/**
 * An incremental HTTP/1.x response parser for the HTTP probe: the status line, the header
 * fields, and the body framed by Content-Length, chunked transfer coding or the end of the
 * connection (RFC 9112 §6.3). It keeps the first `keepLimit` bytes of the body and counts
 * the rest. Interim 1xx responses (100 Continue, 103 Early Hints) are skipped, as clients do.
 *
 * `push` may be given a buffer that is reused after it returns (a socket's `onread` buffer):
 * everything kept is copied.
 */

/** A response the probe cannot read: the message says what was wrong, for a human. */
export class MalformedResponseError extends Error {
  override name = 'MalformedResponseError';
}

/** Larger heads are refused (Node's own client stops at 16 KiB, Go's at 10 MiB). */
export const MAX_HEAD_BYTES = 64 * 1024;
const MAX_LINE_BYTES = 8 * 1024;

const enum Phase {
  Head,
  Fixed,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  UntilClose,
  Done,
}

const LF = 0x0a;
const CR = 0x0d;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const STATUS_LINE = /^HTTP\/1\.[0-9] ([0-9]{3})(?: |$)/;
const CHUNK_SIZE = /^[0-9A-Fa-f]{1,12}$/;

function excerpt(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);
}

export class ResponseParser {
  status = 0;
  /** Header fields of the final response as [lower-case name, value] pairs, in order. */
  headers: [string, string][] = [];
  /** Body bytes received (after chunked decoding). */
  bodyBytes = 0;
  /** The first `keepLimit` bytes of the body, or a little more, copied. */
  readonly kept: Buffer[] = [];
  private keptBytes = 0;
  private phase = Phase.Head;
  /** Bytes of an unfinished head or line, carried over to the next push. */
  private carry: Buffer | undefined;
  private remaining = 0;

  /** `bodiless`: the request was HEAD, so the response has no body whatever its headers say. */
  constructor(
    private readonly bodiless: boolean,
    private readonly keepLimit: number,
  ) {}

  get done(): boolean {
    return this.phase === Phase.Done;
  }

  /** Feeds the next bytes `buf[start, end)`; true once the response is complete. Throws MalformedResponseError. */
  push(buf: Buffer, start = 0, end = buf.length): boolean {
    let i = start;
    while (i < end && this.phase !== Phase.Done) {
      switch (this.phase) {
        case Phase.Head:
          i = this.readHead(buf, i, end);
          break;
        case Phase.Fixed:
        case Phase.ChunkData: {
          const n = Math.min(this.remaining, end - i);
          this.body(buf, i, i + n);
          i += n;
          this.remaining -= n;
          if (this.remaining === 0) this.phase = this.phase === Phase.Fixed ? Phase.Done : Phase.ChunkDataEnd;
          break;
        }
        case Phase.UntilClose:
          this.body(buf, i, end);
          i = end;
          break;
        case Phase.ChunkSize:
        case Phase.ChunkDataEnd:
        case Phase.Trailers: {
          const nl = buf.indexOf(LF, i);
          if (nl < 0 || nl >= end) {
            this.carryOver(buf, i, end, MAX_LINE_BYTES, 'a chunk line');
            i = end;
            break;
          }
          const line = this.takeLine(buf, i, nl);
          i = nl + 1;
          this.chunkLine(line);
          break;
        }
        default:
          i = end;
      }
    }
    return this.phase === Phase.Done;
  }

  /** The connection ended: completes a body read to the end, else throws what was cut short. */
  end(): void {
    switch (this.phase) {
      case Phase.Done:
        return;
      case Phase.UntilClose:
        this.phase = Phase.Done;
        return;
      case Phase.Head:
        throw new MalformedResponseError(
          this.carry === undefined ? 'the server closed the connection without a response' : 'the server closed the connection in the middle of the response head',
        );
      case Phase.Fixed:
        throw new MalformedResponseError(`the server closed the connection after ${this.bodyBytes} of ${this.bodyBytes + this.remaining} body bytes (content-length)`);
      default:
        throw new MalformedResponseError(`the server closed the connection in the middle of a chunked body, after ${this.bodyBytes} bytes`);
    }
  }

  private body(buf: Buffer, from: number, to: number): void {
    if (to <= from) return;
    this.bodyBytes += to - from;
    if (this.keptBytes < this.keepLimit) {
      this.kept.push(Buffer.from(buf.subarray(from, to)));
      this.keptBytes += to - from;
    }
  }

  private carryOver(buf: Buffer, from: number, to: number, limit: number, what: string): void {
    const part = buf.subarray(from, to);
    this.carry = this.carry === undefined ? Buffer.from(part) : Buffer.concat([this.carry, part]);
    if (this.carry.length > limit) throw new MalformedResponseError(`${what} longer than ${limit} bytes`);
  }

  /** The line ending at `nl` (an LF at buf[nl]), joined to what was carried, without CR LF. */
  private takeLine(buf: Buffer, from: number, nl: number): string {
    let line: Buffer = buf.subarray(from, nl);
    if (this.carry !== undefined) {
      line = Buffer.concat([this.carry, line]);
      this.carry = undefined;
    }
    const to = line.length > 0 && line[line.length - 1] === CR ? line.length - 1 : line.length;
    return line.toString('latin1', 0, to);
  }

  private readHead(buf: Buffer, from: number, end: number): number {
    // Heads nearly always arrive in one read; when one does not, join it to what came before.
    const carried = this.carry?.length ?? 0;
    const data = this.carry === undefined ? buf : Buffer.concat([this.carry, buf.subarray(from, end)]);
    const begin = this.carry === undefined ? from : 0;
    const stop = this.carry === undefined ? end : data.length;
    this.carry = undefined;
    if (stop - begin >= 5 && data.toString('latin1', begin, begin + 5) !== 'HTTP/') {
      throw new MalformedResponseError(`expected a status line like "HTTP/1.1 200 OK", got ${excerpt(data.toString('latin1', begin, Math.min(stop, begin + 60)))}`);
    }
    // The head ends with an empty line: LF LF or LF CR LF.
    for (let nl = data.indexOf(LF, Math.max(begin, begin + carried - 2)); nl >= 0 && nl < stop; nl = data.indexOf(LF, nl + 1)) {
      const headEnd = data[nl + 1] === LF && nl + 1 < stop ? nl + 2 : data[nl + 1] === CR && data[nl + 2] === LF && nl + 2 < stop ? nl + 3 : -1;
      if (headEnd < 0) continue;
      this.parseHead(data.toString('latin1', begin, headEnd));
      return this.carry === undefined && carried === 0 ? headEnd : from + (headEnd - carried);
    }
    this.carryOver(data, begin, stop, MAX_HEAD_BYTES, 'the response head is');
    return end;
  }

  private parseHead(text: string): void {
    const lines = text.split('\n');
    const first = (lines[0] ?? '').replace(/\r$/, '');
    const m = STATUS_LINE.exec(first);
    if (!m) throw new MalformedResponseError(`expected a status line like "HTTP/1.1 200 OK", got ${excerpt(first)}`);
    const status = Number(m[1]);
    if (status < 100) throw new MalformedResponseError(`status ${status} in ${excerpt(first)} is not an HTTP status`);
    const headers: [string, string][] = [];
    for (let k = 1; k < lines.length; k++) {
      const line = (lines[k] as string).replace(/\r$/, '');
      if (line === '') break;
      const c0 = line.charCodeAt(0);
      if (c0 === 0x20 || c0 === 0x09) {
        // obs-fold (RFC 9112 §5.2): a continuation of the previous field's value.
        const prev = headers[headers.length - 1];
        if (!prev) throw new MalformedResponseError(`header line ${excerpt(line)} continues no header`);
        prev[1] = `${prev[1]} ${line.trim()}`;
        continue;
      }
      const colon = line.indexOf(':');
      const name = colon > 0 ? line.slice(0, colon) : '';
      if (!TOKEN.test(name)) throw new MalformedResponseError(`bad header line ${excerpt(line)}`);
      headers.push([name.toLowerCase(), line.slice(colon + 1).trim()]);
    }
    if (status < 200 && status !== 101) {
      return; // interim response: the final one follows (phase stays Head)
    }
    this.status = status;
    this.headers = headers;
    this.frame(status, headers);
  }

  /** RFC 9112 §6.3: how the body of this response is delimited. */
  private frame(status: number, headers: [string, string][]): void {
    if (this.bodiless || status === 204 || status === 304 || status < 200) {
      this.phase = Phase.Done;
      return;
    }
    let te: string | undefined;
    let length: string | undefined;
    for (const [name, value] of headers) {
      if (name === 'transfer-encoding') te = te === undefined ? value : `${te}, ${value}`;
      else if (name === 'content-length') {
        for (const v of value.split(',')) {
          const t = v.trim();
          if (length !== undefined && t !== length) throw new MalformedResponseError(`conflicting content-length values ${excerpt(value)}`);
          length = t;
        }
      }
    }
    if (te !== undefined) {
      const codings = te.split(',').map((c) => c.trim().toLowerCase());
      this.phase = codings[codings.length - 1] === 'chunked' ? Phase.ChunkSize : Phase.UntilClose;
      return;
    }
    if (length !== undefined) {
      if (!/^[0-9]{1,15}$/.test(length)) throw new MalformedResponseError(`bad content-length ${excerpt(length)}`);
      this.remaining = Number(length);
      this.phase = this.remaining === 0 ? Phase.Done : Phase.Fixed;
      return;
    }
    this.phase = Phase.UntilClose;
  }

  private chunkLine(line: string): void {
    switch (this.phase) {
      case Phase.ChunkSize: {
        const semi = line.indexOf(';');
        const size = (semi < 0 ? line : line.slice(0, semi)).trim();
        if (!CHUNK_SIZE.test(size)) throw new MalformedResponseError(`bad chunk size line ${excerpt(line)}`);
        this.remaining = parseInt(size, 16);
        this.phase = this.remaining === 0 ? Phase.Trailers : Phase.ChunkData;
        return;
      }
      case Phase.ChunkDataEnd:
        if (line !== '') throw new MalformedResponseError(`chunk data longer than its size (${excerpt(line)} follows it)`);
        this.phase = Phase.ChunkSize;
        return;
      default:
        if (line === '') this.phase = Phase.Done; // the trailer section ends with an empty line
    }
  }
}

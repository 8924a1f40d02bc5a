import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MalformedResponseError, ResponseParser } from './response-parser.js';

interface Parsed {
  done: boolean;
  status: number;
  headers: [string, string][];
  body: string;
  bytes: number;
}

/** Feeds `pieces` one push each (through a reused buffer, as a socket's onread does), then ends if `eof`. */
function parse(pieces: string[], opts: { head?: boolean; eof?: boolean; keep?: number } = {}): Parsed {
  const p = new ResponseParser(opts.head ?? false, opts.keep ?? 1 << 20);
  const shared = Buffer.alloc(1 << 16);
  let done = false;
  for (const piece of pieces) {
    const n = shared.write(piece, 'latin1');
    done = p.push(shared, 0, n);
    shared.fill(0x58); // what was not copied would now read as X
  }
  if (opts.eof) {
    p.end();
    done = p.done;
  }
  return { done, status: p.status, headers: p.headers, body: Buffer.concat(p.kept).toString('latin1'), bytes: p.bodyBytes };
}

/** Every way of cutting `text` in two, plus byte by byte: all must parse alike. */
function splits(text: string): string[][] {
  const out: string[][] = [[text], [...text]];
  for (let i = 1; i < text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  return out;
}

const CHUNKED = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer-X: t\r\n\r\n';

describe('ResponseParser', () => {
  test('a Content-Length body, however the bytes are split', () => {
    const text = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world';
    for (const pieces of splits(text)) {
      const r = parse(pieces);
      assert.equal(r.done, true, JSON.stringify(pieces));
      assert.equal(r.status, 200);
      assert.deepEqual(r.headers, [['content-type', 'text/plain'], ['content-length', '11']]);
      assert.equal(r.body, 'hello world');
      assert.equal(r.bytes, 11);
    }
  });

  test('a chunked body with extensions and trailers, however the bytes are split', () => {
    for (const pieces of splits(CHUNKED)) {
      const r = parse(pieces);
      assert.equal(r.done, true, JSON.stringify(pieces));
      assert.equal(r.body, 'hello, world');
      assert.equal(r.bytes, 12);
      assert.deepEqual(r.headers, [['transfer-encoding', 'chunked'], ['x-a', '1']]);
    }
  });

  test('bare LF line endings', () => {
    const r = parse(['HTTP/1.0 404 Not Found\nContent-Length: 2\n\nno']);
    assert.equal(r.done, true);
    assert.equal(r.status, 404);
    assert.equal(r.body, 'no');
  });

  test('a body without length runs to the end of the connection', () => {
    const r = parse(['HTTP/1.0 200 OK\r\n\r\nsome', ' more'], { eof: false });
    assert.equal(r.done, false);
    const ended = parse(['HTTP/1.0 200 OK\r\n\r\nsome', ' more'], { eof: true });
    assert.equal(ended.done, true);
    assert.equal(ended.body, 'some more');
  });

  test('no body for HEAD, 204 and 304 whatever the headers say', () => {
    assert.equal(parse(['HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n'], { head: true }).done, true);
    assert.equal(parse(['HTTP/1.1 204 No Content\r\nContent-Length: 100\r\n\r\n']).done, true);
    assert.equal(parse(['HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n']).done, true);
  });

  test('skips interim 1xx responses', () => {
    const r = parse(['HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n', 'HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n']);
    assert.equal(r.done, true);
    assert.equal(r.status, 201);
    assert.deepEqual(r.headers, [['content-length', '0']]);
  });

  test('keeps only the first bytes of a large body and counts all', () => {
    const r = parse(['HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n0123456789', '0123456789', '0123456789'], { keep: 15 });
    assert.equal(r.done, true);
    assert.equal(r.bytes, 30);
    assert.equal(r.body, '01234567890123456789');
  });

  test('folds obsolete continuation lines into the previous field', () => {
    const r = parse(['HTTP/1.1 200 OK\r\nX-Long: a\r\n  b\r\nContent-Length: 0\r\n\r\n']);
    assert.deepEqual(r.headers[0], ['x-long', 'a b']);
  });

  test('ignores bytes after a complete response', () => {
    const r = parse(['HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokGARBAGE']);
    assert.equal(r.done, true);
    assert.equal(r.body, 'ok');
  });

  const malformed: [string, string[], RegExp][] = [
    ['not HTTP at all', ['SSH-2.0-OpenSSH_9.2\r\n'], /^expected a status line like "HTTP\/1\.1 200 OK", got "SSH-2\.0-OpenSSH_9\.2\\r\\n"$/],
    ['a status that is not three digits', ['HTTP/1.1 20 OK\r\n\r\n'], /^expected a status line .* got "HTTP\/1\.1 20 OK"$/],
    ['a header line without a colon', ['HTTP/1.1 200 OK\r\nno colon here\r\n\r\n'], /^bad header line "no colon here"$/],
    ['a header name with a space', ['HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n'], /^bad header line "Bad Name: x"$/],
    ['conflicting content-lengths', ['HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n'], /^conflicting content-length values "3"$/],
    ['a content-length that is not a number', ['HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'], /^bad content-length "-1"$/],
    ['a chunk size that is not hex', ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'], /^bad chunk size line "zz"$/],
    ['chunk data longer than its size', ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n'], /^chunk data longer than its size \("c" follows it\)$/],
  ];
  for (const [what, pieces, message] of malformed) {
    test(`refuses ${what} with a clear reason`, () => {
      assert.throws(() => parse(pieces), (err: unknown) => err instanceof MalformedResponseError && message.test(err.message));
    });
  }

  test('refuses a head larger than 64 KiB instead of buffering it', () => {
    const p = new ResponseParser(false, 1024);
    p.push(Buffer.from('HTTP/1.1 200 OK\r\n'));
    const line = Buffer.from(`X-Pad: ${'a'.repeat(1000)}\r\n`);
    assert.throws(() => {
      for (let i = 0; i < 70; i++) p.push(line);
    }, /the response head is longer than 65536 bytes/);
  });

  test('says where the connection was cut short', () => {
    const end = (pieces: string[]) => assert.throws(() => parse(pieces, { eof: true }), MalformedResponseError);
    assert.throws(() => parse([], { eof: true }), /closed the connection without a response/);
    assert.throws(() => parse(['HTTP/1.1 200 OK\r\nContent-'], { eof: true }), /in the middle of the response head/);
    assert.throws(() => parse(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'], { eof: true }), /after 3 of 10 body bytes/);
    assert.throws(() => parse(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab'], { eof: true }), /in the middle of a chunked body, after 2 bytes/);
    end(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n']);
  });
});

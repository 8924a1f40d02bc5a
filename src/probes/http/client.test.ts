import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { send } from './client.js';
import { prepareRequest } from './request.js';
import { MalformedResponseError } from './response-parser.js';
import { httpProbe } from '../http.js';
import { systemClock } from '../../model/clock.js';

/**
 * A raw TCP server on 127.0.0.1: each connection's request head is recorded and `script`
 * answers it by writing pieces (each its own write, with a turn of the server's loop between).
 */
type Script = (sock: net.Socket, head: string) => void;
let script: Script = () => undefined;
const heads: string[] = [];
const server = net.createServer((sock) => {
  sock.setNoDelay(true);
  let buf = '';
  sock.on('data', (d: Buffer) => {
    buf += d.toString('latin1');
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0 || buf === '') return;
    const head = buf.slice(0, end + 4);
    buf = '';
    heads.push(head);
    script(sock, head);
  });
  sock.on('error', () => undefined);
});
let port = 0;

function pieces(sock: net.Socket, parts: string[], then: 'end' | 'keep' = 'end'): void {
  const [first, ...rest] = parts;
  if (first === undefined) {
    if (then === 'end') sock.end();
    return;
  }
  sock.write(first, 'latin1', () => setImmediate(() => pieces(sock, rest, then)));
}

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(() => server.close());

const get = (path = '/', extra: Partial<Parameters<typeof prepareRequest>[0]> = {}, signal = new AbortController().signal) =>
  send(prepareRequest({ url: new URL(`http://127.0.0.1:${port}${path}`), method: 'GET', headers: {}, body: undefined, verifyTls: true, ...extra }), 1 << 20, signal);

describe('probe HTTP client', () => {
  test('reads a chunked body sent in many small packets', async () => {
    script = (sock) => pieces(sock, ['HTTP/1.1 200 OK\r\nTransfer-', 'Encoding: chunked\r\n\r', '\n3\r\nabc', '\r\n4\r', '\ndefg\r\n0\r\n', '\r\n'], 'keep');
    const r = await get('/chunked');
    assert.equal(r.status, 200);
    assert.equal(r.body.toString(), 'abcdefg');
    assert.equal(r.bytes, 7);
  });

  test('reads a Content-Length body split across packets, and a body that runs to the close', async () => {
    script = (sock) => pieces(sock, ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234', '56789'], 'keep');
    assert.equal((await get()).body.toString(), '0123456789');
    script = (sock) => pieces(sock, ['HTTP/1.0 200 OK\r\n\r\nuntil ', 'the end']);
    assert.equal((await get()).body.toString(), 'until the end');
  });

  test('sends the request line, Host, the user headers, Basic auth and Connection: close', async () => {
    script = (sock) => pieces(sock, ['HTTP/1.1 204 No Content\r\n\r\n'], 'keep');
    await get('/p/a%20th?x=1&y=2#frag', { url: new URL(`http://us%40er:p%3Ass@127.0.0.1:${port}/p/a%20th?x=1&y=2#frag`), headers: { 'user-agent': 'mine', 'X-Token': 'abc' } });
    const head = heads[heads.length - 1] as string;
    const lines = head.trimEnd().split('\r\n');
    assert.equal(lines[0], 'GET /p/a%20th?x=1&y=2 HTTP/1.1');
    assert.deepEqual(lines.slice(1).sort(), [`Authorization: Basic ${Buffer.from('us@er:p:ss').toString('base64')}`, 'Connection: close', `Host: 127.0.0.1:${port}`, 'X-Token: abc', 'user-agent: mine'].sort());
  });

  test('frames a POST body, and an empty POST with Content-Length: 0', async () => {
    let body = '';
    script = (sock, head) => {
      const len = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? -1);
      body = `len=${len}`;
      sock.end(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    };
    assert.equal((await get('/', { method: 'POST', body: 'héllo' })).body.toString(), 'len=6');
    assert.equal((await get('/', { method: 'POST' })).body.toString(), 'len=0');
    assert.equal((await get('/', { method: 'GET' })).body.toString(), 'len=-1');
  });

  test('a HEAD response ends after its head', async () => {
    script = (sock) => pieces(sock, ['HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n'], 'keep');
    const r = await get('/', { method: 'HEAD' });
    assert.equal(r.status, 200);
    assert.equal(r.bytes, 0);
  });

  test('a malformed response fails with the reason', async () => {
    script = (sock) => pieces(sock, ['HTTP/1.1 OK\r\n\r\n'], 'keep');
    await assert.rejects(get(), (err: unknown) => err instanceof MalformedResponseError && /expected a status line/.test(err.message));
    script = (sock) => pieces(sock, ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc']);
    await assert.rejects(get(), /closed the connection after 3 of 10 body bytes/);
    script = (sock) => sock.end();
    await assert.rejects(get(), /closed the connection without a response/);
  });

  test('the probe names a bad response and where it came from', async () => {
    script = (sock) => pieces(sock, ['SSH-2.0-OpenSSH_9.2\r\n'], 'keep');
    const r = await httpProbe.run(httpProbe.optionsSchema.parse({ url: `http://127.0.0.1:${port}/` }), { signal: new AbortController().signal, timeoutMs: 5000, clock: systemClock });
    assert.equal(r.success, false);
    assert.equal(r.message, `bad HTTP response from 127.0.0.1:${port}: expected a status line like "HTTP/1.1 200 OK", got "SSH-2.0-OpenSSH_9.2\\r\\n"`);
  });

  test('a server that does not answer is ended by the signal, and the connection closed', async () => {
    const c = new AbortController();
    let closed: Promise<void> = Promise.resolve();
    script = (sock) => {
      closed = new Promise((r) => sock.on('close', () => r()));
      c.abort(new Error('deadline'));
    };
    await assert.rejects(get('/', {}, c.signal), /deadline/);
    await closed; // the client closed its end: the server sees the connection go
  });

  test('connection refused is the socket error', async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const closedPort = (s.address() as AddressInfo).port;
    await new Promise((r) => s.close(r));
    const req = prepareRequest({ url: new URL(`http://127.0.0.1:${closedPort}/`), method: 'GET', headers: {}, body: undefined, verifyTls: true });
    await assert.rejects(send(req, 1024, new AbortController().signal), (err: NodeJS.ErrnoException) => err.code === 'ECONNREFUSED');
  });

  test('an aborted signal rejects before connecting', async () => {
    const c = new AbortController();
    c.abort(new Error('gone'));
    const before = heads.length;
    await assert.rejects(get('/', {}, c.signal), /gone/);
    assert.equal(heads.length, before);
  });

  test('TLS: verifies the chain, reports the expiry, sends SNI only for names', async () => {
    const notAfter = new Date(Date.now() + 10 * 86_400_000);
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keyType: 'ec', notAfterDate: notAfter, algorithm: 'sha256' });
    const names: (string | false)[] = [];
    const tlsServer = https.createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
      names.push((req.socket as unknown as { servername: string | false }).servername);
      res.end('secure');
    });
    await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r));
    const tlsPort = (tlsServer.address() as AddressInfo).port;
    try {
      const at = (host: string, verifyTls: boolean) => send(prepareRequest({ url: new URL(`https://${host}:${tlsPort}/`), method: 'GET', headers: {}, body: undefined, verifyTls }), 1024, new AbortController().signal);
      await assert.rejects(at('127.0.0.1', true), (err: NodeJS.ErrnoException) => err.code === 'DEPTH_ZERO_SELF_SIGNED_CERT');
      const r = await at('127.0.0.1', false);
      assert.equal(r.body.toString(), 'secure');
      assert.equal(r.certExpiry, Math.floor(notAfter.getTime() / 1000) * 1000);
      await at('localhost', false);
      assert.deepEqual(names, [false, 'localhost']);
    } finally {
      tlsServer.closeAllConnections();
      tlsServer.close();
    }
  });

  test('refuses a header it cannot send, naming it', () => {
    assert.throws(() => prepareRequest({ url: new URL('http://x/'), method: 'GET', headers: { 'X-A': 'a\r\nInjected: 1' }, body: undefined, verifyTls: true }), /header X-A holds a control character/);
    assert.throws(() => prepareRequest({ url: new URL('http://x/'), method: 'GET', headers: { 'Bad Name': 'a' }, body: undefined, verifyTls: true }), /header name "Bad Name" is not a valid HTTP token/);
  });

  test('IPv6 literals: brackets in Host, none to connect', () => {
    const r = prepareRequest({ url: new URL('https://[::1]:8443/x'), method: 'GET', headers: {}, body: undefined, verifyTls: true });
    assert.equal(r.host, '::1');
    assert.equal(r.port, 8443);
    assert.equal(r.servername, undefined);
    assert.match(r.bytes.toString('latin1'), /\r\nHost: \[::1\]:8443\r\n/);
    const named = prepareRequest({ url: new URL('https://example.com/'), method: 'GET', headers: { host: 'other.example:9' }, body: undefined, verifyTls: true });
    assert.equal(named.port, 443);
    assert.equal(named.servername, 'other.example');
  });
});

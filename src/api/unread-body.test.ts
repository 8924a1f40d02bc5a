import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerUnreadBodyDrain } from './unread-body.js';

describe('registerUnreadBodyDrain', () => {
  let app: FastifyInstance;
  let port: number;
  before(async () => {
    app = Fastify({ bodyLimit: 1024 });
    registerUnreadBodyDrain(app, { maxBytes: 256 * 1024, maxMs: 60_000 });
    app.post('/echo', async (req) => ({ got: String(req.body).length }));
    app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });
  after(() => app.close());

  test('a body over the limit is read to its end after the 413, and the connection serves the next request', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = (body: Buffer) =>
      new Promise<{ status: number; text: string; socket: unknown }>((resolve, reject) => {
        const req = request({ port, path: '/echo', method: 'POST', agent, headers: { 'content-type': 'text/plain' } }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text, socket: req.socket }));
        });
        req.on('error', reject);
        req.end(body);
      });
    const big = await post(Buffer.alloc(200 * 1024, 0x61));
    assert.equal(big.status, 413);
    const small = await post(Buffer.from('hello'));
    assert.equal(small.status, 200);
    assert.equal(small.text, '{"got":5}');
    assert.equal(small.socket, big.socket, 'the connection was kept');
    agent.destroy();
  });

  test('a client that sent Connection: close gets its 413, not a reset, and then a graceful close', async () => {
    // agent: false makes node's client send `Connection: close`; Node's server then destroys the
    // socket as soon as the answer is flushed, with the body still arriving.
    const own = Fastify({ bodyLimit: 1024 });
    registerUnreadBodyDrain(own, { maxBytes: 64 * 1024 * 1024, maxMs: 60_000 });
    own.post('/echo', async () => ({}));
    await own.listen({ host: '127.0.0.1', port: 0 });
    const ownPort = (own.server.address() as AddressInfo).port;
    // Larger than loopback's socket buffers, so that most of it is unread when the answer goes.
    const body = Buffer.alloc(16 * 1024 * 1024, 0x61);
    const errors: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await new Promise<{ status: number; closed: boolean } | { error: string }>((resolve) => {
        const req = request({ port: ownPort, path: '/echo', method: 'POST', agent: false, headers: { 'content-type': 'text/plain' } }, (res) => {
          res.resume();
          res.on('end', () => req.socket?.once('close', () => resolve({ status: res.statusCode ?? 0, closed: true })));
        });
        req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
        req.end(body);
      });
      if ('error' in r) errors.push(`${i}: ${r.error}`);
      else assert.equal(r.status, 413);
    }
    await own.close();
    assert.deepEqual(errors, []);
  });

  test('a body that goes on past maxBytes after the answer gets its connection cut', async () => {
    const result = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let status = 0;
      let sent = 0;
      const req = request({ port, path: '/echo', method: 'POST', agent: false, headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' } }, (res) => {
        status = res.statusCode ?? 0;
        res.resume();
      });
      const piece = Buffer.alloc(16 * 1024, 0x61);
      const pump = () => {
        // Never ends by itself: only the server's cut stops it.
        while (sent < 64 * 1024 * 1024 && !req.destroyed) {
          sent += piece.length;
          if (!req.write(piece)) return void req.once('drain', pump);
        }
        if (!req.destroyed) reject(new Error('64 MiB sent and the connection was not cut'));
      };
      req.on('error', () => resolve({ status, sent }));
      req.on('close', () => resolve({ status, sent }));
      pump();
    });
    assert.equal(result.status, 413);
    assert.ok(result.sent < 16 * 1024 * 1024, `cut after ${result.sent} bytes`);
  });
});

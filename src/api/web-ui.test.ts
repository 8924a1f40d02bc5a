import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import Fastify from 'fastify';
import { registerWebUi } from './web-ui.js';

test('the built UI: hashed assets cached for good and compressed, index.html for the UI paths', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-webui-'));
  const app = Fastify();
  try {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Vigil</title><div id="root"></div>');
    const js = `console.log(${JSON.stringify('x'.repeat(5000))});`;
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), js);
    const page = registerWebUi(app, dir);
    app.setNotFoundHandler((req, reply) => {
      if (page(req, reply)) return;
      void reply.status(404).send({ error: 'not_found' });
    });
    const asset = await app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(asset.statusCode, 200);
    assert.equal(asset.headers['content-encoding'], 'br');
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(brotliDecompressSync(asset.rawPayload).toString(), js);
    const again = await app.inject({ url: '/assets/index-abc123.js', headers: { 'if-none-match': String(asset.headers.etag) } });
    assert.equal(again.statusCode, 304);
    const plain = await app.inject({ url: '/assets/index-abc123.js' });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.payload, js);

    for (const url of ['/', '/incidents/INC-2026-0001', '/metrics-explorer?q=up']) {
      const r = await app.inject({ url, headers: { accept: 'text/html,application/xhtml+xml' } });
      assert.equal(r.statusCode, 200, url);
      assert.match(r.payload, /<div id="root">/);
      assert.equal(r.headers['cache-control'], 'no-cache');
      assert.match(String(r.headers['content-security-policy']), /script-src 'self'/);
    }
    assert.equal((await app.inject({ url: '/api/v1/nope', headers: { accept: 'text/html' } })).statusCode, 404);
    assert.equal((await app.inject({ url: '/assets/missing.js', headers: { accept: 'text/html' } })).statusCode, 404);
    assert.equal((await app.inject({ url: '/incidents', headers: { accept: 'application/json' } })).statusCode, 404);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { systemClock } from '../model/clock.js';
import { httpProbe } from './http.js';
import { describeProbe } from './describe-probe.js';
import { redactUrl } from './redact.js';

function listen(server: http.Server | https.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

async function closedPort(): Promise<number> {
  const s = http.createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}

function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const send = (status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'text/plain', ...headers });
    res.end(body);
  };
  switch (url.pathname) {
    case '/health':
      return send(200, 'status: ok');
    case '/down':
      return send(503, 'maintenance');
    case '/json':
      return send(200, JSON.stringify({ status: 'up', items: [{ id: 7, name: 'a b' }], ready: true }), { 'content-type': 'application/json' });
    case '/slow':
      setTimeout(() => send(200, 'late ok'), Number(url.searchParams.get('ms')));
      return;
    case '/hang':
      return; // never answers
    case '/redirect':
      return send(302, '', { location: '/health' });
    case '/see-other':
      return send(303, '', { location: '/echo' });
    case '/loop':
      return send(302, '', { location: '/loop' });
    case '/echo': {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => send(200, JSON.stringify({ method: req.method, headers: req.headers, body }), { 'content-type': 'application/json' }));
      return;
    }
    default:
      return send(404, 'not found');
  }
}

const server = http.createServer(handler);
let base = '';
let refused = 0;

before(async () => {
  base = `http://127.0.0.1:${await listen(server)}`;
  refused = await closedPort();
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const ctx = () => ({ signal: new AbortController().signal, timeoutMs: 5000, clock: systemClock });
const probe = (raw: Record<string, unknown>) => httpProbe.run(httpProbe.optionsSchema.parse(raw), ctx());

describeProbe(httpProbe, async () => ({
  ok: { url: `${base}/health` },
  failing: { url: `${base}/down` },
  hanging: { url: `${base}/hang` },
  secret: { options: { url: `http://probe:hunter2secret@127.0.0.1:${refused}/x` }, secret: 'hunter2secret' },
}));

describe('http probe', () => {
  test('accepts the expected status list and reports the status code', async () => {
    const ok = await probe({ url: `${base}/down`, expect: { status: [200, 503] } });
    assert.equal(ok.success, true, ok.message);
    assert.equal(ok.metrics.probe_http_status_code, 503);
    const bad = await probe({ url: `${base}/down`, expect: { status: [200] } });
    assert.equal(bad.success, false);
    assert.equal(bad.message, 'status 503 (expected 200)');
    const dflt = await probe({ url: `${base}/down` });
    assert.equal(dflt.message, 'status 503 (expected 2xx)');
  });

  test('checks body contains, not contains and regex', async () => {
    assert.equal((await probe({ url: `${base}/health`, expect: { body_contains: 'ok' } })).success, true);
    const miss = await probe({ url: `${base}/health`, expect: { body_contains: 'healthy' } });
    assert.equal(miss.message, 'body does not contain "healthy"');
    const not = await probe({ url: `${base}/health`, expect: { body_not_contains: 'ok' } });
    assert.equal(not.message, 'body contains "ok"');
    const re = await probe({ url: `${base}/health`, expect: { body_regex: '^status: (ok|up)$' } });
    assert.equal(re.success, true, re.message);
    assert.equal(re.metrics.probe_failed_due_to_regex, 0);
    const reMiss = await probe({ url: `${base}/health`, expect: { body_regex: 'down' } });
    assert.equal(reMiss.message, 'body does not match /down/');
    assert.equal(reMiss.metrics.probe_failed_due_to_regex, 1);
  });

  test('compares JSON paths', async () => {
    const ok = await probe({
      url: `${base}/json`,
      expect: { json_path: [{ path: '$.status', equals: 'up' }, { path: "$.items[0]['name']", equals: 'a b' }, { path: 'items[0].id', equals: 7 }, { path: '$.ready', equals: true }] },
    });
    assert.equal(ok.success, true, ok.message);
    const bad = await probe({ url: `${base}/json`, expect: { json_path: [{ path: '$.status', equals: 'down' }] } });
    assert.equal(bad.message, 'json path $.status is "up" (expected "down")');
    const missing = await probe({ url: `${base}/json`, expect: { json_path: [{ path: '$.items[3].id', equals: 1 }] } });
    assert.equal(missing.message, 'json path $.items[3].id not found');
    const notJson = await probe({ url: `${base}/health`, expect: { json_path: [{ path: '$.a', equals: 1 }] } });
    assert.equal(notJson.message, 'body is not JSON');
    assert.equal(httpProbe.optionsSchema.safeParse({ url: base, expect: { json_path: [{ path: '$..x', equals: 1 }] } }).success, false);
  });

  test('checks response headers', async () => {
    const ok = await probe({ url: `${base}/json`, expect: { headers: { 'Content-Type': 'json' } } });
    assert.equal(ok.success, true, ok.message);
    const bad = await probe({ url: `${base}/health`, expect: { headers: { 'content-type': 'json' } } });
    assert.equal(bad.message, 'header content-type is "text/plain" (expected /json/)');
    const missing = await probe({ url: `${base}/health`, expect: { headers: { 'x-version': '.' } } });
    assert.equal(missing.message, 'header x-version missing');
  });

  test('fails when slower than max_response_time', async () => {
    const slow = await probe({ url: `${base}/slow?ms=150`, expect: { max_response_time: '50ms' } });
    assert.equal(slow.success, false);
    assert.match(slow.message, /^response took \d+ms \(max 50ms\)$/);
    assert.ok(slow.durationMs >= 140, String(slow.durationMs));
    const fast = await probe({ url: `${base}/slow?ms=10`, expect: { max_response_time: '2s' } });
    assert.equal(fast.success, true, fast.message);
  });

  test('follows redirects by default and not when told', async () => {
    const followed = await probe({ url: `${base}/redirect`, expect: { body_contains: 'ok' } });
    assert.equal(followed.success, true, followed.message);
    assert.equal(followed.metrics.probe_http_redirects, 1);
    assert.equal(followed.metrics.probe_http_status_code, 200);
    const stay = await probe({ url: `${base}/redirect`, follow_redirects: false });
    assert.equal(stay.success, false);
    assert.equal(stay.message, 'status 302 (expected 2xx)');
    const allowed = await probe({ url: `${base}/redirect`, follow_redirects: false, expect: { status: 302 } });
    assert.equal(allowed.success, true, allowed.message);
    const loop = await probe({ url: `${base}/loop` });
    assert.equal(loop.message, 'stopped after 10 redirects');
  });

  test('sends method, headers and body; a 303 turns POST into GET', async () => {
    const r = await probe({
      url: `${base}/echo`,
      method: 'post',
      headers: { 'X-Token': 'abc', 'Content-Type': 'application/json' },
      body: '{"ping":1}',
      expect: { json_path: [{ path: '$.method', equals: 'POST' }, { path: "$.headers['x-token']", equals: 'abc' }, { path: '$.body', equals: '{"ping":1}' }] },
    });
    assert.equal(r.success, true, r.message);
    const seeOther = await probe({ url: `${base}/see-other`, method: 'POST', body: 'x', expect: { json_path: [{ path: '$.method', equals: 'GET' }, { path: '$.body', equals: '' }] } });
    assert.equal(seeOther.success, true, seeOther.message);
  });

  test('connection refused names the target without its password', async () => {
    const r = await probe({ url: `http://admin:pa55word@127.0.0.1:${refused}/health` });
    assert.equal(r.success, false);
    assert.equal(r.message, `connection refused 127.0.0.1:${refused}`);
  });

  test('verifies TLS unless tls_skip_verify, and reports certificate expiry', async () => {
    const notAfter = new Date(Date.now() + 30 * 86_400_000);
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keyType: 'ec', notAfterDate: notAfter, algorithm: 'sha256' });
    const tlsServer = https.createServer({ key: pems.private, cert: pems.cert }, handler);
    const port = await listen(tlsServer);
    try {
      const strict = await probe({ url: `https://127.0.0.1:${port}/health` });
      assert.equal(strict.success, false);
      assert.match(strict.message, /^certificate not trusted \(127\.0\.0\.1:\d+\): self[- ]signed certificate/);
      const loose = await probe({ url: `https://127.0.0.1:${port}/health`, tls_skip_verify: true });
      assert.equal(loose.success, true, loose.message);
      assert.equal(loose.metrics.probe_http_ssl, 1);
      assert.equal(loose.metrics.probe_ssl_earliest_cert_expiry, Math.floor(notAfter.getTime() / 1000));
    } finally {
      tlsServer.closeAllConnections();
      tlsServer.close();
    }
  });

  test('options: defaults, method names, URL schemes', () => {
    const o = httpProbe.optionsSchema.parse({ url: 'http://example.com/' });
    assert.equal(o.method, 'GET');
    assert.equal(o.follow_redirects, true);
    assert.equal(o.tls_skip_verify, false);
    assert.deepEqual(o.expect, {});
    const bad = httpProbe.optionsSchema.safeParse({ url: 'ftp://example.com/', method: 'FETCH', expect: { body_regex: '(' } });
    assert.equal(bad.success, false);
    const paths = bad.error?.issues.map((i) => i.path.join('.'));
    assert.deepEqual(paths?.sort(), ['expect.body_regex', 'method', 'url']);
  });
});

test('redactUrl hides the password and keeps the rest', () => {
  assert.equal(redactUrl('https://bob:s3cret@example.com/p?q=1'), 'https://bob:xxxxx@example.com/p?q=1');
  assert.equal(redactUrl('https://example.com/p'), 'https://example.com/p');
  assert.equal(redactUrl('not a url //bob:s3cret@host'), 'not a url //bob:xxxxx@host');
});

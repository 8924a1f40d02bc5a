import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import net from 'node:net';
import { generate } from 'selfsigned';
import { FakeClock, systemClock } from '../model/clock.js';
import type { Clock } from '../model/clock.js';
import { tlsProbe } from './tls.js';
import { describeProbe } from './describe-probe.js';

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

const DAY = 86_400_000;
const notAfter = new Date(Date.now() + 10 * DAY);
let server: https.Server;
const silent = net.createServer((s) => s.on('error', () => {}));
let port = 0;
let silentPort = 0;
let refused = 0;

before(async () => {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keyType: 'ec', notAfterDate: notAfter, algorithm: 'sha256' });
  server = https.createServer({ key: pems.private, cert: pems.cert }, (_req, res) => res.end('ok'));
  port = await listen(server);
  silentPort = await listen(silent);
  const tmp = net.createServer();
  refused = await listen(tmp);
  await new Promise((r) => tmp.close(r));
});
after(() => {
  server.closeAllConnections();
  server.close();
  silent.close();
});

const probe = (raw: Record<string, unknown>, clock: Clock = systemClock) =>
  tlsProbe.run(tlsProbe.optionsSchema.parse(raw), { signal: new AbortController().signal, timeoutMs: 5000, clock });

describeProbe(tlsProbe, async () => ({
  ok: { target: `127.0.0.1:${port}`, tls_skip_verify: true, min_days_valid: 5 },
  failing: { target: `127.0.0.1:${refused}` },
  hanging: { target: `127.0.0.1:${silentPort}` },
}));

describe('tls probe', () => {
  test('fails when the certificate expires sooner than min_days_valid (default 14)', async () => {
    const r = await probe({ target: `127.0.0.1:${port}`, tls_skip_verify: true });
    assert.equal(r.success, false);
    const day = notAfter.toISOString().slice(0, 10);
    assert.match(r.message, new RegExp(`^certificate expires in (9\\.9|10\\.0) days \\(on ${day}\\), less than the minimum 14 days$`));
    assert.equal(r.metrics.probe_ssl_earliest_cert_expiry, Math.floor(notAfter.getTime() / 1000));
  });

  test('passes with a lower threshold', async () => {
    const r = await probe({ target: `127.0.0.1:${port}`, server_name: 'localhost', tls_skip_verify: true, min_days_valid: 5 });
    assert.equal(r.success, true, r.message);
    assert.equal(r.metrics.probe_ssl_earliest_cert_expiry, Math.floor(notAfter.getTime() / 1000));
  });

  test('counts days on the injected clock', async () => {
    const clock = new FakeClock(notAfter.getTime() + 2 * DAY);
    const r = await probe({ target: `127.0.0.1:${port}`, tls_skip_verify: true, min_days_valid: 0 }, clock);
    assert.equal(r.success, false);
    assert.match(r.message, /^certificate expired 2\.0 days ago/);
  });

  test('an untrusted certificate fails unless tls_skip_verify', async () => {
    const r = await probe({ target: `127.0.0.1:${port}`, server_name: 'localhost', min_days_valid: 0 });
    assert.equal(r.success, false);
    assert.match(r.message, /^certificate not trusted \(127\.0\.0\.1:\d+\): self[- ]signed certificate/);
  });

  test('options default min_days_valid to 14', () => {
    const o = tlsProbe.optionsSchema.parse({ target: 'example.com:443' });
    assert.equal(o.min_days_valid, 14);
    assert.equal(o.tls_skip_verify, false);
  });
});

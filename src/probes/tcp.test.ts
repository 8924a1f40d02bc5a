import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { generate } from 'selfsigned';
import { systemClock } from '../model/clock.js';
import { tcpProbe } from './tcp.js';
import { describeProbe } from './describe-probe.js';

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

const sockets = new Set<net.Socket>();
function track(s: net.Socket) {
  sockets.add(s);
  s.on('close', () => sockets.delete(s));
}

/** Answers "PING\n" with "PONG\n"; greets with a banner; says "bye" to anything else and closes. */
const pingServer = net.createServer((s) => {
  track(s);
  s.write('+READY redis-ish\r\n');
  s.on('data', (d) => {
    if (d.toString() === 'PING\n') s.write('PONG\n');
    else s.end('bye\n');
  });
  s.on('error', () => {});
});
/** Accepts and stays silent. */
const silentServer = net.createServer((s) => {
  track(s);
  s.on('error', () => {});
});
let ping = 0;
let silent = 0;
let refused = 0;

before(async () => {
  ping = await listen(pingServer);
  silent = await listen(silentServer);
  const tmp = net.createServer();
  refused = await listen(tmp);
  await new Promise((r) => tmp.close(r));
});
after(() => {
  for (const s of sockets) s.destroy();
  pingServer.close();
  silentServer.close();
});

const probe = (raw: Record<string, unknown>) =>
  tcpProbe.run(tcpProbe.optionsSchema.parse(raw), { signal: new AbortController().signal, timeoutMs: 5000, clock: systemClock });

describeProbe(tcpProbe, async () => ({
  ok: { target: `127.0.0.1:${ping}` },
  failing: { target: `127.0.0.1:${refused}` },
  hanging: { target: `127.0.0.1:${silent}`, expect: 'hello' },
}));

describe('tcp probe', () => {
  test('connects', async () => {
    const r = await probe({ target: `127.0.0.1:${ping}` });
    assert.equal(r.success, true);
    assert.equal(r.message, `connected to 127.0.0.1:${ping}`);
  });

  test('reports a refused connection with its target', async () => {
    const r = await probe({ target: `127.0.0.1:${refused}` });
    assert.equal(r.success, false);
    assert.equal(r.message, `connection refused 127.0.0.1:${refused}`);
  });

  test('sends and expects a string or a regex', async () => {
    const pong = await probe({ target: `127.0.0.1:${ping}`, send: 'PING\n', expect: 'PONG' });
    assert.equal(pong.success, true, pong.message);
    const banner = await probe({ target: `127.0.0.1:${ping}`, expect: { regex: '^\\+READY \\w+' } });
    assert.equal(banner.success, true, banner.message);
    const wrong = await probe({ target: `127.0.0.1:${ping}`, send: 'HELLO\n', expect: 'PONG' });
    assert.equal(wrong.success, false);
    assert.equal(wrong.message, 'response does not contain "PONG" (got "+READY redis-ish\\r\\nbye\\n")');
  });

  test('a silent server times out naming what it waited for', async () => {
    // Long enough for the connect to finish on a loaded machine, so the wait is for the reply.
    const c = new AbortController();
    setTimeout(() => c.abort(new DOMException('t', 'TimeoutError')), 600);
    const r = await tcpProbe.run(tcpProbe.optionsSchema.parse({ target: `127.0.0.1:${silent}`, expect: 'PONG' }), {
      signal: c.signal,
      timeoutMs: 600,
      clock: systemClock,
    });
    assert.equal(r.message, 'timeout after 600ms waiting for "PONG"');
  });

  test('connects with TLS and reports certificate expiry', async () => {
    const notAfter = new Date(Date.now() + 20 * 86_400_000);
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keyType: 'ec', notAfterDate: notAfter, algorithm: 'sha256' });
    const server = tls.createServer({ key: pems.private, cert: pems.cert }, (s) => {
      track(s);
      s.end('220 hello\r\n');
    });
    const port = await listen(server);
    try {
      const untrusted = await probe({ target: `127.0.0.1:${port}`, tls: true });
      assert.equal(untrusted.success, false);
      assert.match(untrusted.message, /^certificate not trusted/);
      const r = await probe({ target: `127.0.0.1:${port}`, server_name: 'localhost', tls: true, tls_skip_verify: true, expect: '220' });
      assert.equal(r.success, true, r.message);
      assert.equal(r.metrics.probe_ssl_earliest_cert_expiry, Math.floor(notAfter.getTime() / 1000));
    } finally {
      server.close();
    }
  });

  test('rejects a target without a port', () => {
    const r = tcpProbe.optionsSchema.safeParse({ target: 'db.internal' });
    assert.equal(r.success, false);
    assert.equal(r.error?.issues[0]?.message, 'expected host:port, e.g. 127.0.0.1:5432');
    assert.equal(tcpProbe.optionsSchema.safeParse({ target: '[::1]:5432' }).success, true);
  });
});

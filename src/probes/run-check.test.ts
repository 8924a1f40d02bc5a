import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { FakeClock, systemClock } from '../model/clock.js';
import { checkSchema } from './config.js';
import { runCheck } from './run-check.js';

const server = http.createServer((_req, res) => res.end('ok'));
const silent = net.createServer((s) => s.on('error', () => {}));
const sockets = new Set<net.Socket>();
silent.on('connection', (s) => sockets.add(s));
let httpPort = 0;
let silentPort = 0;

const listen = (s: net.Server) => new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as net.AddressInfo).port)));
before(async () => {
  httpPort = await listen(server);
  silentPort = await listen(silent);
});
after(() => {
  for (const s of sockets) s.destroy();
  server.close();
  silent.close();
});

test('runs a parsed check with the probe registered for its type', async () => {
  const check = checkSchema.parse({ name: 'web', type: 'http', url: `http://127.0.0.1:${httpPort}/`, expect: { body_contains: 'ok' } });
  const r = await runCheck(check, { clock: systemClock });
  assert.equal(r.success, true, r.message);
  assert.equal(r.metrics.probe_http_status_code, 200);
});

test('ends a run at the check timeout on the injected clock', async () => {
  const clock = new FakeClock();
  const check = checkSchema.parse({ name: 'db', type: 'tcp', target: `127.0.0.1:${silentPort}`, expect: 'READY', interval: '1s', timeout: '500ms' });
  let settled = false;
  const pending = runCheck(check, { clock }).then((r) => {
    settled = true;
    return r;
  });
  await clock.advance(499);
  assert.equal(settled, false);
  await clock.advance(1);
  const r = await pending;
  assert.equal(r.success, false);
  assert.equal(r.message, 'timeout after 500ms');
  assert.equal(clock.pendingTimers(), 0);
});

test('an outer abort ends the run as "aborted"', async () => {
  const clock = new FakeClock();
  const check = checkSchema.parse({ name: 'db', type: 'tcp', target: `127.0.0.1:${silentPort}`, expect: 'READY' });
  const c = new AbortController();
  const pending = runCheck(check, { clock, signal: c.signal });
  c.abort(new Error('stopping'));
  const r = await pending;
  assert.equal(r.message, 'aborted');
});

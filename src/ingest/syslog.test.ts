import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import type { LogInput } from '../logs/index.js';
import { OverloadedError } from './log-ingest.js';
import { SyslogFramer, SyslogServer, syslogConfigSchema } from './syslog.js';

test('framing: octet counting and newline-delimited, across chunk boundaries', () => {
  const f = new SyslogFramer(65536);
  const a = '<34>1 2026-12-01T10:00:00Z host app - - - hello';
  const first = f.push(`${a.length} ${a.slice(0, 10)}`);
  assert.deepEqual(first.messages, []);
  const second = f.push(`${a.slice(10)}<13>Dec  1 10:00:01 host sshd[1]: one\n<13>Dec  1 10:00:02 host sshd[1]: tw`);
  assert.deepEqual(second.messages, [a, '<13>Dec  1 10:00:01 host sshd[1]: one']);
  assert.deepEqual(f.push('o\n').messages, ['<13>Dec  1 10:00:02 host sshd[1]: two']);
  assert.equal(f.push('99999999999 x\nnext\n').malformed, 1);
});

test('UDP and TCP syslog reach the ingest path with service and host labels; TCP waits out overload', async () => {
  const got: LogInput[] = [];
  let refuseOnce = true;
  const server = new SyslogServer({
    config: syslogConfigSchema.parse({ udp_listen: '127.0.0.1:0', tcp_listen: '127.0.0.1:0', labels: { source: 'syslog' } }),
    now: () => Date.UTC(2026, 11, 1, 12),
    ingest: async (inputs) => {
      if (refuseOnce && inputs.some((i) => i.line.includes('tcp'))) {
        refuseOnce = false;
        throw new OverloadedError(0.05 as number, 10);
      }
      got.push(...inputs);
    },
  });
  await server.start();
  try {
    const udp = createSocket('udp4');
    await new Promise<void>((r) => udp.send('<11>1 2026-12-01T10:00:00.000Z web1 nginx 12 - - udp upstream timed out', server.udpAddress!.port, '127.0.0.1', () => r()));
    udp.close();
    const msg = '<86>Dec  1 10:00:05 db1 sshd[411]: tcp Failed password for root from 10.0.0.9 port 22 ssh2';
    const sock = connect(server.tcpAddress!.port, '127.0.0.1');
    await new Promise<void>((r) => sock.once('connect', () => r()));
    sock.write(`${msg.length} ${msg}`);
    sock.end();
    const deadline = Date.now() + 5000;
    while (got.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const byService = Object.fromEntries(got.map((i) => [i.labels['service'], i]));
    assert.equal(byService['nginx']?.labels['host'], 'web1');
    assert.equal(byService['nginx']?.labels['source'], 'syslog');
    assert.equal(byService['nginx']?.t, Date.UTC(2026, 11, 1, 10));
    assert.equal(byService['sshd']?.line, msg);
    assert.equal(refuseOnce, false, 'the TCP batch was refused once and delivered on retry');
    assert.equal(server.stats.received, 2);
  } finally {
    await server.stop();
  }
});

test('messages of one app and host share one labels object (the store keys streams by it)', async () => {
  const got: LogInput[] = [];
  const server = new SyslogServer({
    config: syslogConfigSchema.parse({ tcp_listen: '127.0.0.1:0' }),
    now: () => Date.UTC(2026, 11, 1, 12),
    ingest: async (inputs) => {
      got.push(...inputs);
    },
  });
  await server.start();
  try {
    const lines = [
      '<11>1 2026-12-01T10:00:00.000Z web1 nginx 12 - - first',
      '<11>1 2026-12-01T10:00:01.000Z web1 nginx 12 - - second',
      '<11>1 2026-12-01T10:00:02.000Z web2 nginx 12 - - other host',
      '<11>1 2026-12-01T10:00:03.000Z - nginx 12 - - no host',
      '<11>1 2026-12-01T10:00:04.000Z web1 nginx 12 - - third',
    ];
    const sock = connect(server.tcpAddress!.port, '127.0.0.1');
    await new Promise<void>((r) => sock.once('connect', () => r()));
    sock.end(lines.join('\n') + '\n');
    const deadline = Date.now() + 5000;
    while (got.length < lines.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const [a, b, c, d, e] = got.map((i) => i.labels);
    assert.deepEqual(a, { service: 'nginx', host: 'web1' });
    assert.equal(a, b);
    assert.equal(a, e);
    assert.deepEqual(c, { service: 'nginx', host: 'web2' });
    assert.deepEqual(d, { service: 'nginx' });
    assert.notEqual(c, a);
  } finally {
    await server.stop();
  }
});

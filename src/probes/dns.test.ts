import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { systemClock } from '../model/clock.js';
import { dnsProbe } from './dns.js';
import { describeProbe } from './describe-probe.js';

/** A tiny authoritative UDP DNS responder for the zone below (RFC 1035 wire format). */
const TYPES = { A: 1, NS: 2, CNAME: 5, MX: 15, TXT: 16 } as const;
type Rec = { A?: string[]; MX?: Array<[number, string]>; TXT?: string[] };
const zone = new Map<string, Rec>([
  ['shop.test', { A: ['10.0.0.1', '10.0.0.2'], MX: [[10, 'mail.shop.test']], TXT: ['v=spf1 -all'] }],
  ['api.shop.test', { A: ['10.0.0.9'] }],
]);
const HANG = 'hang.test';
const SERVFAIL = 'broken.test';

function encodeName(name: string): Buffer {
  const parts = name.split('.').filter(Boolean).map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
  return Buffer.concat([...parts, Buffer.from([0])]);
}

function rr(type: number, rdata: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0); // pointer to the question's name
  head.writeUInt16BE(type, 2);
  head.writeUInt16BE(1, 4); // IN
  head.writeUInt32BE(60, 6);
  head.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([head, rdata]);
}

function answers(rec: Rec | undefined, qtype: number): Buffer[] {
  if (!rec) return [];
  if (qtype === TYPES.A) return (rec.A ?? []).map((ip) => rr(qtype, Buffer.from(ip.split('.').map(Number))));
  if (qtype === TYPES.TXT) return (rec.TXT ?? []).map((t) => rr(qtype, Buffer.concat([Buffer.from([t.length]), Buffer.from(t)])));
  if (qtype === TYPES.MX) {
    return (rec.MX ?? []).map(([pref, host]) => {
      const p = Buffer.alloc(2);
      p.writeUInt16BE(pref);
      return rr(qtype, Buffer.concat([p, encodeName(host)]));
    });
  }
  return [];
}

let queries: string[] = [];
function respond(msg: Buffer): Buffer | undefined {
  let off = 12;
  const labels: string[] = [];
  while (msg[off] !== 0) {
    const len = msg[off] as number;
    labels.push(msg.subarray(off + 1, off + 1 + len).toString());
    off += len + 1;
  }
  const qtype = msg.readUInt16BE(off + 1);
  const qend = off + 5;
  const name = labels.join('.').toLowerCase();
  queries.push(`${name}/${qtype}`);
  if (name === HANG) return undefined;
  const rec = zone.get(name);
  const rcode = name === SERVFAIL ? 2 : rec ? 0 : 3;
  const ans = answers(rec, qtype);
  const head = Buffer.alloc(12);
  head.writeUInt16BE(msg.readUInt16BE(0), 0);
  head.writeUInt16BE(0x8400 | (msg.readUInt16BE(2) & 0x0100) | rcode, 2); // QR, AA, copy RD
  head.writeUInt16BE(1, 4);
  head.writeUInt16BE(ans.length, 6);
  return Buffer.concat([head, msg.subarray(12, qend), ...ans]);
}

const server = dgram.createSocket('udp4');
server.on('message', (msg, rinfo) => {
  const reply = respond(msg);
  if (reply) server.send(reply, rinfo.port, rinfo.address);
});
let dnsServer = '';

before(async () => {
  await new Promise<void>((r) => server.bind(0, '127.0.0.1', () => r()));
  dnsServer = `127.0.0.1:${server.address().port}`;
});
after(() => server.close());

const probe = (raw: Record<string, unknown>) =>
  dnsProbe.run(dnsProbe.optionsSchema.parse({ server: dnsServer, ...raw }), { signal: new AbortController().signal, timeoutMs: 2000, clock: systemClock });

describeProbe(dnsProbe, async () => ({
  ok: { query_name: 'shop.test', server: dnsServer },
  failing: { query_name: 'nope.test', server: dnsServer },
  hanging: { query_name: HANG, server: dnsServer },
}));

describe('dns probe', () => {
  test('queries the given server and counts the answers', async () => {
    queries = [];
    const r = await probe({ query_name: 'shop.test' });
    assert.equal(r.success, true, r.message);
    assert.equal(r.message, 'shop.test A: 10.0.0.1, 10.0.0.2');
    assert.equal(r.metrics.probe_dns_answer_rrs, 2);
    assert.deepEqual(queries, ['shop.test/1']);
  });

  test('checks expected answers', async () => {
    assert.equal((await probe({ query_name: 'shop.test', expect_answers: ['10.0.0.2'] })).success, true);
    const miss = await probe({ query_name: 'api.shop.test', expect_answers: ['10.0.0.1'] });
    assert.equal(miss.success, false);
    assert.equal(miss.message, 'api.shop.test A has no answer "10.0.0.1" (got 10.0.0.9)');
  });

  test('resolves MX and TXT records', async () => {
    const mx = await probe({ query_name: 'shop.test', record_type: 'mx', expect_answers: ['10 mail.shop.test', 'MAIL.shop.test.'] });
    assert.equal(mx.success, true, mx.message);
    assert.equal(mx.message, 'shop.test MX: 10 mail.shop.test');
    const txt = await probe({ query_name: 'shop.test', record_type: 'TXT', expect_answers: ['v=spf1 -all'] });
    assert.equal(txt.success, true, txt.message);
  });

  test('names NXDOMAIN, no data and SERVFAIL', async () => {
    assert.equal((await probe({ query_name: 'nope.test' })).message, `nope.test not found (NXDOMAIN) (server ${dnsServer})`);
    assert.equal((await probe({ query_name: 'api.shop.test', record_type: 'TXT' })).message, `no TXT records for api.shop.test (server ${dnsServer})`);
    assert.equal((await probe({ query_name: SERVFAIL })).message, `server failure (SERVFAIL) for ${SERVFAIL} (server ${dnsServer})`);
  });

  test('options: record types and server addresses', () => {
    assert.equal(dnsProbe.optionsSchema.parse({ query_name: 'x' }).record_type, 'A');
    assert.equal(dnsProbe.optionsSchema.safeParse({ query_name: 'x', record_type: 'BOGUS' }).success, false);
    assert.equal(dnsProbe.optionsSchema.safeParse({ query_name: 'x', server: '1.1.1.1' }).success, true);
    assert.equal(dnsProbe.optionsSchema.safeParse({ query_name: 'x', server: '[::1]:53' }).success, true);
    const host = dnsProbe.optionsSchema.safeParse({ query_name: 'x', server: 'dns.google:53' });
    assert.equal(host.success, false);
    assert.deepEqual(host.error?.issues[0]?.path, ['server']);
  });
});

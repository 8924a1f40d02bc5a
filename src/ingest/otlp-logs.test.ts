import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { decodeOtlpLogs, encodeOtlpExportResponse, severityLevel } from './otlp-logs.js';
import { IngestError } from './log-ingest.js';
import { ProtoWriter, WireType } from './protobuf.js';

const enc = (s: string) => new TextEncoder().encode(s);

const jsonReq = {
  resourceLogs: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }, { key: 'host.name', value: { stringValue: 'web-1' } }] },
      scopeLogs: [
        {
          scope: { name: 'app.logger', version: '1.0' },
          logRecords: [
            {
              timeUnixNano: '1700000000123456789',
              observedTimeUnixNano: '1700000000999999999',
              severityNumber: 17,
              severityText: 'ERROR',
              body: { stringValue: 'payment failed' },
              attributes: [
                { key: 'http.status_code', value: { intValue: '502' } },
                { key: 'retry', value: { boolValue: true } },
                { key: 'user', value: { kvlistValue: { values: [{ key: 'id', value: { stringValue: 'u1' } }] } } },
              ],
              traceId: '5B8EFFF798038103D269B633813FC60C',
              spanId: 'EEE19B7EC3C1B174',
            },
            { observedTimeUnixNano: '1700000001000000000', body: { kvlistValue: { values: [{ key: 'a', value: { doubleValue: 1.5 } }] } } },
            { body: { arrayValue: { values: [{ stringValue: 'x' }, { intValue: 3 }] } } },
          ],
        },
      ],
    },
  ],
};

describe('decodeOtlpLogs JSON', () => {
  test('maps resource, severity, body, attributes and ids', () => {
    const out = decodeOtlpLogs(enc(JSON.stringify(jsonReq)), 'application/json', undefined, 42_000);
    assert.deepEqual(out[0], {
      labels: { service_name: 'checkout', level: 'error' },
      t: 1700000000123,
      ns: 456789,
      line: 'payment failed',
      fields: {
        host_name: 'web-1',
        scope_name: 'app.logger',
        http_status_code: '502',
        retry: 'true',
        user_id: 'u1',
        severity_text: 'ERROR',
        trace_id: '5b8efff798038103d269b633813fc60c',
        span_id: 'eee19b7ec3c1b174',
      },
    });
    // No time: the observed time; kvlist bodies become JSON.
    assert.equal(out[1]!.t, 1700000001000);
    assert.equal(out[1]!.line, '{"a":1.5}');
    assert.deepEqual(out[1]!.labels, { service_name: 'checkout' });
    // Neither time: now.
    assert.equal(out[2]!.t, 42_000);
    assert.equal(out[2]!.line, '["x",3]');
  });

  test('gzip and errors with paths', () => {
    assert.equal(decodeOtlpLogs(gzipSync(enc(JSON.stringify(jsonReq))), 'application/json', 'gzip').length, 3);
    const bad = structuredClone(jsonReq) as { resourceLogs: { scopeLogs: { logRecords: Record<string, unknown>[] }[] }[] };
    bad.resourceLogs[0]!.scopeLogs[0]!.logRecords[1]!.timeUnixNano = 'yesterday';
    assert.throws(
      () => decodeOtlpLogs(enc(JSON.stringify(bad)), 'application/json'),
      (e: Error) => e instanceof IngestError && e.message === 'resourceLogs[0].scopeLogs[0].logRecords[1].timeUnixNano: expected Unix nanoseconds as a decimal string, got "yesterday"',
    );
    bad.resourceLogs[0]!.scopeLogs[0]!.logRecords[1]!.timeUnixNano = '1';
    bad.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!.traceId = 'xyz';
    assert.throws(() => decodeOtlpLogs(enc(JSON.stringify(bad)), 'application/json'), /logRecords\[0\]\.traceId: expected a hex string/);
    assert.throws(() => decodeOtlpLogs(enc('[1]'), 'application/json'), /expected an ExportLogsServiceRequest object/);
    assert.throws(() => decodeOtlpLogs(enc('{}'), 'text/xml'), /unsupported Content-Type/);
  });

  test('severity bands and text fallback', () => {
    assert.equal(severityLevel(1, ''), 'trace');
    assert.equal(severityLevel(12, ''), 'info');
    assert.equal(severityLevel(13, ''), 'warn');
    assert.equal(severityLevel(24, ''), 'fatal');
    assert.equal(severityLevel(0, 'Warning'), 'warn');
    assert.equal(severityLevel(0, ''), undefined);
  });
});

function fixed64(field: number, ns: bigint): Uint8Array {
  const tag = new ProtoWriter().tag(field, WireType.I64).finish();
  const out = new Uint8Array(tag.length + 8);
  out.set(tag);
  new DataView(out.buffer).setBigUint64(tag.length, ns, true);
  return out;
}
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
};
const kv = (k: string, v: Uint8Array) => new ProtoWriter().string(1, k).bytes(2, v).finish();
const str = (s: string) => new ProtoWriter().string(1, s).finish();

describe('decodeOtlpLogs protobuf', () => {
  test('decodes a hand-built ExportLogsServiceRequest', () => {
    const record = concat(
      fixed64(1, 1700000000123456789n),
      new ProtoWriter()
        .int64(2, 13)
        .string(3, 'WARN')
        .bytes(5, str('disk almost full'))
        .bytes(6, kv('disk.free', new ProtoWriter().int64(3, 12).finish()))
        .bytes(6, kv('ratio', new ProtoWriter().double(4, 0.25).finish()))
        .bytes(9, Uint8Array.from({ length: 16 }, (_, i) => i + 1))
        .bytes(10, new Uint8Array(8))
        .finish(),
      fixed64(11, 1700000000200000000n),
    );
    const resource = new ProtoWriter().bytes(1, kv('service.name', str('disk-agent'))).bytes(1, kv('deployment.environment', str('prod'))).finish();
    const scopeLogs = new ProtoWriter().bytes(1, new ProtoWriter().string(1, 'agent').finish()).bytes(2, record).finish();
    const req = new ProtoWriter().bytes(1, new ProtoWriter().bytes(1, resource).bytes(2, scopeLogs).finish()).finish();
    const out = decodeOtlpLogs(req, 'application/x-protobuf');
    assert.deepEqual(out, [
      {
        labels: { service_name: 'disk-agent', deployment_environment: 'prod', level: 'warn' },
        t: 1700000000123,
        ns: 456789,
        line: 'disk almost full',
        fields: { scope_name: 'agent', disk_free: '12', ratio: '0.25', severity_text: 'WARN', trace_id: '0102030405060708090a0b0c0d0e0f10' },
      },
    ]);
    assert.equal(decodeOtlpLogs(gzipSync(req), 'application/x-protobuf', 'gzip').length, 1);
  });

  test('a truncated body names the record and byte offset', () => {
    const record = concat(new ProtoWriter().string(3, 'INFO').finish(), fixed64(1, 5n).slice(0, 5));
    const scopeLogs = new ProtoWriter().bytes(2, record).finish();
    const req = new ProtoWriter().bytes(1, new ProtoWriter().bytes(2, scopeLogs).finish()).finish();
    assert.throws(() => decodeOtlpLogs(req, 'application/x-protobuf'), (e: Error) => e instanceof IngestError && /^otlp logs: resource_logs\[0\]\.scope_logs\[0\]\.log_records\[0\]: protobuf: truncated fixed64 at byte \d+$/.test(e.message));
  });

  test('export responses', () => {
    assert.deepEqual(encodeOtlpExportResponse('json'), { contentType: 'application/json', body: '{}' });
    assert.equal((encodeOtlpExportResponse('protobuf').body as Uint8Array).length, 0);
    const partial = encodeOtlpExportResponse('protobuf', { rejectedLogRecords: 2, errorMessage: 'bad' }).body as Uint8Array;
    assert.deepEqual([...partial], [0x0a, 7, 0x08, 2, 0x12, 3, 0x62, 0x61, 0x64]);
  });
});

describe('nesting depth', () => {
  // Built as text: JSON.stringify itself overflows on 20,000 levels.
  const nested = (levels: number): string => `${'{"kvlistValue":{"values":[{"key":"k","value":'.repeat(levels)}{"stringValue":"leaf"}${'}]}}'.repeat(levels)}`;
  const request = (body: string, attr: string) =>
    `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1700000000000000000","body":${body},"attributes":[{"key":"a","value":${attr}}]}]}]}]}`;

  test('OTLP/JSON: 99 levels of kvlistValue are stored, 20,000 are refused naming the record', () => {
    const ok = decodeOtlpLogs(Buffer.from(request(nested(99), '{"stringValue":"x"}')), 'application/json');
    assert.equal(ok.length, 1);
    for (const body of [request(nested(20_000), '{"stringValue":"x"}'), request('{"stringValue":"x"}', nested(20_000))]) {
      assert.throws(
        () => decodeOtlpLogs(Buffer.from(body), 'application/json'),
        (e: Error) => e instanceof IngestError && /^otlp logs: resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\]\.(body|attributes).*AnyValue nests deeper than 100 levels/.test(e.message),
      );
    }
  });

  test('OTLP/protobuf: 2,000 levels of kvlist_value are refused with the record and byte offset', () => {
    let v = new ProtoWriter().string(1, 'leaf').finish();
    for (let i = 0; i < 2_000; i++) {
      const kv = new ProtoWriter().string(1, 'k').bytes(2, v).finish();
      v = new ProtoWriter().bytes(6, new ProtoWriter().bytes(1, kv).finish()).finish();
    }
    const rec = new ProtoWriter().bytes(5, v).finish();
    const req = new ProtoWriter().bytes(1, new ProtoWriter().bytes(2, new ProtoWriter().bytes(2, rec).finish()).finish()).finish();
    assert.throws(
      () => decodeOtlpLogs(req, 'application/x-protobuf'),
      (e: Error) => e instanceof IngestError && /^otlp logs: resource_logs\[0\]\.scope_logs\[0\]\.log_records\[0\]: protobuf: AnyValue nests deeper than 100 levels .* at byte \d+$/.test(e.message),
    );
  });
});

// Decodes what the real OpenTelemetry JS SDK sends: OTLPLogExporter (OTLP/HTTP JSON) over a
// real local HTTP server, and the SDK's own protobuf serializer for the binary encoding.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { BatchLogRecordProcessor, InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { decodeOtlpLogs, encodeOtlpExportResponse } from './otlp-logs.js';
import type { LogInput } from '../logs/index.js';

const resource = resourceFromAttributes({ 'service.name': 'billing', 'service.version': '2.1.0' });
const T0 = 1_767_225_600_123; // 2026-01-01T00:00:00.123Z

function emit(provider: LoggerProvider): void {
  const logger = provider.getLogger('billing.jobs', '1.0.0');
  logger.emit({ timestamp: T0, severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', body: 'invoice run failed', attributes: { 'job.id': 'j-7', attempt: 3 } });
  logger.emit({ timestamp: T0 + 1, severityNumber: SeverityNumber.INFO, body: { event: 'started', n: 2 } });
}

function check(out: LogInput[]): void {
  assert.equal(out.length, 2);
  const [a, b] = out as [LogInput, LogInput];
  assert.deepEqual(a.labels, { service_name: 'billing', level: 'error' });
  assert.equal(a.t, T0);
  assert.equal(a.line, 'invoice run failed');
  assert.equal(a.fields?.job_id, 'j-7');
  assert.equal(a.fields?.attempt, '3');
  assert.equal(a.fields?.scope_name, 'billing.jobs');
  assert.equal(a.fields?.service_version, '2.1.0');
  assert.equal(a.fields?.severity_text, 'ERROR');
  assert.deepEqual(b.labels, { service_name: 'billing', level: 'info' });
  assert.equal(b.t, T0 + 1);
  assert.deepEqual(JSON.parse(b.line), { event: 'started', n: 2 });
}

describe('OpenTelemetry JS SDK', () => {
  test('OTLPLogExporter (OTLP/HTTP JSON) is decoded', async () => {
    const received: { type?: string; encoding?: string; body: Buffer }[] = [];
    const server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        received.push({ type: req.headers['content-type'], encoding: req.headers['content-encoding'], body: Buffer.concat(parts) });
        const r = encodeOtlpExportResponse('json');
        res.writeHead(200, { 'content-type': r.contentType }).end(r.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const exporter = new OTLPLogExporter({ url: `http://127.0.0.1:${port}/v1/logs` });
      const provider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter })] });
      emit(provider);
      await provider.forceFlush();
      await provider.shutdown();
      assert.ok(received.length >= 1, 'the exporter sent at least one request');
      const out = received.flatMap((r) => decodeOtlpLogs(new Uint8Array(r.body), r.type, r.encoding));
      assert.match(received[0]!.type ?? '', /^application\/json/);
      check(out);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  test('the SDK protobuf serializer output is decoded', async () => {
    const memory = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
    emit(provider);
    await provider.forceFlush();
    const bytes = ProtobufLogsSerializer.serializeRequest(memory.getFinishedLogRecords());
    assert.ok(bytes && bytes.length > 0);
    check(decodeOtlpLogs(bytes, 'application/x-protobuf'));
    await provider.shutdown();
  });
});

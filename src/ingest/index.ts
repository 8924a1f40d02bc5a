export { handleRemoteWrite, decodeWriteRequest, encodeWriteRequest, ingestWriteRequest, BadRequestError } from './remote-write.js';
export { RemoteWriteQueue } from './remote-write-out.js';
export { PrometheusQueryable } from './prometheus-querier.js';
export { snappyEncode, snappyDecode, SnappyError } from './snappy.js';
export { decodeLokiPush } from './loki-push.js';
export { decodeOtlpLogs, encodeOtlpExportResponse } from './otlp-logs.js';
export { decodeNdjson } from './ndjson.js';
export { LogIngestor, OverloadedError, IngestError, mediaType } from './log-ingest.js';
export type { LogIngestorOptions } from './log-ingest.js';

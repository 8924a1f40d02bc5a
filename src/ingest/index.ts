export { handleRemoteWrite, decodeWriteRequest, encodeWriteRequest, ingestWriteRequest, BadRequestError } from './remote-write.js';
export { RemoteWriteQueue } from './remote-write-out.js';
export { PrometheusQueryable } from './prometheus-querier.js';
export { snappyEncode, snappyDecode, SnappyError } from './snappy.js';

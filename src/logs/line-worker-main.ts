/**
 * Worker-thread entry of WorkerLineProcessor (line-worker.ts): one LineProcessor, driven by
 * request messages `{ id, op, arg }`, answering `{ id, ok, value }` or `{ id, ok: false, error }`.
 * Requests are handled one at a time in arrival order, so batches are mined in the order sent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LineProcessor } from './line-processor.js';
import type { LineProcessorOptions } from './line-processor.js';
import { runOp, type WorkerRequest } from './line-worker-protocol.js';
import { systemClock } from '../model/clock.js';
import { collectWhenIdle, WORKER_MIN_GROWTH_BYTES } from '../model/idle-collector.js';

const port = parentPort;
if (!port) throw new Error('line-worker-main.ts must run in a worker thread');
const processor = new LineProcessor(workerData as LineProcessorOptions);
// What a burst of log batches left in this isolate's heap is given back when it ends (see IdleCollector).
collectWhenIdle(systemClock, { minGrowthBytes: WORKER_MIN_GROWTH_BYTES });

port.on('message', (req: WorkerRequest) => {
  try {
    port.postMessage({ id: req.id, ok: true, value: runOp(processor, req.op, req.arg) });
  } catch (e) {
    port.postMessage({ id: req.id, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
});

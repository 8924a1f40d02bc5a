/**
 * Worker-thread entry of WorkerLineProcessor (line-worker.ts): one LineProcessor, driven by
 * request messages `{ id, op, arg }`, answering `{ id, ok, value }` or `{ id, ok: false, error }`.
 * Requests are handled one at a time in arrival order, so batches are mined in the order sent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LineProcessor } from './line-processor.js';
import type { LineProcessorOptions } from './line-processor.js';
import type { LogInput } from './types.js';
import { processPacked, type WorkerRequest } from './line-worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('line-worker-main.ts must run in a worker thread');
const processor = new LineProcessor(workerData as LineProcessorOptions);

port.on('message', (req: WorkerRequest) => {
  try {
    let value: unknown;
    switch (req.op) {
      case 'process':
        value = processPacked(processor, req.arg as LogInput[]);
        break;
      case 'patterns':
        value = processor.patterns(req.arg as string | undefined);
        break;
      case 'snapshot':
        value = processor.snapshot();
        break;
      case 'restore':
        processor.restore(req.arg as Record<string, unknown>);
        value = null;
        break;
      default:
        throw new Error(`unknown request ${JSON.stringify((req as { op: unknown }).op)}`);
    }
    port.postMessage({ id: req.id, ok: true, value });
  } catch (e) {
    port.postMessage({ id: req.id, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
});

/**
 * Worker-thread entry of RemoteWriteReceiver (remote-write-receiver.ts): one RemoteWriteDecoder,
 * driven by `{ id, body }` messages, answering `{ id, batch }` (its typed arrays transferred)
 * or `{ id, bad }` (a BadRequestError's message) or `{ id, error }`; `{ recycle }` gives a
 * stored batch's ts/values buffers back for the next batches. Messages are handled one
 * at a time in arrival order, which the decoder's numbering relies on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LabelLimits } from '../model/label-limits.js';
import { BadRequestError, RemoteWriteDecoder } from './remote-write-decode.js';
import { systemClock } from '../model/clock.js';
import { collectWhenIdle, WORKER_MIN_GROWTH_BYTES } from '../model/idle-collector.js';

const port = parentPort;
if (!port) throw new Error('remote-write-worker-main.ts must run in a worker thread');
const data = workerData as { maxLabelSets?: number; labelLimits?: LabelLimits } | undefined;
const decoder = new RemoteWriteDecoder(data?.maxLabelSets, data?.labelLimits);
// This isolate's heap grows with the bodies it decodes (young generation, dead body and
// column buffers); between bursts it gives that back (see IdleCollector).
collectWhenIdle(systemClock, { minGrowthBytes: WORKER_MIN_GROWTH_BYTES });

port.on('message', (req: { id: number; body: Uint8Array } | { recycle: ArrayBuffer[] }) => {
  if ('recycle' in req) return decoder.recycle(req.recycle);
  try {
    const b = decoder.decode(req.body);
    const transfer = [b.series, b.sampleEnd, b.ts, b.values, b.newIds, b.newSizes, b.newLabels].flatMap((a) => (ArrayBuffer.isView(a) ? [a.buffer as ArrayBuffer] : []));
    port.postMessage({ id: req.id, batch: b }, transfer);
  } catch (e) {
    if (e instanceof BadRequestError) port.postMessage({ id: req.id, bad: e.message });
    else port.postMessage({ id: req.id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
});

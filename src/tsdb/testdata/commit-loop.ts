// Child process for the WAL durability test: commits batches forever, printing
// "committed <n>" after each commit resolves, until the parent SIGKILLs it.
// Optional second argument: walSyncIntervalMs (interval sync mode).
import { staleNaN } from '../../model/sample.js';
import { Tsdb } from '../index.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: commit-loop.ts <dir> [walSyncIntervalMs]');
const db = await Tsdb.open(dir, { compactIntervalMs: 0, walSyncIntervalMs: Number(process.argv[3] ?? 0) });
for (let batch = 1; ; batch++) {
  const app = db.appender();
  for (let s = 0; s < 50; s++) {
    const v = s === 0 && batch % 2 === 0 ? staleNaN() : batch * 1000 + s;
    app.append({ __name__: 'durable', series: String(s) }, batch * 15_000, v);
  }
  await app.commit();
  process.stdout.write(`committed ${batch}\n`);
  await new Promise((r) => setImmediate(r));
}

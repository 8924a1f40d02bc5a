// Fixture for the WAL durability test: appends lines, prints "ok" once every append()
// resolved, then hangs until the parent SIGKILLs it (no close(), no checkpoint).
import { LogStore } from '../log-store.js';

const dir = process.argv[2]!;
const n = Number(process.argv[3] ?? '500');
const store = await LogStore.open(dir, { chunkBytes: 4096 });
for (let i = 0; i < n; i += 50) {
  const batch = [];
  for (let j = i; j < Math.min(n, i + 50); j++) {
    batch.push({ labels: { job: j % 2 ? 'odd' : 'even' }, t: 1_700_000_000_000 + j, line: `line ${j} password=hunter${j}` });
  }
  await store.append(batch);
}
process.stdout.write('ok\n');
setInterval(() => {}, 1000);

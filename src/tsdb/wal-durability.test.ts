import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { newMatcher } from '../model/matcher.js';
import { isStaleNaN } from '../model/sample.js';
import { Tsdb } from './index.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'vigil-tsdb-'));
  dirs.push(d);
  return d;
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const all = [newMatcher('=', '__name__', 'durable')];

describe('wal durability', () => {
  // Interval mode with an interval longer than the test: nothing is fdatasynced before the
  // kill, and acknowledged samples must still be there (the kernel has them).
  for (const syncMs of [0, 600_000]) {
    test(`every sample acknowledged before SIGKILL is there after reopening (${syncMs ? 'interval sync mode' : 'fdatasync per commit'})`, async () => {
      const dir = await tempDir();
      const script = fileURLToPath(new URL('./testdata/commit-loop.ts', import.meta.url));
      const child = spawn(process.execPath, ['--import', 'tsx', script, dir, String(syncMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let acked = 0;
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      await new Promise<void>((resolve, reject) => {
        let buf = '';
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          for (const m of buf.matchAll(/committed (\d+)\n/g)) acked = Number(m[1]);
          if (acked >= 5 && child.exitCode === null && !child.killed) {
            child.kill('SIGKILL');
            resolve();
          }
        });
        child.on('exit', () => reject(new Error(`child exited before it was killed (acked ${acked})`)));
      }).catch((e: unknown) => {
        if (!child.killed) throw e;
      });
      assert.equal(await exited, 'SIGKILL');
      const db = await Tsdb.open(dir, { compactIntervalMs: 0 });
      try {
        const q = await db.querier(0, Number.MAX_SAFE_INTEGER);
        const series = await q.select(all, { start: 0, end: Number.MAX_SAFE_INTEGER });
        q.close();
        assert.equal(series.length, 50);
        for (const s of series) {
          const idx = Number(s.labels['series']);
          assert.ok(s.timestamps.length >= acked, `series ${idx} has ${s.timestamps.length} samples, ${acked} acknowledged`);
          for (let b = 1; b <= acked; b++) {
            assert.equal(s.timestamps[b - 1], b * 15_000);
            const v = s.values[b - 1] as number;
            if (idx === 0 && b % 2 === 0) assert.ok(isStaleNaN(v), `batch ${b} stale marker kept its bit pattern`);
            else assert.equal(v, b * 1000 + idx);
          }
        }
      } finally {
        await db.close();
      }
    });
  }

  test('a torn record at the WAL tail is truncated with a warning, earlier commits survive', async () => {
    const dir = await tempDir();
    const first = await Tsdb.open(dir, { compactIntervalMs: 0 });
    for (let b = 1; b <= 3; b++) {
      const app = first.appender();
      app.append({ __name__: 'durable', series: 'x' }, b * 1000, b);
      await app.commit();
    }
    // Simulate a crash mid-write: the first instance is abandoned (never closed) and the last
    // record loses its final bytes.
    const walDir = join(dir, 'wal');
    const segs = (await readdir(walDir)).filter((n) => /^\d{8}$/.test(n)).sort();
    const last = join(walDir, segs[segs.length - 1] as string);
    await truncate(last, (await stat(last)).size - 3);
    const warnings: string[] = [];
    const db = await Tsdb.open(dir, { compactIntervalMs: 0, logger: { warn: (m) => warnings.push(m) } });
    try {
      const q = await db.querier(0, 10_000);
      const [s] = await q.select(all, { start: 0, end: 10_000 });
      q.close();
      assert.deepEqual(Array.from(s?.timestamps ?? []), [1000, 2000]);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] as string, /runs past the end of the file.*truncating/);
      // The log continues after the repair: new commits land and survive another reopen.
      const app = db.appender();
      app.append({ __name__: 'durable', series: 'x' }, 3000, 30);
      await app.commit();
    } finally {
      await db.close();
    }
    const again = await Tsdb.open(dir, { compactIntervalMs: 0 });
    const q = await again.querier(0, 10_000);
    const [s] = await q.select(all, { start: 0, end: 10_000 });
    q.close();
    assert.deepEqual(Array.from(s?.values ?? []), [1, 2, 30]);
    await again.close();
  });
});

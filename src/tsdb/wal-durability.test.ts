import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, open, readdir, readFile, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { newMatcher } from '../model/matcher.js';
import { isStaleNaN } from '../model/sample.js';
import { Tsdb } from './index.js';
import { parseRecords } from './wal-records.js';

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

  /** Three commits of one sample each into a Tsdb that is then abandoned, as in a crash. */
  async function crashedAfterThreeCommits(): Promise<{ dir: string; segment: string; logical: number }> {
    const dir = await tempDir();
    const first = await Tsdb.open(dir, { compactIntervalMs: 0 });
    for (let b = 1; b <= 3; b++) {
      const app = first.appender();
      app.append({ __name__: 'durable', series: 'x' }, b * 1000, b);
      await app.commit();
    }
    const walDir = join(dir, 'wal');
    const segs = (await readdir(walDir)).filter((n) => /^\d{8}$/.test(n)).sort();
    const segment = join(walDir, segs[segs.length - 1] as string);
    const bytes = await readFile(segment);
    const parsed = parseRecords(bytes);
    assert.equal(parsed.problem, undefined);
    assert.equal(parsed.records.length, 4, 'one series record and three samples records');
    // The segment is zero-filled ahead of its records (so fdatasync need not journal its size).
    assert.ok(bytes.length >= parsed.goodUntil + 512 * 1024, `segment of ${bytes.length} bytes, ${parsed.goodUntil} of records`);
    return { dir, segment, logical: parsed.goodUntil };
  }

  async function valuesAfterReopen(dir: string, warnings: string[]): Promise<{ db: Tsdb; values: number[] }> {
    const db = await Tsdb.open(dir, { compactIntervalMs: 0, logger: { warn: (m) => warnings.push(m) } });
    const q = await db.querier(0, 10_000);
    const [s] = await q.select(all, { start: 0, end: 10_000 });
    q.close();
    return { db, values: Array.from(s?.values ?? []) };
  }

  test('a crash leaves zeros after the last record: replay reads every record, warns of nothing and trims the segment', async () => {
    const { dir, segment, logical } = await crashedAfterThreeCommits();
    const warnings: string[] = [];
    const { db, values } = await valuesAfterReopen(dir, warnings);
    try {
      assert.deepEqual(values, [1, 2, 3]);
      assert.deepEqual(warnings, []);
      assert.equal((await stat(segment)).size, logical);
    } finally {
      await db.close();
    }
  });

  for (const tear of ['cut short', 'zeros where its last bytes should be'] as const) {
    test(`a torn record at the WAL tail (${tear}) is truncated with a warning, earlier commits survive`, async () => {
      const { dir, segment, logical } = await crashedAfterThreeCommits();
      // The last record loses its final bytes: the file ends early, or (inside the zero-filled
      // space) those sectors never reached the disk.
      if (tear === 'cut short') await truncate(segment, logical - 3);
      else {
        const h = await open(segment, 'r+');
        await h.write(new Uint8Array(3), 0, 3, logical - 3);
        await h.close();
      }
      const warnings: string[] = [];
      const { db, values } = await valuesAfterReopen(dir, warnings);
      try {
        assert.deepEqual(values, [1, 2]);
        assert.equal(warnings.length, 1);
        assert.match(warnings[0] as string, tear === 'cut short' ? /runs past the end of the file.*truncating/ : /checksum mismatch.*truncating/);
        // The log continues after the repair: new commits land and survive another reopen.
        const app = db.appender();
        app.append({ __name__: 'durable', series: 'x' }, 3000, 30);
        await app.commit();
      } finally {
        await db.close();
      }
      const again = await valuesAfterReopen(dir, []);
      assert.deepEqual(again.values, [1, 2, 30]);
      await again.db.close();
    });
  }
});

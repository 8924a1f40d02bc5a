import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wal, type WalRow } from '../../src/logs/store/wal.js';
import { freePort } from '../helpers/services.js';
import { startServer } from '../helpers/vigil-process.js';

// Issue 15, defect 3: a log WAL segment of 100k+ entries made `vigil server` die at start with
// "Maximum call stack size exceeded" (the whole segment was spread into Array.push; V8 gives
// out somewhere past ~120k arguments). Here a crash left 250k entries in one segment, written
// with the store's own WAL writer (pushing them over HTTP would take most of a minute); the
// server must start on it, then survive a SIGKILL after more acknowledged lines.
const SEEDED = 250_000;
const PER_RECORD = 50_000;
const PUSHED = 2_000;

async function countLines(url: string, now: number): Promise<number> {
  const q = new URLSearchParams({ query: 'sum(count_over_time({job="walreplay"}[1h]))', time: String(now / 1000 + 1) });
  const r = await fetch(`${url}/loki/api/v1/query`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: q });
  const body = (await r.json()) as { data: { result: Array<{ value: [number, string] }> } };
  assert.equal(r.status, 200, JSON.stringify(body));
  return Number(body.data.result[0]?.value[1] ?? 0);
}

test('a log WAL segment larger than any call could spread replays at start, and again after SIGKILL', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-walreplay-'));
  const walDir = join(dir, 'data', 'logs', 'wal');
  mkdirSync(walDir, { recursive: true });
  const now = Date.now();
  const wal = await Wal.open(walDir);
  const labels = Array.from({ length: 10 }, (_, i) => ({ job: 'walreplay', shard: String(i) }));
  for (let seq = 1; seq <= SEEDED; ) {
    const rows: WalRow[] = [];
    for (let i = 0; i < PER_RECORD; i++, seq++) rows.push([seq % 10, now - 60_000 + (seq % 60_000), 0, seq, `GET /api/items/${seq} 200 ${seq % 977}ms`]);
    await wal.append(labels, rows);
  }
  await wal.close(); // no checkpoint, no index: what a killed server leaves
  const segment = readdirSync(walDir).map((f) => statSync(join(walDir, f)).size);
  assert.ok(segment.some((b) => b > 10 * 1024 * 1024), `one segment holds them all (${segment.join(', ')} bytes)`);

  const port = await freePort();
  writeFileSync(join(dir, 'vigil.yml'), 'logs: {}\n');
  const args = ['--config', join(dir, 'vigil.yml'), '--data-dir', join(dir, 'data')];
  let server = await startServer(args, port);
  try {
    assert.equal(await countLines(server.url, now), SEEDED, 'every line of the WAL is back');
    let body = '';
    for (let i = 0; i < PUSHED; i++) body += `{"ts":${now - 1000},"labels":{"job":"walreplay","shard":"x"},"line":"pushed ${i}"}\n`;
    const r = await fetch(`${server.url}/api/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
    assert.equal(r.status, 200, await r.text());
    await server.stop('SIGKILL');
    server = await startServer(args, port);
    assert.equal(await countLines(server.url, now), SEEDED + PUSHED, 'acknowledged lines survive SIGKILL and restart');
  } finally {
    await server.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

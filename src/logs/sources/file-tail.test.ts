import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../model/clock.js';
import type { LogInput } from '../types.js';
import { fileSourcesSchema } from './config.js';
import type { FileSourceConfig } from './config.js';
import { FileSource, JsonPositionStore } from './file-tail.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-tail-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function setup(glob: string, extra: Partial<FileSourceConfig> = {}) {
  const clock = new FakeClock();
  const got: LogInput[] = [];
  const positions = new JsonPositionStore(join(dir, 'positions.json'));
  const [source] = fileSourcesSchema.parse([{ name: 'app', paths: [join(dir, glob)], labels: { service: 'shop' }, poll_interval: '1s', ...extra }]);
  let fail = false;
  const make = () =>
    new FileSource({
      sources: [source!],
      positions,
      clock,
      sink: async (inputs) => {
        if (fail) throw new Error('store down');
        got.push(...inputs);
      },
    });
  return { clock, got, positions, make, setFail: (f: boolean) => (fail = f), lines: () => got.map((g) => g.line) };
}

describe('FileSource', () => {
  test('reads appended lines and holds a partial line until its newline', async () => {
    const s = setup('*.log');
    const path = join(dir, 'app.log');
    await writeFile(path, 'one\r\ntwo\n\npar');
    const src = s.make();
    await src.poll();
    assert.deepEqual(s.lines(), ['one', 'two']);
    assert.deepEqual(s.got[0]!.labels, { job: 'app', service: 'shop', filename: path });
    await appendFile(path, 'tial\nthree\n');
    await src.poll();
    assert.deepEqual(s.lines(), ['one', 'two', 'partial', 'three']);
    const saved = JSON.parse(await readFile(join(dir, 'positions.json'), 'utf8'));
    assert.equal(Object.values<{ offset: number }>(saved.positions)[0]!.offset, 'one\r\ntwo\n\npartial\nthree\n'.length);
    await src.stop();
  });

  test('polls on the injected clock', async () => {
    const s = setup('*.log');
    const path = join(dir, 'app.log');
    await writeFile(path, 'a\n');
    const src = s.make();
    await src.start();
    assert.deepEqual(s.lines(), ['a']);
    assert.equal(s.clock.pendingTimers(), 1);
    await appendFile(path, 'b\n');
    await s.clock.advance(999);
    assert.deepEqual(s.lines(), ['a'], 'the timer has not fired yet');
    await src.poll();
    assert.deepEqual(s.lines(), ['a', 'b']);
    await appendFile(path, 'c\n');
    await s.clock.advance(1000);
    for (let i = 0; i < 100 && s.lines().length < 3; i++) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(s.lines(), ['a', 'b', 'c']);
    await src.stop();
    assert.equal(s.clock.pendingTimers(), 0);
  });

  test('rotation: finishes the old inode (including a final partial line), then reads the new file from 0', async () => {
    const s = setup('app.log');
    const path = join(dir, 'app.log');
    await writeFile(path, '1\n2\n');
    const src = s.make();
    await src.poll();
    await rename(path, join(dir, 'app.log.1'));
    await appendFile(join(dir, 'app.log.1'), '3\nlast-without-newline');
    await writeFile(path, 'new-1\n');
    await src.poll();
    assert.deepEqual(s.lines(), ['1', '2', '3', 'new-1']);
    assert.equal(src.files().length, 2);
    await src.poll(); // the old file stopped growing: its last line is complete
    assert.deepEqual(s.lines(), ['1', '2', '3', 'new-1', 'last-without-newline']);
    assert.deepEqual(src.files().map((f) => f.rotated), [false]);
    await appendFile(path, 'new-2\n');
    await src.poll();
    assert.deepEqual(s.lines().slice(-1), ['new-2']);
    await src.stop();
  });

  test('truncation restarts from the beginning', async () => {
    const s = setup('*.log');
    const path = join(dir, 'app.log');
    await writeFile(path, 'aaaa\nbbbb\n');
    const src = s.make();
    await src.poll();
    await truncate(path, 0);
    await appendFile(path, 'c\n');
    await src.poll();
    assert.deepEqual(s.lines(), ['aaaa', 'bbbb', 'c']);
    await src.stop();
  });

  test('resumes after a restart without skipping or repeating; a failing sink does not advance', async () => {
    const s = setup('*.log');
    const path = join(dir, 'app.log');
    await writeFile(path, 'a\nb\n');
    const first = s.make();
    await first.poll();
    await first.stop();
    await appendFile(path, 'c\n');
    const second = s.make();
    s.setFail(true);
    await second.poll();
    assert.deepEqual(s.lines(), ['a', 'b']);
    await second.stop();
    await appendFile(path, 'd\n');
    const third = s.make();
    s.setFail(false);
    await third.poll();
    assert.deepEqual(s.lines(), ['a', 'b', 'c', 'd']);
    await third.stop();
  });

  test('times come from the line when the format has one', async () => {
    const s = setup('*.log', { format: 'json' });
    await writeFile(join(dir, 'x.log'), '{"ts":"2025-06-01T10:00:00Z","level":"error","msg":"boom"}\nnot json\n');
    const src = s.make();
    await src.poll();
    assert.equal(s.got[0]!.t, Date.UTC(2025, 5, 1, 10));
    assert.equal(s.got[0]!.fields?.level, 'error');
    assert.equal(s.got[1]!.t, s.clock.now());
    await src.stop();
  });
});

describe('fileSourcesSchema', () => {
  test('defaults and errors with paths', () => {
    const [cfg] = fileSourcesSchema.parse([{ name: 'a', paths: ['/var/log/*.log'] }]);
    assert.deepEqual(cfg, { name: 'a', paths: ['/var/log/*.log'], labels: {}, format: 'auto', poll_interval: 1000 });
    const r = fileSourcesSchema.safeParse([
      { name: 'a', paths: ['rel/*.log'], format: 'pattern', bogus: 1 },
      { name: 'a', paths: [], poll_interval: 'soon' },
    ]);
    assert.equal(r.success, false);
    const msgs = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    assert.ok(msgs.some((m) => m.startsWith('0: Unrecognized key') || /bogus/.test(m)), msgs.join('\n'));
    assert.ok(msgs.some((m) => m === '0.paths.0: paths must be absolute'), msgs.join('\n'));
    assert.ok(msgs.some((m) => m === '1.paths: list at least one path or glob'), msgs.join('\n'));
    assert.ok(msgs.some((m) => /^1\.poll_interval: expected a duration/.test(m)), msgs.join('\n'));
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logsPatternsCommand } from './logs-patterns.js';
import { UsageError } from './command.js';
import type { CliIO } from './command.js';

function capture(): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {} },
    out: () => out,
    err: () => err,
  };
}

const FORMAT = '<Date> <Time> <Pid> <Level> <Component>: <Content>';
const LOG = [
  '081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating',
  '081109 203807 222 INFO dfs.DataNode$PacketResponder: PacketResponder 0 for block blk_-6952295868487656571 terminating',
  '081109 204005 35 INFO dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: blockMap updated: 10.251.73.220:50010 is added to blk_7128370237687728475 size 67108864',
  'this line has no header at all',
  '081109 204015 308 INFO dfs.DataNode$PacketResponder: PacketResponder 2 for block blk_8229193803249955061 terminating',
].join('\n');

describe('vigil logs patterns', () => {
  let dir = '';
  let file = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-patterns-'));
    file = join(dir, 'hdfs.log');
    await writeFile(file, `${LOG}\n`);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('--jsonl prints one object per input line, in order, with final templates', async () => {
    const c = capture();
    const code = await logsPatternsCommand.run([file, '--log-format', FORMAT, '--jsonl'], c.io);
    assert.equal(code, 0);
    const rows = c.out().trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(rows.map((r) => r.line), [1, 2, 3, 4, 5]);
    for (const r of rows) assert.deepEqual(Object.keys(r), ['line', 'pattern', 'template']);
    assert.equal(rows[0].template, 'PacketResponder <*> for block <*> terminating');
    assert.equal(rows[0].pattern, rows[1].pattern);
    assert.equal(rows[0].pattern, rows[4].pattern);
    assert.equal(rows[2].template, 'BLOCK* NameSystem.addStoredBlock: blockMap updated: <*> is added to <*> size <*>');
    assert.equal(rows[3].template, 'this line has no header at all', 'an unmatched line is mined whole');
    assert.match(c.err(), /hdfs\.log:4: line does not match --log-format; mining the whole line/);
  });

  test('without --log-format the message is mined: after a timestamp/level header, the msg of JSON and logfmt lines', async () => {
    const c = capture();
    assert.equal(await logsPatternsCommand.run([file, '--jsonl'], c.io), 0);
    const first = JSON.parse(c.out().split('\n')[0] as string);
    assert.equal(first.template, 'dfs.DataNode$PacketResponder: PacketResponder <*> for block <*> terminating');
    assert.equal(c.err(), '');

    const structured = join(dir, 'app.log');
    await writeFile(
      structured,
      [
        '{"ts":"2024-05-01T10:00:00Z","level":"info","msg":"user logged in","user":"bob","request_id":"r1"}',
        '{"ts":"2024-05-01T10:00:01Z","level":"warn","msg":"user logged in","user":"alice","request_id":"r2","extra":{"n":1}}',
        'time=2024-05-01T10:00:02Z level=info msg="cache miss for key users:42" took=3ms',
        'time=2024-05-01T10:00:03Z level=error msg="cache miss for key users:7" took=12ms caller=db.go:10',
        // No message field: the free text is found, else the keys identify the event.
        '{"time":"2024-05-01T10:00:04Z","event_name":"job","detail":"worker finished the nightly export"}',
        '{"time":"2024-05-01T10:00:05Z","method":"GET","status":"200"}',
        '{"time":"2024-05-01T10:00:06Z","method":"POST","status":"201"}',
      ].join('\n'),
    );
    const d = capture();
    assert.equal(await logsPatternsCommand.run([structured, '--jsonl'], d.io), 0);
    const rows = d.out().trimEnd().split('\n').map((l) => JSON.parse(l) as { pattern: string; template: string });
    assert.deepEqual(
      rows.map((r) => r.template),
      [
        'user logged in',
        'user logged in',
        'cache miss for key users:<*>',
        'cache miss for key users:<*>',
        'worker finished the nightly export',
        'method=<*> status=<*>',
        'method=<*> status=<*>',
      ],
    );
    assert.equal(rows[0]!.pattern, rows[1]!.pattern, 'other fields (level, user, extra keys) do not split the message');
  });

  test('without --jsonl prints a table of patterns by count', async () => {
    const c = capture();
    assert.equal(await logsPatternsCommand.run([file, `--log-format=${FORMAT}`], c.io), 0);
    const lines = c.out().trimEnd().split('\n');
    assert.match(lines[0] as string, /^COUNT\s+PATTERN\s+TEMPLATE$/);
    assert.match(lines[1] as string, /^\s*3\s+[0-9a-f]{12}\s+PacketResponder <\*> for block <\*> terminating$/);
    assert.equal(lines[lines.length - 1], '3 patterns in 5 lines');
  });

  test('a missing file is a clear error, exit 1', async () => {
    const c = capture();
    const code = await logsPatternsCommand.run([join(dir, 'nope.log'), '--jsonl'], c.io);
    assert.equal(code, 1);
    assert.match(c.err(), /cannot read .*nope\.log: no such file/);
    assert.equal(c.out(), '');
  });

  test('usage problems throw UsageError', async () => {
    const c = capture();
    await assert.rejects(logsPatternsCommand.run([], c.io), (e: unknown) => e instanceof UsageError && /missing FILE/.test(e.message));
    await assert.rejects(logsPatternsCommand.run([file, '--bogus'], c.io), UsageError);
    await assert.rejects(logsPatternsCommand.run([file, '--log-format', '<Date> <Time>'], c.io), /--log-format: .*no <Content> field/);
    await assert.rejects(logsPatternsCommand.run([file, '--log-format', '<Content> ('], c.io), /--log-format: .*not a valid pattern/);
  });
});

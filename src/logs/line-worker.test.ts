import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InlineLineProcessor, LineWorkerError, WorkerLineProcessor } from './line-worker.js';
import { Redactor } from './redact.js';
import type { LogInput } from './types.js';

const T = 1_700_000_000_000;
const redactor = new Redactor({ rules: [{ name: 'tenant', regex: 'tenant-[0-9]+', replacement: 'tenant-X' }] });

function batch(n: number, from = 0): LogInput[] {
  const labels: Array<Record<string, string>> = [{ service: 'api' }, { job: 'sshd' }, { service: 'web', level: 'warn' }];
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    let line =
      i % 3 === 0
        ? JSON.stringify({ level: i % 7 ? 'info' : 'error', msg: `request ${i} for tenant-${i % 5} took ${i % 90} ms`, request_id: `r${i}`, password: `pw${i}` })
        : i % 3 === 1
          ? `Failed password for invalid user u${i % 4} from 10.0.0.${i % 9} port ${4000 + i} ssh2`
          : `level=warn msg="cache miss" key=k${i} authorization="Bearer abc${i}"`;
    // Lines whose message is their tail (it crosses back as an offset): syslog, a plain header.
    if (i % 5 === 4) line = `<134>1 2024-10-11T22:14:15.003Z host app ${i} - - syslog message ${i} for tenant-${i % 5}`;
    else if (i % 10 === 3) line = `2024-10-11 22:14:15 WARN plain line with a header ${i}`;
    return i % 4 === 0 ? { labels: labels[i % 3]!, t: T + i, ns: i % 1000, line, fields: { pod: `p${i % 2}` } } : { labels: labels[i % 3]!, t: T + i, line };
  });
}

describe('WorkerLineProcessor', () => {
  test('gives exactly the results of the same processing in this thread, batch after batch', async (t) => {
    const w = new WorkerLineProcessor({ redactor });
    t.after(() => w.close());
    const inline = new InlineLineProcessor({ redactor });
    assert.equal(w.threaded, true);
    for (const from of [0, 500, 1000]) {
      const input = batch(500, from);
      const [a, b] = await Promise.all([w.process(input), inline.process(input)]);
      assert.deepEqual(a, b);
      // Label objects are the caller's own, not copies (the store keys streams by them).
      assert.ok(a.inputs.every((x, i) => x.labels === input[i]!.labels));
    }
    const [pa, pb] = await Promise.all([w.patterns(), inline.patterns()]);
    assert.deepEqual(pa, pb);
    assert.ok(pa.length > 0);
    const out = await w.process(batch(3));
    assert.ok(out.inputs.every((x) => !/pw\d|abc\d|tenant-\d/.test(x.line + JSON.stringify(x.fields ?? {}))), 'redacted in the worker');
  });

  test('snapshot and restore through the worker keep pattern ids', async (t) => {
    const a = new WorkerLineProcessor({});
    const b = new WorkerLineProcessor({});
    t.after(async () => {
      await a.close();
      await b.close();
    });
    await a.process(batch(60));
    await b.restore(await a.snapshot());
    const [fromA, fromB] = await Promise.all([a.process(batch(60, 60)), b.process(batch(60, 60))]);
    assert.deepEqual(fromB.meta.map((m) => m.patternId), fromA.meta.map((m) => m.patternId));
    await assert.rejects(b.restore({ api: { bogus: 1 } }), LineWorkerError);
    assert.equal((await b.patterns()).reduce((n, p) => n + p.count, 0), 120, 'a failed restore changes nothing');
  });

  test('a dead worker fails what was in flight, reports it, and the next batch starts a new one', async (t) => {
    const errors: Error[] = [];
    const w = new WorkerLineProcessor({}, (e) => errors.push(e));
    t.after(() => w.close());
    await w.process(batch(10));
    const inFlight = w.process(batch(5000));
    await (w as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await assert.rejects(inFlight, /log worker failed: log worker exited/);
    assert.equal(errors.length, 1);
    const again = await w.process(batch(10));
    assert.equal(again.inputs.length, 10);
    await w.close();
    await assert.rejects(w.process(batch(1)), /closed/);
  });

  test('workers that cannot start (here: out of memory at once) are not restarted in a loop; the work moves to this thread', async (t) => {
    const errors: Error[] = [];
    const w = new WorkerLineProcessor({ redactor, resourceLimits: { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 } }, (e) => errors.push(e));
    t.after(() => w.close());
    const input = batch(50);
    let out;
    for (let attempt = 0; attempt < 5 && !out; attempt++) out = await w.process(input).catch(() => undefined);
    assert.ok(out, 'a batch is processed once the work moved to this thread');
    assert.equal(w.threaded, false);
    assert.ok(errors.length <= 2, errors.map((e) => e.message).join('\n'));
    assert.match(errors.at(-1)!.message, /cannot start .*continue on the main thread/);
    assert.deepEqual(out, await new InlineLineProcessor({ redactor }).process(input));
    await assert.rejects(w.restore({ api: { bogus: 1 } }), LineWorkerError);
  });

  test('a bad parser or redaction rule throws when constructed, in the caller\'s thread', () => {
    assert.throws(() => new WorkerLineProcessor({ parser: { format: 'regex', regex: '(' } }), /regex|parse|missing/i);
    assert.throws(() => new WorkerLineProcessor({ redactor: { rules: [{ name: 'bad', regex: '(' }] } }), /redaction rule "bad"/);
  });
});

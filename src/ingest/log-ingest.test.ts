import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogStore, defaultRedactor } from '../logs/index.js';
import type { LogInput } from '../logs/index.js';
import { newMatcher } from '../model/matcher.js';
import { IngestError, LogIngestor, OverloadedError } from './log-ingest.js';

function deferredStore() {
  const calls: { inputs: readonly LogInput[]; resolve: () => void }[] = [];
  return {
    calls,
    append(inputs: readonly LogInput[]): Promise<void> {
      return new Promise<void>((resolve) => calls.push({ inputs, resolve }));
    },
  };
}

describe('LogIngestor', () => {
  test('tells the store which redactor ran, only when it ran one', async () => {
    const seen: unknown[] = [];
    const store = { append: async (_i: readonly LogInput[], o?: { redactedBy?: unknown }) => void seen.push(o?.redactedBy) };
    await new LogIngestor({ store, redactor: defaultRedactor }).ingest([{ labels: {}, t: 1, line: 'password=x' }]);
    await new LogIngestor({ store }).ingest([{ labels: {}, t: 1, line: 'password=x' }]);
    assert.deepEqual(seen, [defaultRedactor, undefined]);
  });

  test('enriches fields from the line, keeps labels, stores durably, then notifies', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-ingest-'));
    try {
      const store = await LogStore.open(dir);
      const accepted: LogInput[] = [];
      const ing = new LogIngestor({ store, redactor: defaultRedactor, onAccepted: (i) => accepted.push(...i) });
      const out = await ing.ingest([
        { labels: { service: 'api' }, t: 1000, line: '{"level":"error","msg":"boom","request_id":"r-1","trace_id":"t-9","password":"hunter2"}' },
        { labels: { service: 'api', level: 'info' }, t: 1001, line: 'level=error msg=x', fields: { pod: 'p1' } },
      ]);
      assert.deepEqual(out[0]!.labels, { service: 'api' });
      assert.deepEqual(out[0]!.fields, { level: 'error', request_id: 'r-1', trace_id: 't-9' });
      assert.doesNotMatch(out[0]!.line, /hunter2/);
      // The shipper's level label wins; its metadata is kept.
      assert.deepEqual(out[1]!.fields, { pod: 'p1' });
      assert.equal(accepted.length, 2);
      assert.doesNotMatch(accepted[0]!.line, /hunter2/);
      await store.close();
      const again = await LogStore.open(dir);
      const lines = [];
      for await (const e of again.select([newMatcher('=', 'service', 'api')], 0, 10_000, 'forward')) lines.push(e);
      assert.equal(lines.length, 2);
      assert.equal(lines[0]!.fields?.request_id, 'r-1');
      await again.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a processor replaces the built-in enrichment; its meta reaches onAccepted; its failure stores nothing', async () => {
    const stored: LogInput[] = [];
    const store = { append: async (i: readonly LogInput[]) => void stored.push(...i) };
    const seen: string[] = [];
    let fail = false;
    const processor = {
      process: async (inputs: readonly LogInput[]) => {
        if (fail) throw new Error('worker died');
        return {
          inputs: inputs.map((x) => ({ ...x, line: x.line.toUpperCase() })),
          meta: inputs.map(() => ({ service: 'svc', level: 'warn', message: 'm', patternId: 'p1', template: 't' })),
        };
      },
    };
    const ing = new LogIngestor({ store, processor, onAccepted: (_i, meta) => seen.push(...meta.map((m) => `${m.service}/${m.patternId}`)) });
    await ing.ingest([{ labels: {}, t: 1, line: 'abc' }]);
    assert.deepEqual(stored.map((x) => x.line), ['ABC']);
    assert.deepEqual(seen, ['svc/p1']);
    fail = true;
    await assert.rejects(ing.ingest([{ labels: {}, t: 2, line: 'def' }]), /worker died/);
    assert.equal(stored.length, 1);
    assert.equal(ing.pendingLines, 0);
  });

  test('refuses with OverloadedError over maxPendingLines and recovers once the store catches up', async () => {
    const store = deferredStore();
    let notified = 0;
    const ing = new LogIngestor({ store, maxPendingLines: 3, retryAfterSeconds: 7, onAccepted: (i) => (notified += i.length) });
    const line = (n: number): LogInput => ({ labels: { job: 'x' }, t: n, line: `l${n}` });
    const first = ing.ingest([line(1), line(2)]);
    assert.equal(ing.pendingLines, 2);
    await assert.rejects(ing.ingest([line(3), line(4)]), (e: Error) => e instanceof OverloadedError && e.retryAfterSeconds === 7);
    assert.equal(store.calls.length, 1, 'the refused batch never reached the store');
    assert.equal(notified, 0, 'nothing is reported before it is durable');
    store.calls[0]!.resolve();
    await first;
    assert.equal(notified, 2);
    assert.equal(ing.pendingLines, 0);
    // A batch bigger than the limit still goes through when nothing else is in flight.
    const big = ing.ingest([line(5), line(6), line(7), line(8)]);
    store.calls[1]!.resolve();
    assert.equal((await big).length, 4);
  });

  test('a failing store rejects and releases the pending count', async () => {
    const ing = new LogIngestor({ store: { append: async () => { throw new Error('disk full'); } }, maxPendingLines: 10 });
    await assert.rejects(ing.ingest([{ labels: { a: 'b' }, t: 1, line: 'x' }]), /disk full/);
    assert.equal(ing.pendingLines, 0);
  });

  test('stream labels over Loki\'s limits refuse the whole request before anything is processed or stored', async () => {
    const store = deferredStore();
    const ing = new LogIngestor({ store, labelLimits: { maxNameLength: 1024, maxValueLength: 2048, maxLabels: 3 } });
    const ok = { job: 'x' };
    await assert.rejects(
      ing.ingest([{ labels: ok, t: 1, line: 'a' }, { labels: { job: 'x', v: 'y'.repeat(10 << 20) }, t: 2, line: 'b' }]),
      (e: unknown) => e instanceof IngestError && /^entry 1: stream \{job="x", v="y{64}…\(10,485,760 bytes\)"\}: the value of label "v" is 10,485,760 bytes long, longer than the limit of 2,048 \(logs\.max_label_value_length\)$/.test(e.message),
    );
    await assert.rejects(ing.ingest([{ labels: { a: '1', b: '2', c: '3', d: '4' }, t: 1, line: 'a' }]), /4 labels, more than the limit of 3 \(logs\.max_label_names_per_series\)/);
    assert.equal(store.calls.length, 0);
    assert.equal(ing.pendingLines, 0);
  });
});

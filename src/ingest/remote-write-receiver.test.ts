import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { Labels } from '../model/labels.js';
import { FakeClock, type Clock } from '../model/clock.js';
import { newMatcher } from '../model/matcher.js';
import { Tsdb } from '../tsdb/index.js';
import { encodeWriteRequest, type ProtoLabel, type RemoteWriteResponse, type TimeSeries } from './remote-write.js';
import { IDLE_WORKER_STOP_MS, RemoteWriteReceiver, type RemoteWriteReceiverOptions } from './remote-write-receiver.js';

const T0 = 1_700_000_000_000;
const SNAPPY = 'snappy';
const PROTO = 'application/x-protobuf';

const dirs: string[] = [];
const dbs: Tsdb[] = [];
const receivers: RemoteWriteReceiver[] = [];
after(async () => {
  for (const r of receivers) await r.close();
  for (const db of dbs) await db.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function setup(opts: RemoteWriteReceiverOptions = {}): Promise<{ db: Tsdb; rx: RemoteWriteReceiver; errors: Error[]; nextError: () => Promise<Error> }> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-rw-rx-'));
  dirs.push(dir);
  const db = await Tsdb.open(dir, { compactIntervalMs: 0 });
  dbs.push(db);
  const errors: Error[] = [];
  let waiting: ((e: Error) => void) | undefined;
  const rx = new RemoteWriteReceiver(db, {
    ...opts,
    onError: (e) => {
      errors.push(e);
      waiting?.(e);
      waiting = undefined;
    },
  });
  receivers.push(rx);
  const nextError = () => new Promise<Error>((resolve) => (waiting = resolve));
  return { db, rx, errors, nextError };
}

/** The receiver's current worker thread (private field). */
const internals = (rx: RemoteWriteReceiver) => rx as unknown as { worker: Worker | undefined; spawn(): Worker };

/** Resolves when `w` has exited (at once if it already has: threadId is -1 then). */
const exited = (w: Worker): Promise<void> => (w.threadId === -1 ? Promise.resolve() : new Promise((resolve) => w.once('exit', () => resolve())));

const pl = (labels: Labels): ProtoLabel[] =>
  Object.keys(labels)
    .sort()
    .map((name) => ({ name, value: labels[name] as string }));
const ts = (labels: Labels, ...samples: Array<[number, number]>): TimeSeries => ({
  labels: pl(labels),
  samples: samples.map(([timestamp, value]) => ({ timestamp, value })),
});
const body = (...series: TimeSeries[]): Uint8Array => encodeWriteRequest({ timeseries: series });

interface Stored {
  labels: Labels;
  t: number[];
  v: number[];
}
async function stored(db: Tsdb): Promise<Stored[]> {
  const q = await db.querier(0, Number.MAX_SAFE_INTEGER);
  try {
    const all = await q.select([newMatcher('=~', '__name__', '.+')], { start: 0, end: Number.MAX_SAFE_INTEGER });
    return all
      .map((s) => ({ labels: { ...s.labels }, t: Array.from(s.timestamps), v: Array.from(s.values) }))
      .sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));
  } finally {
    q.close();
  }
}

const A = { __name__: 'rw_a', job: 'x' };
const B = { __name__: 'rw_b', job: 'x' };
const B_SENT = { ...B, empty: '' }; // an empty value is dropped on the way in
const C = { __name__: 'rw_c', job: 'x' };
const D = { __name__: 'rw_d', job: 'x' };

/** One request and the response it must get (status, and for refusals a pattern the message must match). */
interface Step {
  readonly body: Uint8Array;
  readonly encoding?: string;
  readonly type?: string;
  readonly status: number;
  readonly message?: RegExp;
}

const steps: Step[] = [
  { body: body(ts(A, [T0, 1], [T0 + 1000, 2]), ts(B_SENT, [T0, 10])), status: 204 },
  { body: body(ts(A, [T0 + 2000, 3]), ts(C, [T0 + 2000, 20])), status: 204 },
  // An out-of-order sample refuses the whole request: D's sample and D itself are rolled back.
  {
    body: body(ts(D, [T0 + 3000, 30]), ts(A, [T0 + 500, 99])),
    status: 400,
    message: /^timeseries 1 \{__name__="rw_a", job="x"\} at 1700000000500: out of order sample/,
  },
  { body: body(ts(D, [T0 + 4000, 31]), ts(A, [T0 + 4000, 4])), status: 204 },
  { body: new Uint8Array([0x05, 0x00, 0x61]), status: 400, message: /^snappy: / },
  { body: body(ts(C, [T0 + 6000, 0]), { labels: [{ name: '__name__', value: 'u' }, { name: 'z', value: '1' }, { name: 'b', value: '2' }], samples: [] }), status: 400, message: /^timeseries 1: labels are not sorted by name/ },
  { body: body(ts(A, [T0 + 6000, 0])), status: 415, encoding: 'gzip', message: /^gzip encoding \(compression\) is not accepted/ },
  { body: body(ts(A, [T0 + 6000, 0])), status: 415, type: `${PROTO};proto=io.prometheus.write.v2.Request`, message: /io\.prometheus\.write\.v2\.Request protobuf message is not accepted/ },
  { body: body(), status: 204 },
  // The same sample again is ignored (as Prometheus does); C's new one lands.
  { body: body(ts(A, [T0 + 4000, 4]), ts(C, [T0 + 5000, 21])), status: 204 },
  { body: body(ts(C, [T0 + 7000, 22]), ts(A, [T0 + 4000, 5])), status: 400, message: /at 1700000004000: duplicate sample/ },
];

const expected: Stored[] = [
  { labels: A, t: [T0, T0 + 1000, T0 + 2000, T0 + 4000], v: [1, 2, 3, 4] },
  { labels: B, t: [T0], v: [10] },
  { labels: C, t: [T0 + 2000, T0 + 5000], v: [20, 21] },
  { labels: D, t: [T0 + 4000], v: [31] },
];

async function run(rx: RemoteWriteReceiver, list: readonly Step[]): Promise<RemoteWriteResponse[]> {
  const out: RemoteWriteResponse[] = [];
  for (const [i, s] of list.entries()) {
    const res = await rx.handle(s.body, s.encoding ?? SNAPPY, s.type ?? PROTO);
    const message = 'message' in res ? res.message : '';
    assert.equal(res.status, s.status, `request ${i}: ${message}`);
    if (s.message) assert.match(message, s.message, `request ${i}`);
    out.push(res);
  }
  return out;
}

describe('RemoteWriteReceiver against a tsdb', () => {
  const answers = new Map<boolean, RemoteWriteResponse[]>();
  const contents = new Map<boolean, Stored[]>();

  for (const thread of [true, false]) {
    test(`thread: ${thread}: new and known series, 400s that store nothing, 415s`, async () => {
      const { db, rx, errors } = await setup({ thread });
      assert.equal(rx.threaded, thread);
      answers.set(thread, await run(rx, steps));
      const got = await stored(db);
      assert.deepEqual(got, expected);
      contents.set(thread, got);
      assert.equal(db.stats().rejected.out_of_order, 1);
      assert.equal(db.stats().rejected.duplicate, 1);
      assert.deepEqual(errors, []);
      assert.equal(rx.threaded, thread);
    });
  }

  test('an owned body moves to the worker when it is a whole buffer; otherwise, or when not owned, it is copied and left intact', async () => {
    const { db, rx } = await setup({ thread: true });
    const whole = body(ts(A, [T0, 1]));
    assert.equal(whole.byteLength, whole.buffer.byteLength);
    const kept = body(ts(B, [T0, 10]));
    const keptLength = kept.byteLength;
    const one = body(ts(C, [T0, 20]));
    const inLarger = new Uint8Array(one.byteLength + 16);
    inLarger.set(one, 8);
    const view = inLarger.subarray(8, 8 + one.byteLength);
    assert.deepEqual(await rx.handle(whole, SNAPPY, PROTO, true), { status: 204 });
    assert.deepEqual(await rx.handle(kept, SNAPPY, PROTO), { status: 204 });
    assert.deepEqual(await rx.handle(view, SNAPPY, PROTO, true), { status: 204 });
    assert.equal(whole.byteLength, 0, 'moved (detached), not copied');
    assert.equal(kept.byteLength, keptLength, 'not owned: the caller keeps it');
    assert.equal(view.byteLength, one.byteLength, 'a view into a larger buffer is copied');
    assert.deepEqual(view, one);
    assert.deepEqual(await stored(db), [
      { labels: A, t: [T0], v: [1] },
      { labels: B, t: [T0], v: [10] },
      { labels: C, t: [T0], v: [20] },
    ]);
  });

  test('both modes answer and store alike', () => {
    assert.ok(answers.has(true) && answers.has(false), 'both mode tests ran');
    assert.deepEqual(answers.get(true), answers.get(false));
    assert.deepEqual(contents.get(true), contents.get(false));
  });

  for (const thread of [true, false]) {
    test(`thread: ${thread}: with a 5-entry label table and 12 series, every sample lands on its series`, async () => {
      const { db, rx, errors } = await setup({ thread, maxLabelSets: 5 });
      const labelsOf = (i: number): Labels => ({ __name__: 'churn', i: String(i), pad: 'p' });
      const want = new Map<number, Stored>();
      for (let r = 0; r < 12; r++) {
        const picked = [...new Set([(3 * r) % 12, (3 * r + 1) % 12, (5 * r + 7) % 12, (7 * r + 2) % 12])];
        const res = await rx.handle(body(...picked.map((i) => ts(labelsOf(i), [T0 + r * 1000, i * 1000 + r]))), SNAPPY, PROTO);
        assert.deepEqual(res, { status: 204 }, `request ${r}`);
        for (const i of picked) {
          const s = want.get(i) ?? { labels: labelsOf(i), t: [], v: [] };
          s.t.push(T0 + r * 1000);
          s.v.push(i * 1000 + r);
          want.set(i, s);
        }
        // A refused request now and then, including right where the decoder's table is full.
        if (r % 3 === 1) {
          const bad = body(ts(labelsOf((r + 6) % 12), [T0 + r * 1000, -1]), ts({ job: 'no-name' }, [T0, 0]));
          const refused = await rx.handle(bad, SNAPPY, PROTO);
          assert.equal(refused.status, 400);
        }
      }
      assert.equal(want.size, 12);
      const wanted = [...want.values()].sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));
      assert.deepEqual(await stored(db), wanted);
      assert.deepEqual(errors, []);
    });
  }
});

describe('RemoteWriteReceiver sample buffers', () => {
  for (const thread of [true, false]) {
    test(`thread: ${thread}: requests of every size in flight together, their buffers reused, store exactly their samples`, async () => {
      const { db, rx } = await setup({ thread });
      // Sizes from 1 to 9,000 samples per request (buffers grow, are given back and written
      // again by later requests while others are still in flight).
      const sizes = [1, 9000, 3, 5000, 17, 8192, 4097, 2, 7000, 1];
      const want = new Map<string, number[]>();
      const reqs: Array<Promise<RemoteWriteResponse>> = [];
      let t = T0;
      for (const [i, n] of sizes.entries()) {
        const labels = { __name__: `rw_size_${i}`, job: 'x' };
        const samples = Array.from({ length: n }, (_, k): [number, number] => [t + k * 1000, i * 100_000 + k]);
        want.set(labels.__name__, samples.map(([, v]) => v));
        reqs.push(rx.handle(body(ts(labels, ...samples.slice(0, n >> 1)), ts({ ...labels, half: '2' }, ...samples.slice(n >> 1))), SNAPPY, PROTO));
        if (i % 3 === 2) for (const r of reqs.splice(0)) assert.deepEqual(await r, { status: 204 });
        t += 10;
      }
      for (const r of reqs) assert.deepEqual(await r, { status: 204 });
      const got = new Map<string, number[]>();
      for (const s of await stored(db)) got.set(s.labels.__name__ as string, [...(got.get(s.labels.__name__ as string) ?? []), ...s.v]);
      assert.deepEqual(new Map([...got].map(([k, v]) => [k, v.sort((a, b) => a - b)])), want);
    });
  }
});

describe('RemoteWriteReceiver worker thread lifecycle', () => {
  test('the worker starts with the first request, not before', async () => {
    const { rx } = await setup({ thread: true });
    assert.equal(internals(rx).worker, undefined, 'no isolate for a server that gets no remote-write');
    assert.equal(rx.threaded, true);
    assert.deepEqual(await rx.handle(body(ts(A, [T0, 1])), SNAPPY, PROTO), { status: 204 });
    assert.ok(internals(rx).worker);
  });

  test('a dead worker is replaced on the next request; label sets are sent again and land on the right series', async () => {
    const { db, rx, errors, nextError } = await setup({ thread: true });
    assert.deepEqual(await rx.handle(body(ts(A, [T0, 1]), ts(B, [T0, 10])), SNAPPY, PROTO), { status: 204 });
    const first = internals(rx).worker;
    assert.ok(first);
    const died = nextError();
    await first.terminate();
    assert.match((await died).message, /^remote-write decoder thread failed: exited with code 1$/);
    assert.equal(internals(rx).worker, undefined);

    // The same series (numbered by the old worker) plus a new one, in a different order.
    assert.deepEqual(await rx.handle(body(ts(C, [T0 + 1000, 20]), ts(B, [T0 + 1000, 11]), ts(A, [T0 + 1000, 2])), SNAPPY, PROTO), { status: 204 });
    const second = internals(rx).worker;
    assert.ok(second && second !== first, 'a new worker decodes');
    assert.equal(rx.threaded, true);

    // Killed with a request in flight: that request answers 500 and stores nothing, so the retry is safe.
    const died2 = nextError();
    const killed = second.terminate();
    const inFlight = await rx.handle(body(ts(A, [T0 + 2000, 3]), ts(D, [T0 + 2000, 30])), SNAPPY, PROTO);
    assert.equal(inFlight.status, 500);
    assert.match('message' in inFlight ? inFlight.message : '', /^decoding the request failed: remote-write decoder thread failed: /);
    await killed;
    await died2;
    assert.deepEqual(await rx.handle(body(ts(A, [T0 + 2000, 3]), ts(D, [T0 + 2000, 30])), SNAPPY, PROTO), { status: 204 });
    assert.equal(rx.threaded, true);

    assert.deepEqual(await stored(db), [
      { labels: A, t: [T0, T0 + 1000, T0 + 2000], v: [1, 2, 3] },
      { labels: B, t: [T0, T0 + 1000], v: [10, 11] },
      { labels: C, t: [T0 + 1000], v: [20] },
      { labels: D, t: [T0 + 2000], v: [30] },
    ]);
    assert.equal(errors.length, 2);
  });

  test('after two workers in a row die before answering, decoding moves to this thread', async () => {
    const { db, rx, errors, nextError } = await setup({ thread: true });
    assert.deepEqual(await rx.handle(body(ts(A, [T0, 1])), SNAPPY, PROTO), { status: 204 });
    // A worker that had answered dying does not count as a failed start.
    let died = nextError();
    await internals(rx).worker?.terminate();
    await died;
    assert.equal(rx.threaded, true);
    for (let i = 0; i < 2; i++) {
      died = nextError();
      const w = internals(rx).spawn();
      await w.terminate();
      await died;
    }
    assert.equal(rx.threaded, false);
    assert.equal(errors.length, 3);
    assert.match(errors[2]?.message ?? '', /^remote-write decoder thread cannot start \(exited with code \d+\); decoding continues on the main thread$/);
    assert.deepEqual(await rx.handle(body(ts(B, [T0 + 1000, 11]), ts(A, [T0 + 1000, 2])), SNAPPY, PROTO), { status: 204 });
    assert.deepEqual(await rx.handle(body(ts(A, [T0 + 2000, 3])), SNAPPY, PROTO), { status: 204 });
    assert.deepEqual(await stored(db), [
      { labels: A, t: [T0, T0 + 1000, T0 + 2000], v: [1, 2, 3] },
      { labels: B, t: [T0 + 1000], v: [11] },
    ]);
  });

  for (const thread of [true, false]) {
    test(`thread: ${thread}: close() answers requests in flight and later ones with 500 and stores nothing more`, async () => {
      const { db, rx, errors } = await setup({ thread });
      assert.deepEqual(await rx.handle(body(ts(A, [T0, 1])), SNAPPY, PROTO), { status: 204 });
      const inFlight = rx.handle(body(ts(A, [T0 + 1000, 2])), SNAPPY, PROTO);
      await rx.close();
      const closedMsg = { status: 500, message: 'decoding the request failed: remote-write receiver is closed' };
      if (thread) assert.deepEqual(await inFlight, closedMsg);
      else assert.deepEqual(await inFlight, { status: 204 }, 'decoded inline before close() was called');
      assert.deepEqual(await rx.handle(body(ts(A, [T0 + 2000, 3])), SNAPPY, PROTO), closedMsg);
      await rx.close();
      assert.equal(internals(rx).worker, undefined);
      assert.deepEqual(await stored(db), [{ labels: A, t: thread ? [T0] : [T0, T0 + 1000], v: thread ? [1] : [1, 2] }]);
      assert.deepEqual(errors, [], 'closing is not a worker failure');
    });
  }

  test('a worker idle for the quiet period is stopped; the next request starts a new one and its samples are queryable', async () => {
    const clock = new FakeClock(T0);
    const { db, rx, errors } = await setup({ thread: true, clock });
    assert.equal(IDLE_WORKER_STOP_MS, 30_000);
    assert.deepEqual(await rx.handle(body(ts(A, [T0, 1]), ts(B, [T0, 10])), SNAPPY, PROTO), { status: 204 });
    const first = internals(rx).worker;
    assert.ok(first);
    // Requests keep it alive: each one starts the quiet period again.
    await clock.advance(IDLE_WORKER_STOP_MS - 1);
    assert.deepEqual(await rx.handle(body(ts(A, [T0 + 1000, 2])), SNAPPY, PROTO), { status: 204 });
    await clock.advance(IDLE_WORKER_STOP_MS - 1);
    assert.equal(internals(rx).worker, first, 'not stopped before a full quiet period');
    const gone = exited(first);
    await clock.advance(1);
    assert.equal(internals(rx).worker, undefined);
    await gone;
    assert.equal(clock.pendingTimers(), 0, 'no timer while there is no worker');

    // Known series (numbered by the stopped worker) and a new one, in another order.
    assert.deepEqual(await rx.handle(body(ts(C, [T0 + 2000, 20]), ts(B, [T0 + 2000, 11]), ts(A, [T0 + 2000, 3])), SNAPPY, PROTO), { status: 204 });
    const second = internals(rx).worker;
    assert.ok(second && second !== first, 'a new worker decodes');
    assert.deepEqual(await stored(db), [
      { labels: A, t: [T0, T0 + 1000, T0 + 2000], v: [1, 2, 3] },
      { labels: B, t: [T0, T0 + 2000], v: [10, 11] },
      { labels: C, t: [T0 + 2000], v: [20] },
    ]);
    assert.deepEqual(errors, [], 'stopping an idle worker is not a failure');
    assert.equal(rx.threaded, true);
  });

  test('a request arriving while the idle worker terminates is served by a new worker', async () => {
    const fake = new FakeClock(T0);
    let rx: RemoteWriteReceiver | undefined;
    let raced: Promise<RemoteWriteResponse> | undefined;
    let stoppedWorker: Worker | undefined;
    // Runs the request in the same tick as the stop, right after terminate() was called.
    const clock: Clock = {
      now: () => fake.now(),
      clearTimeout: (h) => fake.clearTimeout(h),
      setTimeout: (fn, ms) =>
        fake.setTimeout(() => {
          stoppedWorker = rx && internals(rx).worker;
          fn();
          raced ??= rx?.handle(body(ts(A, [T0 + 1000, 2]), ts(D, [T0 + 1000, 30])), SNAPPY, PROTO);
        }, ms),
    };
    const setupResult = await setup({ thread: true, clock });
    rx = setupResult.rx;
    const { db, errors } = setupResult;
    assert.deepEqual(await rx.handle(body(ts(A, [T0, 1])), SNAPPY, PROTO), { status: 204 });
    const first = internals(rx).worker;
    assert.ok(first);
    assert.notEqual(first.threadId, -1);
    await fake.advance(IDLE_WORKER_STOP_MS);
    assert.ok(raced, 'the request raced the stop');
    assert.equal(stoppedWorker, first);
    assert.deepEqual(await raced, { status: 204 });
    await exited(first);
    const second = internals(rx).worker;
    assert.ok(second && second !== first, 'served by a new worker, the stopped one exited');
    assert.deepEqual(await stored(db), [
      { labels: A, t: [T0, T0 + 1000], v: [1, 2] },
      { labels: D, t: [T0 + 1000], v: [30] },
    ]);
    assert.deepEqual(errors, []);
  });

  test('idleStopMs: 0 keeps the worker; close() waits for a stopping worker', async () => {
    const clock = new FakeClock(T0);
    const kept = await setup({ thread: true, clock, idleStopMs: 0 });
    assert.deepEqual(await kept.rx.handle(body(ts(A, [T0, 1])), SNAPPY, PROTO), { status: 204 });
    await clock.advance(10 * IDLE_WORKER_STOP_MS);
    assert.ok(internals(kept.rx).worker);
    assert.equal(clock.pendingTimers(), 0);

    const stopped = await setup({ thread: true, clock });
    assert.deepEqual(await stopped.rx.handle(body(ts(A, [T0, 1])), SNAPPY, PROTO), { status: 204 });
    const w = internals(stopped.rx).worker;
    assert.ok(w);
    // Stop it (as the timer does) and close in the same tick: close() resolves only once it has exited.
    (stopped.rx as unknown as { stopIdle(): void }).stopIdle();
    assert.equal(internals(stopped.rx).worker, undefined);
    assert.notEqual(w.threadId, -1, 'still terminating');
    await stopped.rx.close();
    assert.equal(w.threadId, -1, 'exited before close() resolved');
    assert.deepEqual(stopped.errors, []);
  });

  test('an idle worker does not keep the process alive, closed or not', async () => {
    const receiverUrl = new URL('./remote-write-receiver.ts', import.meta.url).href;
    const testingUrl = new URL('../scrape/testing.ts', import.meta.url).href;
    const rwUrl = new URL('./remote-write.ts', import.meta.url).href;
    const script = `
      const { RemoteWriteReceiver } = await import(${JSON.stringify(receiverUrl)});
      const { RecordingAppendable } = await import(${JSON.stringify(testingUrl)});
      const { encodeWriteRequest } = await import(${JSON.stringify(rwUrl)});
      const body = encodeWriteRequest({ timeseries: [{ labels: [{ name: '__name__', value: 'up' }], samples: [{ value: 1, timestamp: 1 }] }] });
      const open = new RemoteWriteReceiver(new RecordingAppendable());
      const closed = new RemoteWriteReceiver(new RecordingAppendable());
      const a = await open.handle(body, 'snappy', undefined);
      const b = await closed.handle(body, 'snappy', undefined);
      await closed.close();
      console.log(JSON.stringify([a.status, b.status, open.threaded]));
    `;
    const cwd = fileURLToPath(new URL('../..', import.meta.url));
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd, timeout: 20_000 }, (err, out, errOut) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout: out, stderr: errOut }),
      );
      child.stdin?.end();
    });
    assert.equal(code, 0, `the child exits by itself (killed after 20 s otherwise): ${stderr}`);
    assert.equal(stdout.trim(), '[204,204,true]');
  });
});

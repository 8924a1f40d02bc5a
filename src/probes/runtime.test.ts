import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeClock, flushAsync } from '../model/clock.js';
import type { Labels } from '../model/labels.js';
import type { Appendable } from '../storage/appender.js';
import type { CheckConfig, CheckState } from './index.js';
import { CheckRuntime, Scheduler, checksSchema } from './index.js';
import type { CheckStore, StoredResult, StoredState } from './check-store.js';

let healthy = true;
const server = http.createServer((_req, res) => {
  res.statusCode = healthy ? 200 : 503;
  res.end(healthy ? 'ok' : 'down');
});
let port = 0;
before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(() => server.close());

class MemoryStore implements CheckStore {
  readonly results_: StoredResult[] = [];
  readonly states: StoredState[] = [];
  async record(results: readonly StoredResult[], states: readonly StoredState[] = []): Promise<void> {
    this.results_.push(...results);
    this.states.push(...states);
  }
  async results(): Promise<StoredResult[]> {
    return [];
  }
  async uptime() {
    return { '24h': null, '7d': null, '30d': null };
  }
  async saveState(check: string, state: unknown, at: number): Promise<void> {
    this.states.push({ check, state, at });
  }
  async loadStates(): Promise<Map<string, unknown>> {
    return new Map();
  }
  async prune(): Promise<void> {}
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

function runtime(names: string[], sink: Appendable, extra: { stateSaveEvery?: number; samplesEvery?: number } = {}) {
  const clock = new FakeClock(0);
  const checks = checksSchema.parse(names.map((name) => ({ name, service: 'svc', type: 'http', url: `http://127.0.0.1:${port}/`, interval: '1s', timeout: '900ms' }))) as CheckConfig[];
  const store = new MemoryStore();
  let runs = 0;
  let waiter: { n: number; resolve: () => void } | undefined;
  const rt = new CheckRuntime({
    checks,
    clock,
    store,
    sink,
    logger: quiet,
    concurrency: 10,
    generatorURL: () => '',
    intake: async () => ({ accepted: 1, errors: [] }),
    flushEvery: 3_600_000,
    metrics: {
      checkRun: () => {
        runs++;
        if (waiter && runs >= waiter.n) waiter.resolve();
      },
      probeDuration() {},
      scheduleLag() {},
    },
    ...extra,
  });
  /** Resolves once `n` results have come in since the runtime started. */
  const results = (n: number) => (runs >= n ? Promise.resolve() : new Promise<void>((resolve) => (waiter = { n, resolve })));
  const offsets = new Scheduler<CheckConfig>({ clock, concurrency: 1, run: async () => ({ success: true, durationMs: 0, message: '', metrics: {} }), onResult() {} });
  return { clock, checks, store, rt, results, offsetOf: (c: CheckConfig) => offsets.offsetOf(c) };
}

const nullSink: Appendable = { appender: () => ({ append() {}, commit: async () => {}, rollback() {} }) };

test("a healthy check's state is saved when alerting needs it, else once per stateSaveEvery, and at stop", async () => {
  const h = runtime(['web'], nullSink, { stateSaveEvery: 5000 });
  const check = h.checks[0] as CheckConfig;
  await h.rt.restore();
  h.rt.start();
  let n = 0;
  const step = async (ms: number) => {
    await h.clock.advance(ms);
    await h.results(++n);
  };
  const saved = () => h.store.states.map((s) => (s.state as CheckState).consecutiveSuccesses + (s.state as CheckState).consecutiveFailures * 100);
  await step(h.offsetOf(check));
  await h.rt.flush();
  assert.deepEqual(saved(), [1], 'the first state is saved');
  for (let i = 0; i < 3; i++) await step(1000);
  await h.rt.flush();
  assert.deepEqual(saved(), [1], 'more successes of a healthy check wait');
  assert.equal(h.store.results_.length, 4, 'every result is still recorded');
  healthy = false;
  await step(1000);
  await h.rt.flush();
  healthy = true;
  await step(1000);
  await h.rt.flush();
  assert.deepEqual(saved(), [1, 100, 1], 'a failure, and the success after it, are saved at the next flush');
  for (let i = 0; i < 3; i++) await step(1000);
  await h.rt.flush();
  assert.deepEqual(saved(), [1, 100, 1]);
  await step(1000);
  await step(1000);
  await h.rt.flush();
  assert.deepEqual(saved(), [1, 100, 1, 6], 'saved again once stateSaveEvery has passed since the last save');
  await step(1000);
  await h.rt.stop();
  assert.deepEqual(saved(), [1, 100, 1, 6, 7], 'stop saves what was waiting');
});

test('probe samples: one commit in flight; results that finish during it go in the next, samplesEvery after it began', async () => {
  const commits: Array<Array<{ labels: Labels; v: number }>> = [];
  let release: (() => void) | undefined;
  const gate = new Promise<void>((r) => (release = r));
  const sink: Appendable = {
    appender() {
      const pending: Array<{ labels: Labels; v: number }> = [];
      return {
        append: (labels, _t, v) => void pending.push({ labels, v }),
        commit: async () => {
          commits.push(pending);
          if (commits.length === 1) await gate;
        },
        rollback() {},
      };
    },
  };
  const h = runtime(['a', 'b', 'c', 'd'], sink, { samplesEvery: 5000 });
  const [first, second] = [...h.checks].sort((x, y) => h.offsetOf(x) - h.offsetOf(y));
  assert.ok(first && second && h.offsetOf(first) < h.offsetOf(second));
  await h.rt.restore();
  h.rt.start();
  await h.clock.advance(h.offsetOf(first));
  await h.results(1);
  await flushAsync();
  assert.equal(commits.length, 1);
  await h.clock.advance(h.offsetOf(second) - h.offsetOf(first));
  await h.results(2);
  await flushAsync();
  assert.equal(commits.length, 1, 'no second commit while the first is in flight');
  release?.();
  await flushAsync();
  assert.equal(commits.length, 1, 'the next commit waits for samplesEvery');
  await h.clock.advance(5000 - (h.offsetOf(second) - h.offsetOf(first)) - 1);
  assert.equal(commits.length, 1);
  await h.clock.advance(1);
  assert.ok(commits.length >= 2);
  const checksIn = (c: Array<{ labels: Labels }>) => [...new Set(c.map((s) => s.labels.check))];
  assert.deepEqual(checksIn(commits[0] ?? []), [first.name]);
  assert.ok(checksIn(commits[1] ?? []).includes(second.name));
  await h.rt.stop();
});

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeClock } from '../model/clock.js';
import type { Labels } from '../model/labels.js';
import type { CheckConfig, CheckEvent, CheckState, ProbeResult } from './index.js';
import { Scheduler, applyResult, checksSchema, initialCheckState, runCheck, writeResultSamples } from './index.js';

// The module's pieces as app/ wires them: scheduler → probe → state machine + samples.
let healthy = false;
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

test('a failing HTTP check fires after 3 failures and resolves after 2 successes, writing samples', async () => {
  const clock = new FakeClock();
  const [check] = checksSchema.parse([
    { name: 'shop-api-health', service: 'shop-api', type: 'http', url: `http://127.0.0.1:${port}/health`, interval: '1s', timeout: '500ms', expect: { status: [200], body_contains: 'ok' }, recovery_threshold: 2 },
  ]);
  const samples: Array<{ labels: Labels; v: number }> = [];
  const sink = { appender: () => ({ append: (labels: Labels, _t: number, v: number) => void samples.push({ labels, v }), commit: async () => {}, rollback: () => {} }) };
  let state: CheckState = initialCheckState;
  const events: CheckEvent[] = [];
  let waiter: (() => void) | undefined;
  const scheduler = new Scheduler<CheckConfig>({
    clock,
    concurrency: 4,
    jitter: 0,
    run: (c, signal) => runCheck(c, { clock, signal }),
    onResult: (c, r: ProbeResult, scheduledAt) => {
      const out = applyResult(state, c, r, scheduledAt);
      state = out.state;
      if (out.event) events.push(out.event);
      void writeResultSamples(sink, c, r, scheduledAt);
      waiter?.();
    },
  });
  scheduler.update([check as CheckConfig]);
  const nextResult = () => new Promise<void>((r) => (waiter = r));
  let got = nextResult();
  scheduler.start();
  await clock.advance(0);
  for (let i = 0; i < 3; i++) {
    await got;
    got = nextResult();
    if (i < 2) await clock.advance(1000);
  }
  assert.deepEqual(events.map((e) => e.kind), ['firing']);
  assert.equal(events[0]?.alert.annotations.description, 'status 503 (expected 200)');
  assert.equal(events[0]?.alert.startsAt, clock.now() - 2000);
  healthy = true;
  for (let i = 0; i < 2; i++) {
    await clock.advance(1000);
    await got;
    got = nextResult();
  }
  assert.deepEqual(events.map((e) => e.kind), ['firing', 'resolved']);
  assert.equal(events[1]?.alert.endsAt, clock.now());
  const success = samples.filter((s) => s.labels.__name__ === 'probe_success').map((s) => s.v);
  assert.deepEqual(success, [0, 0, 0, 1, 1]);
  assert.ok(samples.every((s) => s.labels.check === 'shop-api-health' && s.labels.service === 'shop-api'));
  await scheduler.stop();
});

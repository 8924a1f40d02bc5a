import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AlertingCheck, CheckEvent, CheckState } from './check-state.js';
import { activeAlert, applyResult, initialCheckState, restoreCheckState, uptime } from './check-state.js';

const check: AlertingCheck = {
  name: 'shop-api-health',
  service: 'shop-api',
  severity: 'critical',
  failure_threshold: 3,
  recovery_threshold: 2,
  labels: { team: 'shop' },
  annotations: { runbook_url: 'https://runbooks.example.com/shop-api-down' },
};
const fail = (message = 'status 503 (expected 200)') => ({ success: false, message });
const pass = { success: true, message: 'status 200' };

/** Feeds results at t = 1000, 2000, … and collects the events. */
function feed(results: Array<{ success: boolean; message: string }>, start: CheckState = initialCheckState, c = check, t0 = 1000) {
  let state = start;
  const events: Array<CheckEvent & { t: number }> = [];
  results.forEach((r, i) => {
    const t = t0 + i * 1000;
    const out = applyResult(state, c, r, t);
    state = out.state;
    if (out.event) events.push({ ...out.event, t });
  });
  return { state, events };
}

describe('check state', () => {
  test('fires after failure_threshold consecutive failures, with the streak start as startsAt', () => {
    const { events } = feed([fail(), fail(), pass, fail(), fail(), fail('timeout after 500ms'), fail()]);
    assert.equal(events.length, 1);
    const e = events[0];
    assert.equal(e?.kind, 'firing');
    assert.equal(e?.t, 6000);
    assert.equal(e?.alert.startsAt, 4000);
    assert.equal(e?.alert.endsAt, 0);
    assert.deepEqual(e?.alert.labels, { alertname: 'shop-api-health', check: 'shop-api-health', service: 'shop-api', severity: 'critical', team: 'shop' });
    assert.deepEqual(e?.alert.annotations, {
      summary: 'shop-api-health is failing',
      description: 'timeout after 500ms',
      runbook_url: 'https://runbooks.example.com/shop-api-down',
    });
  });

  test('resolves after recovery_threshold consecutive successes; a failure in between restarts the count', () => {
    const { events, state } = feed([fail(), fail(), fail(), pass, fail(), pass, pass, pass]);
    assert.deepEqual(events.map((e) => [e.kind, e.t]), [['firing', 3000], ['resolved', 7000]]);
    const resolved = events[1]?.alert;
    assert.equal(resolved?.startsAt, 1000);
    assert.equal(resolved?.endsAt, 7000);
    assert.equal(resolved?.annotations.description, 'status 503 (expected 200)');
    assert.equal(state.firing, false);
    assert.equal(activeAlert(state, check, 9000), undefined);
  });

  test('uses the default thresholds and a custom alertname', () => {
    const c = { ...check, failure_threshold: 3, recovery_threshold: 1, alertname: 'ShopApiDown' };
    const { events } = feed([fail(), fail(), fail(), pass], initialCheckState, c);
    assert.deepEqual(events.map((e) => e.kind), ['firing', 'resolved']);
    assert.equal(events[0]?.alert.labels.alertname, 'ShopApiDown');
    assert.equal(events[0]?.alert.labels.check, 'shop-api-health');
  });

  test('a restored firing state keeps firing without firing again, then resolves', () => {
    const first = feed([fail(), fail(), fail()]);
    const persisted: unknown = JSON.parse(JSON.stringify(first.state));
    const restored = restoreCheckState(persisted);
    assert.deepEqual(restored, first.state);
    const again = feed([fail(), pass, pass], restored, check, 10_000);
    assert.deepEqual(again.events.map((e) => e.kind), ['resolved']);
    assert.equal(again.events[0]?.alert.startsAt, 1000);
    const active = activeAlert(restored, check, 10_000);
    assert.equal(active?.startsAt, 1000);
    assert.equal(active?.endsAt, 0);
    assert.equal(active?.annotations.description, 'status 503 (expected 200)');
  });

  test('malformed persisted state falls back to safe values', () => {
    assert.deepEqual(restoreCheckState(null), initialCheckState);
    assert.deepEqual(restoreCheckState({ consecutiveFailures: -2, firing: 'yes' }), initialCheckState);
  });
});

test('uptime is the success ratio inside the window, undefined with no results', () => {
  const now = 100_000;
  const results = [
    { t: 10_000, success: false }, // outside a 60s window
    { t: 50_000, success: true },
    { t: 70_000, success: false },
    { t: 90_000, success: true },
    { t: 100_000, success: true },
    { t: 110_000, success: false }, // in the future
  ];
  assert.equal(uptime(results, 60_000, now), 0.75);
  assert.equal(uptime(results, 100_000, now), 0.6);
  assert.equal(uptime([], 60_000, now), undefined);
});

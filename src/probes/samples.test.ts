import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Labels } from '../model/labels.js';
import type { Appendable } from '../storage/appender.js';
import { writeResultSamples, writeResultsSamples } from './samples.js';

function memorySink(failCommit = false) {
  const committed: Array<{ labels: Labels; t: number; v: number }> = [];
  let rolledBack = 0;
  const sink: Appendable = {
    appender() {
      const pending: typeof committed = [];
      return {
        append: (labels, t, v) => void pending.push({ labels, t, v }),
        commit: async () => {
          if (failCommit) throw new Error('disk full');
          committed.push(...pending);
        },
        rollback: () => void rolledBack++,
      };
    },
  };
  return { sink, committed, rolledBack: () => rolledBack };
}

test('a result becomes blackbox-named samples labelled by check and service only', async () => {
  const m = memorySink();
  await writeResultSamples(
    m.sink,
    { name: 'shop-api-health', service: 'shop-api' },
    { success: false, durationMs: 250, message: 'status 503 (expected 200) at http://u:pw@x', metrics: { probe_http_status_code: 503, probe_ssl_earliest_cert_expiry: 1_800_000_000 } },
    42_000,
  );
  const base = { check: 'shop-api-health', service: 'shop-api' };
  assert.deepEqual(m.committed, [
    { labels: { __name__: 'probe_success', ...base }, t: 42_000, v: 0 },
    { labels: { __name__: 'probe_duration_seconds', ...base }, t: 42_000, v: 0.25 },
    { labels: { __name__: 'probe_http_status_code', ...base }, t: 42_000, v: 503 },
    { labels: { __name__: 'probe_ssl_earliest_cert_expiry', ...base }, t: 42_000, v: 1_800_000_000 },
  ]);
  assert.ok(!JSON.stringify(m.committed).includes('pw'));
});

test('a failed commit is rolled back and reported', async () => {
  const m = memorySink(true);
  await assert.rejects(writeResultSamples(m.sink, { name: 'a', service: 'a' }, { success: true, durationMs: 1, message: 'ok', metrics: {} }, 1), /disk full/);
  assert.equal(m.rolledBack(), 1);
});

test('a batch of results goes into one commit, in order', async () => {
  let commits = 0;
  const m = memorySink();
  const counting: Appendable = {
    appender() {
      const a = m.sink.appender();
      return { ...a, commit: async () => void (commits++, await a.commit()) };
    },
  };
  const r = (success: boolean) => ({ success, durationMs: 10, message: '', metrics: {} });
  await writeResultsSamples(counting, [
    { check: { name: 'a', service: 's' }, result: r(true), t: 1 },
    { check: { name: 'b', service: 's' }, result: r(false), t: 2 },
  ]);
  assert.equal(commits, 1);
  assert.deepEqual(
    m.committed.filter((c) => c.labels.__name__ === 'probe_success').map((c) => [c.labels.check, c.t, c.v]),
    [
      ['a', 1, 1],
      ['b', 2, 0],
    ],
  );
});

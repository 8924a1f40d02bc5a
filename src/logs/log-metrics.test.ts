import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../model/clock.js';
import type { Labels } from '../model/labels.js';
import type { Appendable } from '../storage/appender.js';
import { LogMetrics, OTHER_PATTERN } from './log-metrics.js';

function memorySink() {
  const committed: { labels: Labels; t: number; v: number }[] = [];
  const sink: Appendable = {
    appender() {
      const pending: typeof committed = [];
      return {
        append: (labels, t, v) => void pending.push({ labels, t, v }),
        commit: async () => void committed.push(...pending),
        rollback: () => void (pending.length = 0),
      };
    },
  };
  return { sink, committed };
}

describe('LogMetrics', () => {
  test('flushes cumulative counters on the clock, bounded pattern series', async () => {
    const clock = new FakeClock(0);
    const { sink, committed } = memorySink();
    const m = new LogMetrics({ sink, clock, flushIntervalMs: 15_000, maxPatternSeries: 2 });
    m.start();
    m.observe('api', 'error', 'p1');
    m.observe('api', 'error', 'p1');
    m.observe('api', 'info', 'p2');
    m.observe('api', 'info', 'p3'); // over budget → __other__
    await clock.advance(15_000);
    const at15 = committed.filter((s) => s.t === 15_000);
    const find = (l: Record<string, string>) => at15.find((s) => Object.entries(l).every(([k, v]) => s.labels[k] === v))?.v;
    assert.equal(find({ __name__: 'vigil_log_lines_total', service: 'api', level: 'error' }), 2);
    assert.equal(find({ __name__: 'vigil_log_lines_total', service: 'api', level: 'info' }), 2);
    assert.equal(find({ __name__: 'vigil_log_pattern_occurrences_total', pattern: 'p1' }), 2);
    assert.equal(find({ __name__: 'vigil_log_pattern_occurrences_total', pattern: OTHER_PATTERN }), 1);
    assert.equal(at15.length, 5);
    m.observe('api', 'error', 'p1');
    await clock.advance(15_000);
    assert.equal(committed.find((s) => s.t === 30_000 && s.labels.pattern === 'p1')?.v, 3, 'counters are cumulative');
    await m.stop();
    assert.equal(clock.pendingTimers(), 0);
  });
});

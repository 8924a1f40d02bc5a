import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { harness } from '../../test/helpers/rule-harness.js';
import { isStaleNaN } from '../model/sample.js';
import { newMatcher } from '../model/matcher.js';
import { AlertingRule, RuleLoadError, type GroupSpec } from './index.js';
import type { MemoryQueryable } from '../storage/memory.js';

const MIN = 60_000;

/** Raw samples of the series matching `name` (and optional labels) in [from, to]. */
async function raw(store: MemoryQueryable, name: string, from: number, to: number, extra: Record<string, string> = {}) {
  const q = await store.querier();
  const ms = [newMatcher('=', '__name__', name), ...Object.entries(extra).map(([k, v]) => newMatcher('=', k, v))];
  return (await q.select(ms, { start: from, end: to })).map((s) => ({ labels: s.labels, points: Array.from(s.timestamps, (t, i) => ({ t, v: s.values[i] as number })) }));
}

/** up{instance="x"} with one sample a minute from `from` on, 0 while down(t) holds, else 1. */
function upSeries(store: MemoryQueryable, from: number, to: number, down: (t: number) => boolean, instance = 'x') {
  for (let t = from; t <= to; t += MIN) store.add({ __name__: 'up', job: 'node', instance }, t, down(t) ? 0 : 1);
}

const group = (rules: GroupSpec['rules'], extra: Partial<GroupSpec> = {}): GroupSpec => ({ name: 'g', file: 'rules.yml', rules, ...extra });

function alertRule(h: ReturnType<typeof harness>, name = 'Down'): AlertingRule {
  return h.manager.alertingRules().find((r) => r.name === name) as AlertingRule;
}

describe('alerting rules', () => {
  test('`for`: pending until the condition has held for the hold duration, then firing and sent with Prometheus sendAlerts semantics', async () => {
    const h = harness();
    const t0 = h.clock.now();
    upSeries(h.store, t0 - 10 * MIN, t0 + 30 * MIN, (t) => t < t0 + 12 * MIN);
    await h.manager.update('files', [group([{ alert: 'Down', expr: 'up == 0', for: 3 * MIN, labels: { severity: 'page' }, annotations: { summary: '{{ $labels.instance }} is down (value {{ $value }})' } }])]);
    h.manager.start();
    const g = h.manager.groups()[0]!;
    const states: string[] = [];
    for (let i = 0; i < 6; i++) {
      await h.clock.advance(MIN);
      states.push(alertRule(h).state());
    }
    assert.deepEqual(states, ['pending', 'pending', 'pending', 'firing', 'firing', 'firing']);
    const first = g.lastEvalTimestamp - 5 * MIN;
    // Evaluation slots sit at the group's hash offset within the interval.
    assert.equal(first % MIN, Number(g.offsetNs / 1_000_000n));
    const [a] = alertRule(h).activeAlerts();
    assert.equal(a?.activeAt, first);
    assert.equal(a?.firedAt, first + 3 * MIN);
    assert.deepEqual(a?.labels, { job: 'node', instance: 'x', severity: 'page', alertname: 'Down' });
    assert.deepEqual(a?.annotations, { summary: 'x is down (value 0)' });
    // Sent once firing, valid for 4 × max(interval, resend_delay).
    assert.deepEqual(h.sent[0]?.alerts[0], { labels: a?.labels, annotations: a?.annotations, startsAt: first + 3 * MIN, endsAt: first + 3 * MIN + 4 * MIN, generatorURL: '/graph?g0.expr=up+%3D%3D+0&g0.tab=1' });
    for (let i = 0; i < 8; i++) await h.clock.advance(MIN);
    // up is back at t0+12m: the evaluation after it resolves the alert.
    const resolvedAt = first + 12 * MIN;
    assert.equal(alertRule(h).state(), 'inactive');
    assert.deepEqual(alertRule(h).activeAlerts(), []);
    // Re-sent once resend_delay has passed (strictly: every second 1m evaluation), and at once when resolved.
    assert.deepEqual(
      h.sent.map((x) => [(x.at - first) / MIN, (x.alerts[0]!.endsAt - first) / MIN]),
      [
        [3, 7],
        [5, 9],
        [7, 11],
        [9, 13],
        [11, 15],
        [12, 12],
      ],
    );
    assert.equal(h.sent.at(-1)?.alerts[0]?.endsAt, resolvedAt);
    await h.manager.stop();
  });

  test('ALERTS and ALERTS_FOR_STATE follow the alert, and vanished series get staleness markers', async () => {
    const h = harness();
    const t0 = h.clock.now();
    upSeries(h.store, t0 - 10 * MIN, t0 + 30 * MIN, (t) => t < t0 + 6 * MIN);
    await h.manager.update('files', [group([{ alert: 'Down', expr: 'up == 0', for: 2 * MIN }])]);
    h.manager.start();
    for (let i = 0; i < 10; i++) await h.clock.advance(MIN);
    const g = h.manager.groups()[0]!;
    const first = g.lastEvalTimestamp - 9 * MIN;
    const alerts = await raw(h.store, 'ALERTS', t0 - MIN, h.clock.now());
    const byState: Record<string, Array<{ t: number; v: number }>> = Object.fromEntries(alerts.map((s) => [s.labels['alertstate'] ?? '', s.points]));
    // The first two evaluations wait for the `for` state to be restored; ALERTS starts at the third.
    // Pending for the first two evaluations only, before the rule counts as restored: no pending series.
    assert.equal(byState['pending'], undefined);
    const firing = byState['firing']?.map((p) => [p.t - first, isStaleNaN(p.v) ? 'stale' : p.v]);
    assert.deepEqual(firing, [
      [2 * MIN, 1],
      [3 * MIN, 1],
      [4 * MIN, 1],
      [5 * MIN, 1],
      [6 * MIN, 'stale'],
    ]);
    const forState = await raw(h.store, 'ALERTS_FOR_STATE', t0 - MIN, h.clock.now());
    assert.equal(forState.length, 1);
    assert.deepEqual(forState[0]?.labels, { __name__: 'ALERTS_FOR_STATE', alertname: 'Down', job: 'node', instance: 'x' });
    assert.equal(forState[0]?.points[0]?.v, Math.floor(first / 1000));
    assert.ok(isStaleNaN(forState[0]!.points.at(-1)!.v));
    await h.manager.stop();
  });

  test('keep_firing_for keeps a firing alert firing after its condition clears, and reports since when', async () => {
    const h = harness();
    const t0 = h.clock.now();
    upSeries(h.store, t0 - 10 * MIN, t0 + 30 * MIN, (t) => t < t0 + 3 * MIN);
    await h.manager.update('files', [group([{ alert: 'Down', expr: 'up == 0', keepFiringFor: 3 * MIN }])]);
    h.manager.start();
    const seen: Array<[string, number]> = [];
    for (let i = 0; i < 8; i++) {
      await h.clock.advance(MIN);
      const a = [...alertRule(h).active.values()][0];
      seen.push([a?.state ?? 'none', a && a.keepFiringSince ? a.keepFiringSince - alertRule(h).lastEvaluation : -1]);
    }
    assert.deepEqual(
      seen.map((s) => s[0]),
      ['firing', 'firing', 'firing', 'firing', 'firing', 'firing', 'inactive', 'inactive'],
    );
    const g = h.manager.groups()[0]!;
    const first = g.lastEvalTimestamp - 7 * MIN;
    const resolved = [...alertRule(h).active.values()][0];
    assert.equal(resolved?.resolvedAt, first + 6 * MIN, 'resolves keep_firing_for after the condition first went away');
    await h.manager.stop();
  });

  test('a longer `for` after a reload sends a firing alert back to pending, keeping its active time', async () => {
    const h = harness();
    const t0 = h.clock.now();
    upSeries(h.store, t0 - 10 * MIN, t0 + 30 * MIN, () => true);
    await h.manager.update('files', [group([{ alert: 'Down', expr: 'up == 0', for: MIN }])]);
    h.manager.start();
    for (let i = 0; i < 3; i++) await h.clock.advance(MIN);
    assert.equal(alertRule(h).state(), 'firing');
    const activeAt = [...alertRule(h).active.values()][0]?.activeAt;
    await h.manager.update('files', [group([{ alert: 'Down', expr: 'up == 0', for: 5 * MIN }])]);
    await h.clock.advance(MIN);
    assert.equal(alertRule(h).state(), 'pending');
    assert.equal([...alertRule(h).active.values()][0]?.activeAt, activeAt);
    await h.clock.advance(2 * MIN);
    assert.equal(alertRule(h).state(), 'firing');
    await h.manager.stop();
  });

  test('limit: more alerts than the group limit fail the rule and drop its alerts', async () => {
    const h = harness();
    const t0 = h.clock.now();
    for (const i of ['a', 'b', 'c']) upSeries(h.store, t0 - 10 * MIN, t0 + 10 * MIN, () => true, i);
    await h.manager.update('files', [group([{ alert: 'Down', expr: 'up == 0' }], { limit: 2 })]);
    h.manager.start();
    await h.clock.advance(MIN);
    const r = alertRule(h);
    assert.equal(r.health, 'err');
    assert.equal(r.lastError, 'exceeded limit of 2 with 3 alerts');
    assert.equal(r.active.size, 0);
    assert.equal(h.manager.groups()[0]?.counters.failures, 1);
    await h.manager.stop();
  });

  test('a template failing at evaluation becomes Prometheus\'s error text; the rule still evaluates', async () => {
    const h = harness();
    const t0 = h.clock.now();
    upSeries(h.store, t0 - 10 * MIN, t0 + 10 * MIN, () => true);
    await h.manager.update('files', [group([{ alert: 'Down', expr: 'up == 0', annotations: { bad: '{{ humanize "x" }}', ok: 'fine' } }])]);
    h.manager.start();
    await h.clock.advance(MIN);
    const [a] = alertRule(h).activeAlerts();
    // 112 characters of Prometheus's variable definitions precede the template, as in Prometheus.
    assert.equal(
      a?.annotations['bad'],
      '<error expanding template: error executing template __alert_Down: template: __alert_Down:1:115: executing "__alert_Down" at <humanize "x">: error calling humanize: strconv.ParseFloat: parsing "x": invalid syntax>',
    );
    assert.equal(a?.annotations['ok'], 'fine');
    assert.equal(alertRule(h).health, 'ok');
    await h.manager.stop();
  });
});

describe('restoring `for` state after a restart', () => {
  async function restart(downMs: number, hold: number, grace: number) {
    const h1 = harness({ settings: { forGracePeriodMs: grace } });
    const t0 = h1.clock.now();
    upSeries(h1.store, t0 - 10 * MIN, t0 + 120 * MIN, () => true);
    const spec = [group([{ alert: 'Down', expr: 'up == 0', for: hold }])];
    await h1.manager.update('files', spec);
    h1.manager.start();
    for (let i = 0; i < 6; i++) await h1.clock.advance(MIN);
    const first = h1.manager.groups()[0]!.lastEvalTimestamp - 5 * MIN;
    assert.equal(alertRule(h1).state(), 'pending');
    await h1.manager.stop();
    // The same store, a new manager `downMs` later.
    await h1.clock.advance(downMs);
    const h2 = harness({ store: h1.store, clock: h1.clock, settings: { forGracePeriodMs: grace } });
    await h2.manager.update('files', spec);
    h2.manager.start();
    await h2.clock.advance(2 * MIN);
    return { h2, first, lastBefore: first + 5 * MIN };
  }

  test('the pending time is kept, shifted by the downtime', async () => {
    const { h2, first, lastBefore } = await restart(20 * MIN, 30 * MIN, 10 * MIN);
    const a = [...alertRule(h2).active.values()][0];
    const g = h2.manager.groups()[0]!;
    // restored at the second evaluation after the restart: activeAt moves by (now - last sample).
    const restoreNow = g.lastEvalTimestamp;
    const downAt = Math.floor(lastBefore / 1000) * 1000;
    const expected = Math.floor(first / 1000) * 1000 + (h2.clock.now() - downAt);
    assert.ok(Math.abs((a?.activeAt ?? 0) - expected) < MIN, `activeAt ${a?.activeAt} vs ${expected} (restore at ${restoreNow})`);
    assert.equal(alertRule(h2).restored, true);
    await h2.manager.stop();
  });

  test('an alert due to fire within the grace period fires the grace period after the restart', async () => {
    const { h2 } = await restart(2 * MIN, 12 * MIN, 10 * MIN);
    const a = [...alertRule(h2).active.values()][0];
    // 12m hold, pending ~5m before going down: 7m left < 10m grace, so it fires 10m after the
    // restore, which runs right after the second evaluation.
    const restoredAt = h2.manager.groups()[0]!.lastEvalTimestamp;
    assert.equal(a?.activeAt, restoredAt + 10 * MIN - 12 * MIN);
    await h2.manager.stop();
  });

  test('nothing is restored past the outage tolerance or for rules shorter than the grace period', async () => {
    const { h2 } = await restart(70 * MIN, 30 * MIN, 10 * MIN);
    const a = [...alertRule(h2).active.values()][0];
    const g = h2.manager.groups()[0]!;
    assert.equal(a?.activeAt, g.lastEvalTimestamp - MIN, 'pending since the first evaluation after the restart');
    await h2.manager.stop();
    const short = await restart(2 * MIN, 8 * MIN, 10 * MIN);
    const b = [...alertRule(short.h2).active.values()][0];
    assert.equal(b?.activeAt, short.h2.manager.groups()[0]!.lastEvalTimestamp - MIN);
    await short.h2.manager.stop();
  });
});

describe('recording rules and groups', () => {
  test('records the expression under the rule name with its labels; vanished series are marked stale', async () => {
    const h = harness();
    const t0 = h.clock.now();
    upSeries(h.store, t0 - 10 * MIN, t0 + 2 * MIN, () => false, 'a');
    upSeries(h.store, t0 - 10 * MIN, t0 + 30 * MIN, () => false, 'b');
    await h.manager.update('files', [group([{ record: 'instance:up:copy', expr: 'up', labels: { source: 'rule' } }])]);
    h.manager.start();
    for (let i = 0; i < 10; i++) await h.clock.advance(MIN);
    const out = await raw(h.store, 'instance:up:copy', t0, h.clock.now());
    const a = out.find((s) => s.labels['instance'] === 'a');
    assert.deepEqual(a?.labels, { __name__: 'instance:up:copy', job: 'node', instance: 'a', source: 'rule' });
    // a's last sample is at t0+2m; it drops out of `up` 5 minutes later and gets one stale marker.
    const staleAt = a!.points.findIndex((p) => isStaleNaN(p.v));
    assert.ok(staleAt > 0);
    assert.equal(a!.points.length, staleAt + 1);
    assert.equal(out.find((s) => s.labels['instance'] === 'b')?.points.length, 10);
    await h.manager.stop();
  });

  test('query_offset evaluates and stamps samples that far back', async () => {
    const h = harness();
    const t0 = h.clock.now();
    upSeries(h.store, t0 - 10 * MIN, t0 + 30 * MIN, () => false);
    await h.manager.update('files', [group([{ record: 'r', expr: 'time()' }], { queryOffset: 30_000 })]);
    h.manager.start();
    await h.clock.advance(MIN);
    const g = h.manager.groups()[0]!;
    const [s] = await raw(h.store, 'r', 0, h.clock.now());
    assert.deepEqual(s?.points, [{ t: g.lastEvalTimestamp - 30_000, v: (g.lastEvalTimestamp - 30_000) / 1000 }]);
    await h.manager.stop();
  });

  test('errors: duplicate label sets and limits fail the rule with Prometheus\'s message', async () => {
    const h = harness();
    const t0 = h.clock.now();
    upSeries(h.store, t0 - 10 * MIN, t0 + 30 * MIN, () => false, 'a');
    upSeries(h.store, t0 - 10 * MIN, t0 + 30 * MIN, () => false, 'b');
    await h.manager.update('files', [
      group([{ record: 'dup', expr: 'up', labels: { instance: 'same' } }]),
      group([{ record: 'many', expr: 'up' }], { name: 'limited', limit: 1 }),
    ]);
    h.manager.start();
    await h.clock.advance(MIN);
    const [dup, many] = h.manager.groups().map((g) => g.rules[0]!);
    assert.equal(dup?.lastError, 'vector contains metrics with the same labelset after applying rule labels');
    assert.equal(many?.lastError, 'exceeded limit of 1 with 2 series');
    await h.manager.stop();
  });

  test('reload: an unchanged group keeps running, a changed one takes over its state, a removed one has its series marked stale', async () => {
    const h = harness();
    const t0 = h.clock.now();
    upSeries(h.store, t0 - 10 * MIN, t0 + 30 * MIN, () => true);
    const keep = group([{ record: 'kept', expr: 'up' }], { name: 'keep' });
    const alerting = group([{ alert: 'Down', expr: 'up == 0', for: 10 * MIN }], { name: 'alerting' });
    const gone = group([{ record: 'gone', expr: 'up' }], { name: 'gone' });
    await h.manager.update('files', [keep, alerting, gone]);
    h.manager.start();
    for (let i = 0; i < 3; i++) await h.clock.advance(MIN);
    const before = h.manager.groups();
    const activeAt = [...alertRule(h).active.values()][0]?.activeAt;
    await h.manager.update('files', [keep, group([{ alert: 'Down', expr: 'up == 0', for: 10 * MIN, annotations: { a: 'changed' } }], { name: 'alerting' })]);
    const after = h.manager.groups();
    assert.equal(after.find((g) => g.name === 'keep'), before.find((g) => g.name === 'keep'), 'unchanged group object kept');
    assert.notEqual(after.find((g) => g.name === 'alerting'), before.find((g) => g.name === 'alerting'));
    assert.equal([...alertRule(h).active.values()][0]?.activeAt, activeAt, 'pending alert carried over');
    assert.equal(after.length, 2);
    for (let i = 0; i < 3; i++) await h.clock.advance(MIN);
    const [s] = await raw(h.store, 'gone', t0, h.clock.now());
    assert.ok(isStaleNaN(s!.points.at(-1)!.v), 'removed group series marked stale two intervals later');
    assert.equal([...alertRule(h).active.values()][0]?.annotations['a'], 'changed');
    await h.manager.stop();
  });

  test('an invalid update changes nothing and reports every problem', async () => {
    const h = harness();
    await h.manager.update('files', [group([{ record: 'ok', expr: 'up' }])]);
    await assert.rejects(
      h.manager.update('files', [group([{ record: 'x', expr: 'up +' }, { alert: 'A', expr: 'up', annotations: { s: '{{ nope }}' } }])]),
      (e: unknown) => {
        assert.ok(e instanceof RuleLoadError);
        assert.deepEqual(e.issues, [
          'rules.yml: group "g", rule 1, "x": could not parse expression: 1:5: parse error: unexpected end of input',
          'rules.yml: group "g", rule 2, "A": annotation "s": template: __alert_A:1:4: function "nope" not defined',
        ]);
        return true;
      },
    );
    assert.equal(h.manager.groups()[0]?.rules[0]?.name, 'ok');
  });

  test('groups from several sources (rule files, generated groups) live side by side', async () => {
    const h = harness();
    await h.manager.update('files', [group([{ record: 'a', expr: 'up' }])]);
    await h.manager.update('slo', [{ name: 'slo-checkout', file: 'slo/checkout', rules: [{ record: 'b', expr: 'up' }] }]);
    assert.deepEqual(
      h.manager.groups().map((g) => g.key),
      ['rules.yml;g', 'slo/checkout;slo-checkout'],
    );
    await h.manager.update('files', []);
    assert.deepEqual(
      h.manager.groups().map((g) => g.key),
      ['slo/checkout;slo-checkout'],
    );
    await assert.rejects(h.manager.update('other', [{ name: 'slo-checkout', file: 'slo/checkout', rules: [] }]), RuleLoadError);
  });
});

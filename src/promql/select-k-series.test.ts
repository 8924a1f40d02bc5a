import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AggregateExpr } from './ast.js';
import { aggregate } from './aggregations.js';
import { parseExpr } from './parser.js';
import { columnsFromSeries, selectKSeries } from './select-k-series.js';
import type { Series, Vector } from './value.js';
import { rng } from '../../test/helpers/rng.js';


/** The per-step path: aggregate() at each step, step vectors joined by label set in first-seen order. */
function perStep(e: AggregateExpr, input: readonly Series[], steps: readonly number[], params: readonly number[]): Series[] {
  const want = new Map<string, Series>();
  steps.forEach((t, k) => {
    const vec: Vector = [];
    for (const s of input) for (const p of s.points) if (p.t === t) vec.push({ labels: s.labels, t, v: p.v, dropName: s.dropName ?? false });
    for (const o of aggregate(e, vec, params[k], t, () => undefined)) {
      const key = JSON.stringify(Object.entries(o.labels).sort());
      let s = want.get(key);
      if (!s) want.set(key, (s = { labels: o.labels, points: [], dropName: false }));
      s.points.push({ t, v: o.v });
      if (o.dropName) s.dropName = true;
    }
  });
  return [...want.values()];
}

test('selectKSeries matches the per-step topk/bottomk/limitk: ties, NaN, ±Inf, order, dropName', () => {
  const r = rng(7);
  const steps = [0, 10, 20, 30, 40, 50, 60, 70];
  // Few distinct values, so ties are frequent.
  const values = [NaN, Infinity, -Infinity, 0, -0, 1, 1, 2, 2, 2.5, -3];
  const queries = ['topk(2, x)', 'bottomk(2, x)', 'topk by (g) (1, x)', 'bottomk without (i) (3, x)', 'topk(100, x)', 'bottomk(70, x)', 'limitk by (g) (2, x)', 'topk by (g) (0, x)'];
  let chosen = 0;
  for (const q of queries) {
    const e = parseExpr(q) as AggregateExpr;
    for (let round = 0; round < 40; round++) {
      const input: Series[] = [];
      const nSeries = 1 + Math.floor(r() * 14);
      for (let i = 0; i < nSeries; i++) {
        const points = steps.filter(() => r() < 0.7).map((t) => ({ t, v: values[Math.floor(r() * values.length)] as number }));
        input.push({ labels: { __name__: i % 2 ? 'x' : 'y', g: String(Math.floor(r() * 3)), i: String(i) }, points, dropName: r() < 0.3 });
      }
      // k varies per step in some rounds, including fractional and < 1 values.
      const k0 = (e.param as { value: number }).value;
      const params = steps.map(() => (round % 3 === 0 ? Math.floor(r() * 5) - 0.5 : k0));
      const got = selectKSeries(e, columnsFromSeries(input, steps.length, (t) => t / 10), steps, params);
      const want = perStep(e, input, steps, params);
      assert.deepEqual(got.series, want, `${q} round ${round}`);
      const n = want.reduce((a, s) => a + s.points.length, 0);
      assert.equal(got.samples, n);
      chosen += n;
    }
  }
  assert.ok(chosen > 1000, `too few chosen samples to mean anything: ${chosen}`);
});

test('selectKSeries matches the per-step path for large k and many series (the sorting path)', () => {
  const r = rng(21);
  const steps = [0, 10, 20, 30];
  const values = [NaN, Infinity, -Infinity, 0, 1, 1, 2, 2.5, -3, 7];
  for (const q of ['topk(70, x)', 'bottomk(100, x)', 'topk by (g) (65, x)', 'topk(5, x)']) {
    const e = parseExpr(q) as AggregateExpr;
    for (let round = 0; round < 6; round++) {
      const input: Series[] = [];
      const nSeries = 80 + Math.floor(r() * 120);
      for (let i = 0; i < nSeries; i++) {
        const points = steps.filter(() => r() < 0.8).map((t) => ({ t, v: values[Math.floor(r() * values.length)] as number }));
        input.push({ labels: { __name__: 'x', g: String(Math.floor(r() * 2)), i: String(i) }, points });
      }
      const params = steps.map(() => (e.param as { value: number }).value);
      const got = selectKSeries(e, columnsFromSeries(input, steps.length, (t) => t / 10), steps, params);
      assert.deepEqual(got.series, perStep(e, input, steps, params), `${q} round ${round}`);
    }
  }
});

test('selectKSeries puts NaN last for both topk and bottomk and keeps input order among ties', () => {
  const steps = [0];
  const input: Series[] = [1, NaN, 5, Infinity, 5, -Infinity, 5].map((v, i) => ({ labels: { i: String(i) }, points: [{ t: 0, v }] }));
  const pick = (q: string, k: number): string[] =>
    selectKSeries(parseExpr(q) as AggregateExpr, columnsFromSeries(input, 1, () => 0), steps, [k]).series.map((s) => s.labels.i as string);
  assert.deepEqual(pick('topk(3, x)', 3), ['3', '2', '4']);
  assert.deepEqual(pick('bottomk(3, x)', 3), ['5', '0', '2']);
  assert.deepEqual(pick('topk(7, x)', 7), ['3', '2', '4', '6', '0', '5', '1']);
  assert.deepEqual(pick('bottomk(7, x)', 7), ['5', '0', '2', '4', '6', '3', '1']);
});

test('selectKSeries rejects a NaN k and a duplicate output label set', () => {
  const e = parseExpr('topk(2, x)') as AggregateExpr;
  const input: Series[] = [{ labels: { a: '1' }, points: [{ t: 0, v: 1 }] }];
  assert.throws(() => selectKSeries(e, columnsFromSeries(input, 2, (t) => t / 10), [0, 10], [2, NaN]), /Parameter value is NaN/);
  const dup: Series[] = [{ labels: { a: '1' }, points: [{ t: 0, v: 1 }] }, { labels: { a: '1' }, points: [{ t: 0, v: 2 }] }];
  assert.throws(() => selectKSeries(e, columnsFromSeries(dup, 1, () => 0), [0], [2]), /same labelset/);
});

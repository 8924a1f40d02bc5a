import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AggregateExpr } from './ast.js';
import { aggregate } from './aggregations.js';
import { aggregateSeries } from './aggregate-series.js';
import { parseExpr } from './parser.js';
import type { Series, Vector } from './value.js';
import { rng } from '../../test/helpers/rng.js';


test('aggregateSeries matches per-step aggregate(): values, series order, dropName', () => {
  const r = rng(3);
  const steps = [0, 10, 20, 30, 40, 50];
  const specials = [NaN, Infinity, -Infinity, 1e308, -1e308, 0.1, -0];
  for (const q of ['sum by (g) (x)', 'avg by (g) (x)', 'min(x)', 'max without (i) (x)', 'count by (g) (x)', 'group by (__name__) (x)', 'sum(x)']) {
    const e = parseExpr(q) as AggregateExpr;
    for (let round = 0; round < 40; round++) {
      const input: Series[] = [];
      for (let i = 0; i < 12; i++) {
        const points = steps.filter(() => r() < 0.6).map((t) => ({ t, v: r() < 0.2 ? (specials[Math.floor(r() * specials.length)] as number) : Math.round(r() * 100) / 4 }));
        input.push({ labels: { __name__: i % 2 ? 'x' : 'y', g: String(Math.floor(r() * 3)), i: String(i) }, points, dropName: r() < 0.3 });
      }
      const got = aggregateSeries(e, input, steps, (t) => t / 10);
      // Reference: split into per-step vectors, aggregate each, join by label set in first-seen order.
      const want = new Map<string, Series>();
      steps.forEach((t, k) => {
        const vec: Vector = [];
        for (const s of input) for (const p of s.points) if (p.t === t) vec.push({ labels: s.labels, t, v: p.v, dropName: s.dropName ?? false });
        for (const o of aggregate(e, vec, undefined, t, () => undefined)) {
          const key = JSON.stringify(Object.entries(o.labels).sort());
          let s = want.get(key);
          if (!s) want.set(key, (s = { labels: o.labels, points: [], dropName: false }));
          s.points.push({ t: steps[k] as number, v: o.v });
          if (o.dropName) s.dropName = true;
        }
      });
      assert.deepEqual(got, [...want.values()], `${q} round ${round}`);
    }
  }
});

test('topk/bottomk keep the stable-sort choice among ties and put NaN last', () => {
  const e = parseExpr('topk(2, x)') as AggregateExpr;
  const vec: Vector = [1, NaN, 5, 5, 3, 5].map((v, i) => ({ labels: { i: String(i) }, t: 0, v }));
  assert.deepEqual(aggregate(e, vec, 2, 0, () => undefined).map((s) => s.labels.i), ['2', '3']);
  const b = parseExpr('bottomk(3, x)') as AggregateExpr;
  assert.deepEqual(aggregate(b, vec, 3, 0, () => undefined).map((s) => s.labels.i), ['0', '4', '2']);
  assert.deepEqual(aggregate(b, vec, 6, 0, () => undefined).map((s) => s.labels.i), ['0', '4', '2', '3', '5', '1']);
});

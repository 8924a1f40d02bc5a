import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryQueryable } from '../storage/memory.js';
import { Engine } from './engine.js';
import type { QueryResult } from './value.js';

/**
 * The paths that avoid materialising (element-wise functions rewriting their operand in place,
 * a selector streamed into an aggregation or a subquery's columns, range results merged by
 * sorted labels) give what the general paths give: each query is compared with a form that
 * takes the general path (`x + 0` is a binary operator, so never a plain selector).
 */
const T = 3_600_000;

function data(): MemoryQueryable {
  const s = new MemoryQueryable();
  for (let i = 0; i < 6; i++) {
    for (let t = 0; t <= T; t += 30_000) {
      if (i === 5 && t > T / 2) break; // a series that ends halfway
      s.add({ __name__: 'm', i: String(i), g: String(i % 2) }, t, (i % 2 ? -1 : 1) * (t / 30_000 + i));
    }
    s.add({ __name__: 'other', i: String(i), g: String(i % 2) }, T, -i);
  }
  return s;
}

function text(r: QueryResult): string {
  return JSON.stringify(r.resultType === 'matrix' || r.resultType === 'vector' ? r.result : r);
}

describe('streaming and in-place evaluation', () => {
  const e = new Engine();
  const q = data();
  const range = (expr: string) => e.rangeQuery(q, expr, 0, T, 60_000);

  test('element-wise functions and unary minus rewrite only what they own', async () => {
    for (const [fast, general] of [
      ['abs(m) - m', 'abs(m + 0) - (m + 0)'],
      ['-m + m', '(0 - (m + 0)) + (m + 0)'],
      ['abs(-m) * -abs(m)', 'abs(0 - (m + 0)) * (0 - abs(m + 0))'],
      ['round(abs(abs(abs(m))) / 3)', 'round(abs(m + 0) / 3)'],
      ['abs(m) or abs(other)', 'abs(m + 0) or abs(other + 0)'],
    ]) {
      assert.equal(text(await range(fast as string)), text(await range(general as string)), fast);
    }
    const v = await range('abs(m) - m');
    assert.ok(v.resultType === 'matrix' && v.result.length === 6 && v.result.every((s) => s.labels.__name__ === undefined));
  });

  test('a selector under an aggregation or a subquery gives what an expression there gives', async () => {
    for (const op of ['sum', 'avg', 'count', 'min', 'max', 'group']) {
      for (const by of ['', ' by (g)', ' by (i)', ' without (i)']) {
        assert.equal(text(await range(`${op}${by} (m)`)), text(await range(`${op}${by} (m + 0)`)), `${op}${by}`);
      }
    }
    for (const f of ['max_over_time', 'quantile_over_time(0.5,', 'count_over_time', 'min_over_time']) {
      const call = (arg: string) => (f.endsWith(',') ? `${f} ${arg})` : `${f}(${arg})`);
      assert.equal(text(await range(call('m[10m:1m]'))), text(await range(call('(m + 0)[10m:1m]'))), f);
      const inst = (arg: string) => e.instantQuery(q, call(arg), T);
      assert.equal(text(await inst('m[1h:45s] offset 5m')), text(await inst('(m + 0)[1h:45s] offset 5m')), `${f} instant`);
    }
  });

  test('a range result merges series that end up with one label set, and refuses overlapping ones', async () => {
    const s = new MemoryQueryable();
    s.add({ __name__: 'a', k: 'x' }, 0, 1);
    s.add({ __name__: 'b', k: 'x' }, T, 2);
    const merged = await e.rangeQuery(s, 'abs({__name__=~"a|b"})', 0, T, 60_000);
    assert.ok(merged.resultType === 'matrix');
    assert.deepEqual(merged.result.map((r) => [r.labels, r.points.map((p) => [p.t, p.v])]), [
      [{ k: 'x' }, [[0, 1], [60_000, 1], [120_000, 1], [180_000, 1], [240_000, 1], [T, 2]]],
    ]);
    s.add({ __name__: 'b', k: 'x' }, 0, 3);
    await assert.rejects(e.rangeQuery(s, 'abs({__name__=~"a|b"})', 0, T, 60_000), /vector cannot contain metrics with the same labelset/);
  });
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { atInvariantQuery, runScript } from './runner.js';
import { parseValues } from './script.js';

describe('promql conformance runner', () => {
  test('series notation expands like promqltest', () => {
    assert.deepEqual(
      parseValues('1+2x2 _ _x2 3x1 stale 0x3d -1-1x1').map((v) => (v.kind === 'float' ? v.v : v.kind)),
      [1, 3, 5, 'omitted', 'omitted', 'omitted', 3, 3, 'stale', 61, -1, -2],
    );
    assert.deepEqual(parseValues('{{schema:0 sum:1}}x2').map((v) => v.kind), ['histogram', 'histogram', 'histogram']);
  });

  test('passing and failing evals are told apart, including range cross-checks', async () => {
    const script = [
      'load 1m',
      '  m{a="1"} 0+1x10',
      '',
      'eval instant at 5m m',
      '  m{a="1"} 5',
      '',
      'eval instant at 5m m',
      '  m{a="1"} 6',
      '',
      'eval range from 0 to 2m step 1m m * 2',
      '  {a="1"} 0 2 4',
      '',
      'eval instant at 5m nosuchfn(m)',
      '  expect fail msg: unknown function with name "nosuchfn"',
      '',
      'eval instant at 5m m',
      '  expect fail',
    ].join('\n');
    const out = await runScript('x.test', script);
    assert.deepEqual(
      out.map((o) => [o.id, o.status]),
      [
        ['x.test:4', 'pass'],
        ['x.test:7', 'fail'],
        ['x.test:10', 'pass'],
        ['x.test:13', 'pass'],
        ['x.test:16', 'fail'],
      ],
    );
  });

  test('@ invariance pins selectors and subqueries outside subqueries, and skips unsafe functions', () => {
    assert.equal(atInvariantQuery('sum(rate(m[5m])) + max_over_time(n[10m:1m])', 60_000), 'sum(rate(m[5m] @ 60.000)) + max_over_time(n[10m:1m] @ 60.000)');
    assert.equal(atInvariantQuery('m @ 10 offset 1m', 60_000), 'm @ 10.000 offset 1m');
    assert.equal(atInvariantQuery('time() - m', 60_000), undefined);
  });
});

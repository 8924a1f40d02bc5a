import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpr } from './parser.js';
import { ParseError } from './errors.js';

function parseError(q: string): ParseError {
  try {
    parseExpr(q);
  } catch (e) {
    assert.ok(e instanceof ParseError, `expected ParseError, got ${String(e)}`);
    return e;
  }
  assert.fail(`expected ${q} to fail`);
}

describe('parser', () => {
  test('builds a typed AST with positions', () => {
    const e = parseExpr('sum by (job) (rate(http_requests_total{code=~"5.."}[5m] offset 1m))');
    assert.equal(e.type, 'AggregateExpr');
    if (e.type !== 'AggregateExpr') return;
    assert.deepEqual(e.grouping, ['job']);
    const call = e.expr;
    assert.equal(call.type, 'Call');
    if (call.type !== 'Call') return;
    const ms = call.args[0];
    assert.equal(ms?.type, 'MatrixSelector');
    if (ms?.type !== 'MatrixSelector') return;
    assert.deepEqual(ms.range, { kind: 'num', seconds: 300 });
    assert.deepEqual(ms.vector.offset, { kind: 'num', seconds: 60 });
    assert.deepEqual(ms.vector.pos, { start: 19, end: 51 });
    assert.deepEqual(
      ms.vector.matchers.map((m) => [m.name, m.type, m.value]),
      [
        ['code', '=~', '5..'],
        ['__name__', '=', 'http_requests_total'],
      ],
    );
  });

  test('operator precedence: unary minus binds looser than ^, ^ is right-associative', () => {
    const e = parseExpr('-2 ^ 3 ^ 2 * 4');
    assert.equal(e.type, 'BinaryExpr');
    if (e.type !== 'BinaryExpr') return;
    assert.equal(e.op, '*');
    assert.equal(e.lhs.type, 'UnaryExpr');
  });

  test('errors use Prometheus wording and line:col positions', () => {
    assert.equal(parseError('sum(foo) by (a) by (b)').message, '1:17: parse error: unexpected <by>');
    assert.equal(parseError('rate(foo)').message, '1:6: parse error: expected type range vector in call to function "rate", got instant vector');
    assert.equal(parseError('{}').message, '1:1: parse error: vector selector must contain at least one non-empty matcher');
    assert.equal(parseError('foo{a="b"} + ').message, '1:14: parse error: unexpected end of input');
    assert.equal(parseError('nosuchfn(foo)').message, '1:1: parse error: unknown function with name "nosuchfn"');
    assert.equal(parseError('1 > 2').message, '1:3: parse error: comparisons between scalars must use BOOL modifier');
    assert.equal(parseError('foo and 1').message, '1:1: parse error: set operator "and" not allowed in binary scalar expression');
    assert.equal(parseError('sum(foo) offset 5m').message, '1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery');
    assert.equal(parseError('foo\n  + bar[5m]').message, '1:1: parse error: binary expression must contain only scalar and instant vector types');
    assert.equal(parseError('round(foo, 1, 2)').message, '1:1: parse error: expected at most 2 argument(s) in call to "round", got 3');
  });

  test('parse errors carry errorType bad_data', () => {
    assert.equal(parseError('foo[5m').errorType, 'bad_data');
  });

  test('subqueries, @ modifiers and string escapes', () => {
    const e = parseExpr('max_over_time(rate(foo[1m])[1h:5m] @ start())');
    assert.equal(e.type, 'Call');
    const s = parseExpr('"a\\x41\\u00e9\\n"');
    assert.equal(s.type === 'StringLiteral' ? s.value : '', 'aAé\n');
    const raw = parseExpr('`a\\n`');
    assert.equal(raw.type === 'StringLiteral' ? raw.value : '', 'a\\n');
  });

  test('regex matchers are RE2 and fully anchored', () => {
    const e = parseExpr('foo{a=~"b|c"}');
    assert.ok(e.type === 'VectorSelector');
    if (e.type !== 'VectorSelector') return;
    const m = e.matchers[0];
    assert.equal(m?.matches('b'), true);
    assert.equal(m?.matches('xb'), false);
    assert.match(parseError('foo{a=~"(b"}').message, /^1:8: parse error: invalid regular expression/);
  });
});

describe('parser error fidelity (cases from Prometheus parse_test.go)', () => {
  const cases: Array<[string, string]> = [
    ['', '1:1: parse error: no expression found in input'],
    ['(1))', "1:4: parse error: unexpected right parenthesis ')'"],
    ['sum(rate(', '1:10: parse error: unclosed left parenthesis'],
    ['2.5.', '1:1: parse error: bad number or duration syntax: "2.5."'],
    ['1 == 1', '1:3: parse error: comparisons between scalars must use BOOL modifier'],
    ['foo + bool bar', '1:5: parse error: bool modifier can only be used on comparison operators'],
    ['1 or on(bar) foo', '1:1: parse error: vector matching only allowed between instant vectors'],
    ['a - on(b) ignoring(c) d', '1:11: parse error: unexpected <ignoring>'],
    ['-"string"', '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "string"'],
    ['foo{', '1:5: parse error: unexpected end of input inside braces'],
    ['foo{,}', '1:5: parse error: unexpected "," in label matching, expected identifier or "}"'],
    ['foo[5m1h]', '1:5: parse error: not a valid duration string: "5m1h"'],
    ['foo[0m]', '1:5: parse error: duration must be greater than 0'],
    ['some_metric OFFSET 1m[5m]', '1:22: parse error: no offset modifiers allowed before range'],
    ['some_metric[5m] OFFSET', '1:23: parse error: unexpected end of input in offset, expected number, duration, step(), or range()'],
    ['topk(some_metric,)', '1:17: parse error: trailing commas not allowed in function call args'],
    ['topk(some_metric)', '1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1'],
    ['foo @ +Inf', '1:1: parse error: timestamp out of bounds for @ modifier: +Inf'],
    ['"\\c"', "1:2: parse error: unknown escape sequence U+0063 'c'"],
    ['foo[5s/0d]', '1:7: parse error: division by zero'],
  ];
  for (const [q, want] of cases) {
    test(JSON.stringify(q), () => {
      assert.equal(parseError(q).message, want);
    });
  }
});

describe('nesting depth', () => {
  const shapes: Record<string, (n: number) => string> = {
    parentheses: (n) => `${'('.repeat(n)}up${')'.repeat(n)}`,
    'function calls': (n) => `${'abs('.repeat(n)}up${')'.repeat(n)}`,
    'an operator chain': (n) => Array(n).fill('up').join(' + '),
    'right-associative ^': (n) => Array(n).fill('1').join(' ^ '),
    'unary minus': (n) => `${'-'.repeat(n)}up`,
    'duration arithmetic': (n) => `up[${Array(n).fill('1m').join(' + ')}]`,
  };
  for (const [name, make] of Object.entries(shapes)) {
    test(`${name}: 500 levels parse, 20,000 fail with a positioned error instead of overflowing the stack`, () => {
      assert.doesNotThrow(() => parseExpr(make(500)));
      assert.match(parseError(make(20_000)).message, /^1:\d+: parse error: expression nests deeper than 512 levels$/);
    });
  }
});

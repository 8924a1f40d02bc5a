import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLogQL } from './parser.js';
import { LogQLParseError } from './errors.js';

function err(q: string): string {
  try {
    parseLogQL(q);
  } catch (e) {
    assert.ok(e instanceof LogQLParseError, `not a LogQLParseError: ${String(e)}`);
    assert.equal((e as LogQLParseError).kind, 'invalid');
    return (e as Error).message;
  }
  assert.fail(`expected ${q} to fail`);
}

describe('LogQL parse errors carry positions', () => {
  const cases: Array<[string, string]> = [
    ['{app="a"} |= ', 'parse error at line 1, col 14: syntax error: unexpected $end, expecting STRING'],
    ['{app="a"} | json | status >= ', 'parse error at line 1, col 30: syntax error: unexpected $end, expecting STRING or NUMBER or DURATION or BYTES'],
    ['{app="a" job="b"}', 'parse error at line 1, col 10: syntax error: unexpected IDENTIFIER, expecting , or }'],
    ['{app=~".*"}', 'parse error at line 1, col 1: queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will'],
    ['{app="a"}\n  | foo', 'parse error at line 2, col 5: syntax error: unexpected IDENTIFIER "foo", expecting json, logfmt, pattern, regexp, line_format, label_format, drop, keep, decolorize, unwrap or a label filter'],
    ['count_over_time({app="a"})', 'parse error at line 1, col 26: syntax error: unexpected ), expecting ['],
    ['sum_over_time({app="a"}[5m])', 'parse error at line 1, col 1: invalid aggregation sum_over_time without unwrap'],
    ['count_over_time({app="a"} | unwrap x [5m])', 'parse error at line 1, col 1: invalid aggregation count_over_time with unwrap'],
    ['topk(0, count_over_time({app="a"}[5m]))', 'parse error at line 1, col 6: topk: k must be a positive integer, got 0'],
    ['{app="a"} |~ "(unclosed"', 'parse error at line 1, col 14: error parsing regexp: missing closing ): `(unclosed`'],
    ['{app="a"} | pattern "<a><b>"', 'parse error at line 1, col 21: pattern "<a><b>": captures <a> and <b> must be separated by literal text'],
    ['{app="a', 'parse error at line 1, col 6: literal not terminated'],
    ['{app="a"} | line_format "{{.x | nope}}"', 'parse error at line 1, col 25: template "{{.x | nope}}": function "nope" not defined (have ToUpper, upper, ToLower, lower, TrimSpace, trim, title, urldecode, urlencode)'],
    ['', 'parse error at line 1, col 1: syntax error: unexpected $end'],
    ['{app="a"} | status > "x"', 'parse error at line 1, col 20: operator > needs a number, duration or bytes value'],
    ['rate({app="a"}[5x])', 'parse error at line 1, col 16: syntax error: unexpected character sequence "5x"'],
  ];
  for (const [q, msg] of cases) test(JSON.stringify(q), () => assert.equal(err(q), msg));
});

describe('LogQL accepted syntax', () => {
  const ok = [
    '{app="a", env!="dev", job=~"api|web", x!~"y.*"}',
    '{app="a"} |= "err" != "timeout" |~ "(?i)fail" !~ `^debug`',
    '{app="a"} | json | status >= 500 and duration > 1s or (size < 10KB, method="GET")',
    '{app="a"} | json first="a.b", second="c[0]" | line_format "{{.first}} {{ .second | ToUpper }}"',
    '{app="a"} | logfmt | label_format new=old, tpl="{{.x}}-{{.y}}" | drop a, b="c" | keep x, y',
    '{app="a"} | pattern "<ip> - <_> [<ts>] \\"<method> <path> <_>\\"" | regexp "(?P<n>\\\\d+)"',
    'sum by (app) (rate({app="a"}[5m]))',
    'sum(count_over_time({app="a"} |= "x" [1m])) without (pod)',
    'topk(3, sum by (path) (count_over_time({app="a"} | json [5m])))',
    'quantile_over_time(0.99, {app="a"} | logfmt | unwrap duration(latency) | __error__="" [5m]) by (path)',
    'sum(rate({app="a"}[1m])) / sum(rate({app="b"}[1m])) * 100',
    'count_over_time({app="a"}[5m] |= "x")',
    'bytes_rate({app="a"}[30s])',
  ];
  for (const q of ok) test(q, () => assert.doesNotThrow(() => parseLogQL(q)));
});

describe('nesting depth', () => {
  const shapes: Record<string, (n: number) => string> = {
    parentheses: (n) => `sum(${'('.repeat(n)}count_over_time({a="b"}[1m])${')'.repeat(n)})`,
    aggregations: (n) => `${'sum('.repeat(n)}count_over_time({a="b"}[1m])${')'.repeat(n)}`,
    'an operator chain': (n) => Array(n).fill('count_over_time({a="b"}[1m])').join(' + '),
    'a label filter or-chain': (n) => `{a="b"} | ${Array(n).fill('x="1"').join(' or ')}`,
    'a label filter and-chain': (n) => `{a="b"} | ${Array(n).fill('x="1"').join(' and ')}`,
    'label filter parentheses': (n) => `{a="b"} | ${'('.repeat(n)}x="1"${')'.repeat(n)}`,
  };
  for (const [name, make] of Object.entries(shapes)) {
    test(`${name}: 100 levels parse, 20,000 fail with a positioned error instead of overflowing the stack`, () => {
      assert.doesNotThrow(() => parseLogQL(make(100)));
      assert.throws(() => parseLogQL(make(20_000)), (e: Error) => e instanceof LogQLParseError && /^parse error at line 1, col \d+: query nests deeper than 512 levels/.test(e.message));
    });
  }
});

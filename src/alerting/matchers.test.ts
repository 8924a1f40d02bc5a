import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMatchersAM, parseMatcher, parseMatchers } from './matchers.js';

test('parses quoted, unquoted and regex matchers', () => {
  const m = parseMatcher('severity="critical"');
  assert.deepEqual([m.name, m.type, m.value], ['severity', '=', 'critical']);
  const r = parseMatcher(' team =~ "a|b" ');
  assert.deepEqual([r.name, r.type, r.value], ['team', '=~', 'a|b']);
  assert.ok(r.matches('b') && !r.matches('ab'));
  const u = parseMatcher('env!=prod');
  assert.deepEqual([u.name, u.type, u.value], ['env', '!=', 'prod']);
  assert.equal(parseMatcher('q="say \\"hi\\"\\n"').value, 'say "hi"\n');
  assert.equal(parseMatcher('x=""').value, '');
});

test('parses lists with braces and commas inside quotes', () => {
  const ms = parseMatchers('{foo = "bar", dings != "bums", quote="a, b", }');
  assert.deepEqual(
    ms.map((m) => [m.name, m.type, m.value]),
    [
      ['foo', '=', 'bar'],
      ['dings', '!=', 'bums'],
      ['quote', '=', 'a, b'],
    ],
  );
  assert.deepEqual(parseMatchers('{}'), []);
});

test('bad matchers get a clear error naming the input', () => {
  assert.throws(() => parseMatcher('foo~bar'), /^MatcherError: bad matcher "foo~bar": expected <label name><operator><value>/);
  assert.throws(() => parseMatcher('1abc="x"'), /bad matcher "1abc=\\"x\\""/);
  assert.throws(() => parseMatcher('a="b'), /bad matcher .*opening double quote but no closing one/);
  assert.throws(() => parseMatcher('a="b"c"'), /unescaped double quote/);
  assert.throws(() => parseMatcher('a=~"(unclosed"'), /bad matcher .*invalid regular expression/);
  assert.throws(() => parseMatchers('a=b,,c=d'), /empty matcher/);
});

test('formats matcher lists as Alertmanager prints them in route keys', () => {
  assert.equal(formatMatchersAM(parseMatchers('a="x\\"y", b=~"1|2"')), '{a="x\\"y",b=~"1|2"}');
  assert.equal(formatMatchersAM([]), '{}');
});

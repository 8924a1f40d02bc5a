import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GoMap, GoSlice, Int, Template, TemplateParseError, type GoValue } from '../template/index.js';
import { PROMETHEUS_FUNCS } from './template-funcs.js';
import type { QuerySample } from './types.js';

// Expected outputs are Prometheus's own (template/template_test.go), so Vigil's templates print
// exactly what Prometheus prints.
async function expand(text: string, data: GoValue = null, vector: QuerySample[] = []): Promise<string> {
  const t = Template.parse('test', text, PROMETHEUS_FUNCS);
  return t.execute(data, { query: async () => vector, time: 1353755652000, externalURL: new URL('http://localhost:9090/path/prefix') });
}
const floats = (xs: number[]) => new GoSlice(xs);
const ints = (xs: number[]) => new GoSlice(xs.map((x) => new Int(x)));
const strs = (xs: string[]) => new GoSlice(xs);
const metric = (labels: Record<string, string>, v: number): QuerySample => ({ labels, t: 0, v });

const cases: Array<[string, GoValue, QuerySample[], string]> = [
  ['plain text', null, [], 'plain text'],
  ['{{ 1 }}', null, [], '1'],
  ['{{define "x"}}{{.arg0}} {{.arg1}}{{end}}{{template "x" (args 1 "2")}}', null, [], '1 2'],
  ['{{ query "1.5" | first | value }}', null, [metric({}, 1.5)], '1.5'],
  [`{{ query "metric{instance='a'}" | first | value }}`, null, [metric({ __name__: 'metric', instance: 'a' }, 11)], '11'],
  [`{{ query "metric{instance='a'}" | first | label "instance" }}`, null, [metric({ __name__: 'metric', instance: 'a' }, 11)], 'a'],
  [`{{ query "metric{__value__='a'}" | first | strvalue }}`, null, [metric({ __name__: 'metric', __value__: 'a' }, 11)], 'a'],
  [`{{ query "metric{instance='a'}" | first | label "foo" }}`, null, [metric({ __name__: 'metric', instance: 'a' }, 11)], ''],
  ['{{ $x := query "metric" | first }}{{ $x.Labels.foo }}', null, [metric({ __name__: 'metric', instance: 'a' }, 11)], ''],
  ['{{ range query "metric" | sortByLabel "instance" }}{{.Labels.instance}}:{{.Value}}: {{end}}', null, [metric({ instance: 'b' }, 21), metric({ instance: 'a' }, 11)], 'a:11: b:21: '],
  ['{{ "foo.example.com" | stripPort }}', null, [], 'foo.example.com'],
  ['{{ "foo.example.com:12345" | stripPort }}', null, [], 'foo.example.com'],
  ['{{ "192.0.2.1:12345" | stripPort }}', null, [], '192.0.2.1'],
  ['{{ "2001:0DB8::1" | stripPort }}', null, [], '2001:0DB8::1'],
  ['{{ "[2001:0DB8::1]:12345" | stripPort }}', null, [], '2001:0DB8::1'],
  ['{{ "[2001:0DB8::1]::12345" | stripPort }}', null, [], '[2001:0DB8::1]::12345'],
  ['{{ reReplaceAll "(a)b" "x$1" "ab" }}', null, [], 'xa'],
  ['{{ range . }}{{ humanize . }}:{{ end }}', floats([0, 1, 1234567, 0.12]), [], '0:1:1.235M:120m:'],
  ['{{ range . }}{{ humanize . }}:{{ end }}', strs(['0.0', '1.0', '1234567.0', '.12']), [], '0:1:1.235M:120m:'],
  ['{{ range . }}{{ humanize . }}:{{ end }}', ints([0, -1, 1, 1234567, 9223372036854775807]), [], '0:-1:1:1.235M:9.223E:'],
  ['{{ range . }}{{ humanize1024 . }}:{{ end }}', floats([0, 1, 1048576, 0.12]), [], '0:1:1Mi:0.12:'],
  ['{{ range . }}{{ humanize1024 . }}:{{ end }}', ints([0, -1, 1, 1234567, 9223372036854775807]), [], '0:-1:1:1.177Mi:8Ei:'],
  ['{{ range . }}{{ humanizeDuration . }}:{{ end }}', floats([0, 1, 60, 3600, 86400, 86400 + 3600, -(86400 * 2 + 3600 * 3 + 60 * 4 + 5), 899.99]), [], '0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:'],
  ['{{ range . }}{{ humanizeDuration . }}:{{ end }}', floats([0.1, 0.0001, 0.12345, 60.1, 60.5, 1.2345, 12.345]), [], '100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:'],
  ['{{ range . }}{{ humanizeDuration . }}:{{ end }}', ints([0, -1, 1, 1234567]), [], '0s:-1s:1s:14d 6h 56m 7s:'],
  ['{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:{{humanizeTimestamp .}}:{{ end }}', floats([Infinity, -Infinity, NaN]), [], '+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:'],
  ['{{ -0.22222 | humanizePercentage }}:{{ 0.0 | humanizePercentage }}:{{ 0.1234567 | humanizePercentage }}:{{ 1.23456 | humanizePercentage }}', null, [], '-22.22%:0%:12.35%:123.5%'],
  ['{{ range . }}{{ humanizePercentage . }}:{{ end }}', ints([0, -1, 1, 1234567, 9223372036854775807]), [], '0%:-100%:100%:1.235e+08%:9.223e+20%:'],
  ['{{ range . }}{{ humanizeTimestamp . }}:{{ end }}', ints([0, -1, 1, 1234567, 9223372036]), [], '1970-01-01 00:00:00 +0000 UTC:1969-12-31 23:59:59 +0000 UTC:1970-01-01 00:00:01 +0000 UTC:1970-01-15 06:56:07 +0000 UTC:2262-04-11 23:47:16 +0000 UTC:'],
  ['{{ 1435065584.128 | humanizeTimestamp }}', null, [], '2015-06-23 13:19:44.128 +0000 UTC'],
  ['{{ "1435065584.128" | humanizeTimestamp }}', null, [], '2015-06-23 13:19:44.128 +0000 UTC'],
  ['{{ (1435065584.128 | toTime).Format "2006" }}', null, [], '2015'],
  ['{{ (1800 | toDuration).String }}', null, [], '30m0s'],
  ['{{ now }}', null, [], '1.353755652e+09'],
  ['{{ (now | toTime).Format "Mon Jan 2 15:04:05 2006" }}', null, [], 'Sat Nov 24 11:14:12 2012'],
  ['{{ ("-30m" | parseDuration | toDuration | (now | toTime).Add).UnixMilli }}', null, [], '1353753852000'],
  ['{{ "aa bb CC" | title }}', null, [], 'Aa Bb CC'],
  ['{{ "aa bb CC" | toUpper }}', null, [], 'AA BB CC'],
  ['{{ "aA bB CC" | toLower }}', null, [], 'aa bb cc'],
  ['{{ match "a+" "aa" }} {{ match "a+" "b" }}', null, [], 'true false'],
  ['{{ graphLink "up" }}', null, [], '/graph?g0.expr=up&g0.tab=0'],
  ['{{ tableLink "up" }}', null, [], '/graph?g0.expr=up&g0.tab=1'],
  ['{{ pathPrefix }} {{ externalURL }}', null, [], '/path/prefix http://localhost:9090/path/prefix'],
  ['{{ "foo.example.com:12345" | stripDomain }} {{ "192.0.2.1:12345" | stripDomain }}', null, [], 'foo:12345 192.0.2.1:12345'],
  ['{{ "a b&c" | urlQueryEscape }}', null, [], 'a+b%26c'],
  // Go text/template itself: control flow, variables, comparisons, fmt.
  ['{{ printf "%.2f %d %s %v %q %5.1f|%-5s|%05d %x" 3.14159 42 "str" 1e6 "q" 2.25 "ab" 42 255 }}', null, [], '3.14 42 str 1e+06 "q"   2.2|ab   |00042 ff'],
  ['{{ printf "%d" 1.5 }} {{ printf "%s" 1.5 }} {{ printf "%d" }} {{ printf "x" 1 }}', null, [], '%!d(float64=1.5) %!s(float64=1.5) %!d(MISSING) x%!(EXTRA int=1)'],
  ['{{ if eq "a" "b" "a" }}ok{{end}} {{ and 1 0 }} {{ or 0 "" "x" }} {{ not 0 }}', null, [], 'ok 0 x true'],
  ['{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}', null, [], '2'],
  ['{{ range $i, $e := . }}{{ $i }}={{ $e }};{{ else }}empty{{ end }}', strs(['a', 'b']), [], '0=a;1=b;'],
  ['{{ range . }}x{{ else }}empty{{ end }}', strs([]), [], 'empty'],
  ['{{ range $k, $v := . }}{{ $k }}={{ $v }},{{ end }}', GoMap.ofStrings({ b: '2', a: '1' }), [], 'a=1,b=2,'],
  ['{{ len "abc" }} {{ index . 1 }} {{ slice "abcdef" 1 3 }}', strs(['x', 'y']), [], '3 y bc'],
  ['a {{- " b " -}} c', null, [], 'a b c'],
  ['{{/* comment */}}x{{- /* c2 */ -}} y', null, [], 'xy'],
  ['{{ range $i, $e := . }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ if eq $i 3 }}{{ break }}{{ end }}{{ $e }}{{ end }}', strs(['a', 'b', 'c', 'd']), [], 'ac'],
  ['{{ with $x := "hello" }}{{ $x }}{{ . }}{{ end }}', null, [], 'hellohello'],
  ['{{ if false }}a{{ else if true }}b{{ else }}c{{ end }}', null, [], 'b'],
  ['{{ 1.5 }} {{ 1e3 }} {{ 0x10 }} {{ \'a\' }} {{ -1 }} {{ 1234567.0 }} {{ 0.00001 }}', null, [], '1.5 1000 16 97 -1 1.234567e+06 1e-05'],
  ['{{ reReplaceAll "a*" "-" "baaac" }} {{ reReplaceAll ".*" "X" "abc" }} {{ reReplaceAll "(?P<n>\\\\w+):(\\\\d+)" "$n at ${2}" "host:80" }}', null, [], '-b-c- X host at 80'],
];

test('templates expand as Prometheus expands them', async () => {
  for (const [text, data, vector, want] of cases) assert.equal(await expand(text, data, vector), want, text);
});

test('execution errors carry Go\'s position and context', async () => {
  const errs: Array<[string, string]> = [
    ['{{ query "missing" | first }}', 'template: test:1:21: executing "test" at <first>: error calling first: first() called on vector with no elements'],
    ['{{ humanize "one" }}', 'template: test:1:3: executing "test" at <humanize "one">: error calling humanize: strconv.ParseFloat: parsing "one": invalid syntax'],
    ['{{ "one" | humanizePercentage }}', 'template: test:1:11: executing "test" at <humanizePercentage>: error calling humanizePercentage: strconv.ParseFloat: parsing "one": invalid syntax'],
    ['{{ if gt 1.5 1 }}x{{ end }}', 'template: test:1:6: executing "test" at <gt 1.5 1>: error calling gt: incompatible types for comparison'],
    ['{{ toUpper 5 }}', 'template: test:1:11: executing "test" at <5>: expected string; found 5'],
  ];
  for (const [text, msg] of errs) await assert.rejects(async () => expand(text), { message: msg }, text);
});

test('execution is bounded: a template cannot run away', async () => {
  await assert.rejects(async () => expand('{{ range 100000000 }}{{ end }}'), /exceeded 1000000 steps/);
  await assert.rejects(async () => expand('{{ range 100000000 }}{{ . }}{{ end }}'), /output exceeded 1048576 bytes/);
  await assert.rejects(async () => expand('{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}'), /exceeded maximum template depth/);
});

test('parse errors name the position: unknown functions, undefined variables, syntax', () => {
  const bad: Array<[string, string]> = [
    ['{{ humanise $x }}', 'template: test:1:4: function "humanise" not defined'],
    ['{{ $undefined }}', 'template: test:1:4: undefined variable "$undefined"'],
    ['line one\n{{ .Labels.x', 'template: test:2:1: unclosed action'],
    ['{{ if }}{{ end }}', 'template: test:1:7: missing value for if'],
    ['{{ end }}', 'template: test:1:4: unexpected {{end}}'],
    ['{{ range . }}', 'template: test:1:14: unexpected EOF'],
    ['{{ break }}', 'template: test:1:4: {{break}} outside {{range}}'],
    ['{{ 3 | printf }}{{ .x | 3 }}', 'template: test:1:25: non executable command in pipeline stage 2'],
  ];
  for (const [text, msg] of bad) {
    assert.throws(() => Template.parse('test', text, PROMETHEUS_FUNCS), (e: unknown) => e instanceof TemplateParseError && e.message === msg, text);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GoMap, GoSlice, GoStruct, Int, Template, TemplateExecError, sprintV, type GoValue, type ValueMethod } from './index.js';

test('associated templates: a text calls the defines of its parents; a later define overrides an earlier one', () => {
  const base = Template.parse('default.tmpl', '{{ define "greet" }}hello {{ template "name" . }}{{ end }}{{ define "name" }}world{{ end }}');
  const user = Template.parse('user.tmpl', '{{ define "name" }}{{ .who }}{{ end }}', new Map(), undefined, base);
  const field = Template.parse('field', '[{{ template "greet" . }}]', new Map(), undefined, user);
  assert.equal(field.execute(GoMap.ofStrings({ who: 'alice' })), '[hello alice]');
  const plain = Template.parse('field', '[{{ template "greet" . }}]', new Map(), undefined, base);
  assert.equal(plain.execute(GoMap.ofStrings({})), '[hello world]');
});

test('an error inside a parent’s define names that template’s own position', () => {
  const base = Template.parse('default.tmpl', '{{ define "x" }}\n  {{ .a.b }}{{ end }}');
  const field = Template.parse('field', '{{ template "x" . }}', new Map(), undefined, base);
  assert.throws(() => field.execute('str'), (e: unknown) => e instanceof TemplateExecError && /template: default\.tmpl:2:\d+: executing "default\.tmpl" at <\.a\.b>/.test(e.message));
  assert.throws(() => Template.parse('f', '{{ template "nope" . }}', new Map(), undefined, base).execute(null), /no such template "nope"/);
});

test('methods of the data’s named types are found before map keys, with their arguments', () => {
  const methods = new Map<string, ValueMethod>([
    ['Upper', (args: GoValue[]) => sprintV(args[0] ?? null).toUpperCase()],
    ['Count', (_args: GoValue[]) => new Int(2)],
  ]);
  const kv = new GoMap(new Map([['Count', 'shadowed'], ['a', 'x']]), 'template.KV', '', methods);
  assert.equal(Template.parse('t', '{{ .Upper "hi" }} {{ .Count }} {{ .a }}').execute(kv), 'HI 2 x');
  const list = new GoSlice(['a', 'b'], 'template.Strings', new Map([['Join', (args: GoValue[]) => ['a', 'b'].join(String(args[0]))]]));
  assert.equal(Template.parse('t', '{{ .Join "," }} {{ len . }}').execute(list), 'a,b 2');
  const st = new GoStruct('template.Data', new Map([['Status', 'firing']]), false, new Map([['Loud', () => 'FIRING']]));
  assert.equal(Template.parse('t', '{{ .Status }} {{ .Loud }}').execute(st), 'firing FIRING');
  const failing = new GoMap(new Map(), 'template.KV', '', new Map([['Need', (args: GoValue[], fail: (m: string) => never) => (args.length === 1 ? 'ok' : fail(`wrong number of args for Need: want 1 got ${args.length}`))]]));
  assert.throws(() => Template.parse('t', '{{ .Need }}').execute(failing), /wrong number of args for Need: want 1 got 0/);
});

test('an escape function prints action results (html/template), literal text stays as written', () => {
  const t = Template.parse('t', '<b>{{ .v }}</b>');
  assert.equal(t.execute(GoMap.ofStrings({ v: '<i>&' }), undefined, { escape: (v) => sprintV(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') }), '<b>&lt;i&gt;&amp;</b>');
  assert.equal(t.execute(GoMap.ofStrings({ v: '<i>&' })), '<b><i>&</b>');
});

// `vigil rules test --junit/--debug/--diff`: the reports promtool 3's flags of the same names
// give CI systems and people (promtool 2.42 from Debian has none of them to compare with; the
// shapes follow Prometheus's util/junitxml and cmd/promtool/unittest.go).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/main.js';

let DIR: string;

const RULES = `groups:
  - name: g
    rules:
      - record: fixed_data
        expr: vector(1)
      - alert: InstanceDown
        expr: up == 0
        for: 5m
        labels: {severity: page}
        annotations: {summary: "Instance {{ $labels.instance }} down"}
      - alert: AlwaysFiring
        expr: vector(1)
`;

before(() => {
  DIR = mkdtempSync(join(tmpdir(), 'vigil-rules-reports-'));
  writeFileSync(join(DIR, 'rules.yml'), RULES);
  writeFileSync(
    join(DIR, 'passing.yml'),
    `rule_files: [rules.yml]\ntests:\n  - input_series: [{series: 'up{job="test"}', values: '1x10'}]\n    promql_expr_test: [{expr: fixed_data, eval_time: 1m, exp_samples: [{labels: fixed_data, value: 1}]}]\n  - name: second\n    input_series: []\n    alert_rule_test: [{eval_time: 1m, alertname: InstanceDown, exp_alerts: []}]\n`,
  );
  writeFileSync(
    join(DIR, 'failing.yml'),
    `rule_files: [rules.yml]\ntests:\n  - name: Failing test\n    input_series: [{series: test, values: '0'}]\n    alert_rule_test: [{eval_time: 0m, alertname: Test, exp_alerts: [{}]}]\n    promql_expr_test: [{expr: test, eval_time: 0m, exp_samples: [{labels: test, value: 1}]}]\n  - name: Failing alert test\n    input_series: [{series: 'up{job="test"}', values: '0x10'}]\n    alert_rule_test:\n      - {eval_time: 5m, alertname: InstanceDown, exp_alerts: []}\n      - {eval_time: 5m, alertname: AlwaysFiring, exp_alerts: []}\n`,
  );
});

after(() => rmSync(DIR, { recursive: true, force: true }));

async function vigil(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), env: {} };
  const prev = process.cwd();
  process.chdir(DIR);
  try {
    return { code: await runCli(args, io), stdout, stderr };
  } finally {
    process.chdir(prev);
  }
}

test('--junit writes one testsuite per file, one testcase per test group, a failure per failed check', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-junit-'));
  try {
    const out = join(dir, 'report.xml');
    const r = await vigil(['rules', 'test', '--junit', out, 'passing.yml', 'failing.yml', 'no-such-file.yml']);
    assert.equal(r.code, 1);
    const xml = readFileSync(out, 'utf8');
    assert.match(xml, /^<testsuites><testsuite name="passing\.yml" tests="2" failures="0" errors="0" skipped="0" timestamp="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"><testcase name="unnamed#0"><\/testcase><testcase name="second"><\/testcase><\/testsuite>/);
    const failing = /<testsuite name="failing\.yml" tests="2" failures="4" errors="0" skipped="0" timestamp="[^"]+">(.*?)<\/testsuite>/.exec(xml);
    assert.ok(failing, xml);
    assert.deepEqual([...(failing[1] as string).matchAll(/<testcase name="([^"]*)">/g)].map((m) => m[1]), ['Failing test', 'Failing alert test']);
    assert.match(failing[1] as string, /<failure>    name: Failing test,&#xA;    alertname: Test, time: 0s, &#xA;/, 'text escaped as Go escapes it');
    assert.match(failing[1] as string, /<failure>    expr: &#34;test&#34;, time: 0s,&#xA;/);
    assert.match(xml, /<testsuite name="no-such-file\.yml" tests="1" failures="0" errors="1" skipped="0" timestamp=""><testcase name="unknown"><error>open no-such-file\.yml: no such file or directory<\/error><\/testcase><\/testsuite><\/testsuites>$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--junit with --run lists only the groups that ran; a file that cannot be written is reported, the exit status stays the tests\'', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-junit-'));
  try {
    const out = join(dir, 'report.xml');
    assert.equal((await vigil(['rules', 'test', '--run', 'Failing alert', '--junit', out, 'failing.yml'])).code, 1);
    assert.deepEqual([...readFileSync(out, 'utf8').matchAll(/<testcase name="([^"]*)">/g)].map((m) => m[1]), ['Failing alert test']);
    const r = await vigil(['rules', 'test', '--junit', join(dir, 'missing', 'report.xml'), 'passing.yml']);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /^failed to write JUnit XML: ENOENT/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--debug prints each group\'s start, its data and its duration; --diff marks the lines that differ', async () => {
  const r = await vigil(['rules', 'test', '--debug', '--diff', '--run', 'Failing alert', 'failing.yml']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^DEBUG: Starting test Failing alert test\nDEBUG: Dump of all data \(input_series and rules\) at 5m1s:\n/);
  assert.match(r.stderr, /\n\{__name__="up", job="test"\} =>\n0 @\[60000\]\n0 @\[120000\]\n0 @\[180000\]\n0 @\[240000\]\n0 @\[300000\]\n/);
  assert.match(r.stderr, /\n\{__name__="fixed_data"\} =>\n1 @\[60000\]\n/, 'rule output is in the dump');
  assert.match(r.stderr, /\nDEBUG: Test Failing alert test finished, took [\d.]+(ms|µs|s)\n/);
  assert.match(r.stderr, /        diff:\n            - \[\]\n            \+ \[\n            \+ 0:\n            \+   Labels:\{alertname="InstanceDown", job="test", severity="page"\}\n/);
  const plain = await vigil(['rules', 'test', '--run', 'Failing alert', 'failing.yml']);
  assert.doesNotMatch(plain.stderr, /DEBUG|diff:/);
});

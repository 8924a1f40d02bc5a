// `vigil rules check` against the real promtool (Debian's 2.42) on the same files: the same exit
// status for every file, and the same output where Prometheus 2.42 and 3 agree (3's extra
// fields, positions Vigil adds and UTF-8 names aside).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli as main } from '../src/cli/main.js';
import { benchRulesYAML } from '../bench/rule-eval-data.js';

const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));
const skip = PROMTOOL ? false : 'promtool not found (apt-get install prometheus)';
const DIR = fileURLToPath(new URL('../src/config/testdata/rules', import.meta.url));

async function vigil(args: string[], cwd: string): Promise<{ code: number; out: string }> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), env: {} };
  const prev = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(args, io);
    return { code, out: `${stdout}${stderr}` };
  } finally {
    process.chdir(prev);
  }
}

function promtool(args: string[], cwd: string): { code: number; out: string } {
  const r = spawnSync(PROMTOOL as string, args, { cwd, encoding: 'utf8' });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

test('rules check: the exit status of promtool check rules for every test file', { skip }, async () => {
  for (const f of readdirSync(DIR).filter((x) => x.endsWith('.yml'))) {
    if (f === 'good.yml') continue; // query_offset and group labels are Prometheus 3 fields
    const v = await vigil(['rules', 'check', f], DIR);
    const p = promtool(['check', 'rules', f], DIR);
    assert.equal(v.code, p.code, `${f}\nvigil:\n${v.out}\npromtool:\n${p.out}`);
  }
});

test('rules check: byte for byte what promtool prints, where 2.42 and Vigil agree', { skip }, async () => {
  for (const f of ['bad-expr.yml', 'groups.yml']) {
    const v = await vigil(['rules', 'check', f], DIR);
    const p = promtool(['check', 'rules', f], DIR);
    assert.equal(v.out, p.out, f);
  }
  const dir = mkdtempSync(join(tmpdir(), 'vigil-promtool-'));
  try {
    writeFileSync(join(dir, 'mixin.yml'), benchRulesYAML(1000));
    const v = await vigil(['rules', 'check', 'mixin.yml'], dir);
    const p = promtool(['check', 'rules', 'mixin.yml'], dir);
    assert.equal(v.code, 0);
    assert.equal(v.out, p.out, 'duplicate-rule lint of 1,000 mixin-style rules');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rules test: what promtool test rules prints for the conformance files 2.42 understands', { skip }, async () => {
  const conf = process.env['RULES_CONFORMANCE_DIR'] ?? fileURLToPath(new URL('../../shared/conformance/rules/testdata', import.meta.url));
  const dir = existsSync(conf) ? conf : fileURLToPath(new URL('../../../shared/conformance/rules/testdata', import.meta.url));
  if (!existsSync(dir)) return;
  for (const f of ['failing.yml', 'rules_run.yml', 'bad-promql.yml', 'bad-rules-error-test.yml']) {
    const v = await vigil(['rules', 'test', f], dir);
    const p = promtool(['test', 'rules', f], dir);
    assert.equal(v.code, p.code, f);
    // The PromQL engines list the duplicate series of a matching error in different orders.
    if (!f.startsWith('bad-')) assert.equal(v.out, p.out, f);
  }
});

test('rules test and check read YAML as Go does: a selector broken over lines, its closing quote under its key', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-promtool-yaml-'));
  try {
    writeFileSync(
      join(dir, 'rules.yml'),
      `groups:
  - name: api
    rules:
      - alert: ApiErrors
        expr: 'rate(http_requests_total{
            code="500"
          }[5m]) > 0'
        labels: {severity: page}
`,
    );
    writeFileSync(
      join(dir, 'test.yml'),
      `rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'http_requests_total{
          job="api",
          code="500"
        }'
        values: '0+10x10'
    alert_rule_test:
      - eval_time: 10m
        alertname: ApiErrors
        exp_alerts:
          - exp_labels: {severity: page, job: api, code: "500"}
`,
    );
    for (const args of [['check', 'rules', 'rules.yml'], ['test', 'rules', 'test.yml']]) {
      const p = promtool(args, dir);
      const v = await vigil(['rules', args[0] as string, args[2] as string], dir);
      assert.equal(p.code, 0, `promtool ${args.join(' ')}:\n${p.out}`);
      assert.equal(v.code, 0, `vigil ${args.join(' ')}:\n${v.out}`);
      assert.equal(v.out, p.out);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

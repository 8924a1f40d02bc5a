import { parseArgs } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseRuleFile, readRuleFile, type RuleFileResult } from '../config/index.js';
import { formatExpr, parseExpr } from '../promql/index.js';
import { compareLabels, labelsString, type GroupSpec } from '../rules/index.js';
import { junitXml, runTestFile, type FileResult } from '../ruletest/index.js';
import { UsageError, type Command, type CliIO } from './command.js';

const parse = (s: string) => formatExpr(parseExpr(s));

const checkUsage = `Usage: vigil rules check [options] [FILE...]

Checks Prometheus rule files as \`promtool check rules\` does: YAML, rule fields, PromQL, and
label and annotation templates (an unknown function or a syntax error is reported with its
position). Reads standard input when no FILE is given. Exit status: 0 when every file is
valid, 1 when one is not, 3 for lint problems with --lint-fatal.

Options:
  --lint=duplicate-rules|none   report recording rules with the same name and labels (default duplicate-rules)
  --lint-fatal                  make lint problems exit with status 3
  --ignore-unknown-fields       accept keys rule files do not define
`;

interface RuleKey {
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Rules with the same name and labels (promtool's checkDuplicates), each reported once. */
function duplicates(groups: readonly GroupSpec[]): RuleKey[] {
  const count = new Map<string, { key: RuleKey; n: number }>();
  for (const g of groups) {
    for (const r of g.rules) {
      const key = { metric: r.record ?? r.alert ?? '', labels: { ...(g.labels ?? {}), ...(r.labels ?? {}) } };
      const k = `${key.metric}\u0000${labelsString(key.labels)}`;
      const e = count.get(k);
      if (e) e.n++;
      else count.set(k, { key, n: 1 });
    }
  }
  return [...count.values()]
    .filter((e) => e.n > 1)
    .map((e) => e.key)
    .sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : compareLabels(a.labels, b.labels)));
}

function lintMessage(dups: readonly RuleKey[]): string {
  let out = `lint error ${dups.length} duplicate rule(s) found.\n`;
  for (const d of dups) {
    out += `Metric: ${d.metric}\nLabel(s):\n`;
    for (const k of Object.keys(d.labels).sort()) out += `\t${k}: ${d.labels[k]}\n`;
  }
  return `${out}Might cause inconsistency while recording expressions`;
}

async function check(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { lint: { type: 'string', default: 'duplicate-rules' }, 'lint-fatal': { type: 'boolean', default: false }, 'ignore-unknown-fields': { type: 'boolean', default: false } },
  });
  const lint = values.lint ?? 'duplicate-rules';
  if (lint !== 'duplicate-rules' && lint !== 'none' && lint !== 'all') throw new UsageError(`unknown --lint option "${lint}" (duplicate-rules, all or none)`);
  const opts = { parseExpr: parse, ignoreUnknownFields: values['ignore-unknown-fields'] === true };
  let failed = false;
  let hasErrors = false;
  const inputs: Array<{ name: string; load: () => RuleFileResult }> =
    positionals.length === 0
      ? [{ name: 'standard input', load: () => parseRuleFile(readFileSync(0, 'utf8'), 'standard input', opts) }]
      : positionals.map((f) => ({ name: f, load: () => readRuleFile(f, opts) }));
  for (const input of inputs) {
    io.stdout(`Checking ${input.name}\n`);
    const r = input.load();
    for (const w of r.warnings) io.stderr(`  WARNING: ${w}\n`);
    if (r.errors.length > 0) {
      failed = true;
      hasErrors = true;
      io.stderr('  FAILED:\n');
      for (const e of r.errors) io.stderr(`${e}\n`);
      io.stdout('\n');
      continue;
    }
    const dups = lint === 'none' ? [] : duplicates(r.groups);
    if (dups.length > 0) {
      failed = true;
      io.stderr(`  FAILED:\n${lintMessage(dups)}\n`);
    } else io.stdout(`  SUCCESS: ${r.groups.reduce((n, g) => n + g.rules.length, 0)} rules found\n`);
    io.stdout('\n');
  }
  if (failed && hasErrors) return 1;
  if (failed && values['lint-fatal']) return 3;
  return 0;
}

const testUsage = `Usage: vigil rules test [options] FILE...

Runs Prometheus rule unit-test files (the \`promtool test rules\` format, unchanged): input
series, alert_rule_test and promql_expr_test cases against the rule files they list. Prints
each failure with what was expected and what was got. Exit status 0 when every test passes,
1 when any fails.

Options:
  --run REGEX                only run test groups whose name matches (repeatable)
  --ignore-unknown-fields    accept keys the rule files do not define
  --junit FILE               also write the results as JUnit XML to FILE (for CI)
  --debug                    print each test group's start and duration, and a dump of
                             all its series, to standard error
  --diff                     show the lines that differ in a failed alert test
`;

async function test(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      run: { type: 'string', multiple: true },
      'ignore-unknown-fields': { type: 'boolean', default: false },
      junit: { type: 'string' },
      debug: { type: 'boolean', default: false },
      diff: { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) throw new UsageError('rules test needs at least one FILE');
  if (values.junit === '') throw new UsageError('--junit needs a FILE');
  let failed = false;
  const results: FileResult[] = [];
  for (const f of positionals) {
    io.stdout(`Unit Testing:  ${f}\n`);
    const r = await runTestFile(f, {
      ...(values.run ? { run: values.run } : {}),
      ignoreUnknownFields: values['ignore-unknown-fields'] === true,
      diff: values.diff === true,
      ...(values.debug ? { debug: (line: string) => io.stderr(`${line}\n`) } : {}),
    });
    results.push(r);
    for (const w of r.warnings) io.stderr(`${w}\n`);
    if (r.errors.length > 0) {
      failed = true;
      io.stderr('  FAILED:\n');
      for (const e of r.errors) {
        io.stderr(`${e}\n`);
        io.stdout('\n');
      }
    } else io.stdout('  SUCCESS\n');
    io.stdout('\n');
  }
  if (values.junit) {
    try {
      writeFileSync(values.junit, junitXml(results));
    } catch (e) {
      io.stderr(`failed to write JUnit XML: ${(e as Error).message}\n`);
    }
  }
  return failed ? 1 : 0;
}

export const rulesCheckCommand: Command = { name: 'rules check', summary: 'check Prometheus rule files (as promtool check rules)', usage: checkUsage, run: check };
export const rulesTestCommand: Command = { name: 'rules test', summary: 'run rule unit tests (promtool test rules files)', usage: testUsage, run: test };

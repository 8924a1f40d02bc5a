import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { formatExpr, parseExpr } from '../promql/index.js';
import { loadRuleFiles, parseRuleFile, readRuleFile } from './rule-files.js';

const DIR = fileURLToPath(new URL('./testdata/rules', import.meta.url));
const parse = (s: string) => formatExpr(parseExpr(s));

// Golden test: every file in testdata/rules with the exact messages it gives. Regenerate with
// UPDATE_GOLDEN=1 after a deliberate change, and review the diff.
test('rule files: each bad file gives its exact messages (errors.golden)', () => {
  let out = '';
  for (const f of readdirSync(DIR).filter((x) => x.endsWith('.yml')).sort()) {
    const r = parseRuleFile(readFileSync(join(DIR, f), 'utf8'), f, { parseExpr: parse });
    out += `== ${f} (${r.groups.length} groups)\n${r.errors.map((e) => `${e}\n`).join('')}`;
  }
  const golden = join(DIR, 'errors.golden');
  if (process.env['UPDATE_GOLDEN']) writeFileSync(golden, out);
  assert.equal(out, readFileSync(golden, 'utf8'));
});

test('rule files: a valid file loads into groups with every field', () => {
  const r = readRuleFile(join(DIR, 'good.yml'), { parseExpr: parse });
  assert.deepEqual(r.errors, []);
  const [g] = r.groups;
  assert.equal(g?.name, 'node.rules');
  assert.equal(g?.interval, 30_000);
  assert.equal(g?.queryOffset, 10_000);
  assert.equal(g?.limit, 1000);
  assert.deepEqual(g?.labels, { team: 'infra' });
  const alert = g?.rules[1];
  assert.equal(alert?.for, 30 * 60_000);
  assert.equal(alert?.keepFiringFor, 5 * 60_000);
  assert.equal(alert?.annotations?.['summary'], 'Filesystem has less than 5% space left.');
});

test('rule files: --ignore-unknown-fields accepts keys rulefmt does not define', () => {
  const r = readRuleFile(join(DIR, 'unknown-field.yml'), { parseExpr: parse, ignoreUnknownFields: true });
  assert.deepEqual(r.errors, []);
  assert.equal(r.groups[0]?.rules[0]?.record, 'x');
});

test('rule files: globs relative to the config directory, each file once, missing files named', () => {
  const r = loadRuleFiles(['good.yml', 'g*.yml', 'none-*.yml'], DIR, { parseExpr: parse });
  assert.deepEqual(
    r.files.map((f) => f.slice(DIR.length + 1)),
    ['good.yml', 'groups.yml'],
  );
  const missing = readRuleFile(join(DIR, 'missing.yml'), { parseExpr: parse });
  assert.deepEqual(missing.errors, [`${join(DIR, 'missing.yml')}: open ${join(DIR, 'missing.yml')}: no such file or directory`]);
});

test('rule files: scalars decode as Go does (numbers in string fields keep their text)', () => {
  const r = parseRuleFile('groups:\n- name: g\n  rules:\n  - alert: One\n    expr: 1.0\n    labels: {code: 404}\n', 'f.yml', { parseExpr: parse });
  assert.deepEqual(r.errors, []);
  assert.equal(r.groups[0]?.rules[0]?.expr, '1.0');
  assert.deepEqual(r.groups[0]?.rules[0]?.labels, { code: '404' });
  assert.deepEqual(parseRuleFile('', 'empty.yml', { parseExpr: parse }), { groups: [], errors: [], warnings: [] });
});

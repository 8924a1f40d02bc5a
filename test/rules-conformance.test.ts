import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/app/main.js';

// Prometheus's own `promtool test rules` files (cmd/promtool/testdata), run through `vigil rules
// test` with the arguments EXPECTED.tsv lists; every row must exit with the listed status. The
// files that must fail count as much as those that must pass.
// The data lives in the shared folder beside the checkout (../shared from the repository root);
// from a worktree further down, the nearest ancestor's shared/ is used.
function findDir(): string {
  const env = process.env['RULES_CONFORMANCE_DIR'];
  if (env) return env;
  let dir = fileURLToPath(new URL('..', import.meta.url));
  for (;;) {
    const parent = dirname(dir);
    const candidate = join(parent, 'shared', 'conformance', 'rules');
    if (existsSync(join(candidate, 'EXPECTED.tsv')) || parent === dir) return candidate;
    dir = parent;
  }
}
const DIR = findDir();

interface Row {
  readonly file: string;
  readonly args: string[];
  readonly expected: number;
  readonly name: string;
}

function rows(): Row[] {
  return readFileSync(join(DIR, 'EXPECTED.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [file, args, expected, name] = l.split('\t') as [string, string, string, string];
      return { file, args: args.trim() === '' ? [] : args.trim().split(/\s+/), expected: Number(expected), name };
    });
}

const skip = existsSync(join(DIR, 'EXPECTED.tsv')) ? false : `conformance data not found at ${DIR} (set RULES_CONFORMANCE_DIR to the shared conformance/rules folder)`;

test('rules conformance: promtool test rules files give promtool\'s exit status', { skip }, async () => {
  const all = rows();
  const failures: string[] = [];
  let passed = 0;
  for (const r of all) {
    let out = '';
    const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (out += t), env: {} };
    const code = await main(['rules', 'test', ...r.args, join(DIR, 'testdata', r.file)], io);
    if (code === r.expected) passed++;
    else failures.push(`${r.file} ${r.args.join(' ')} (${r.name}): exit ${code}, expected ${r.expected}\n${out.split('\n').slice(0, 30).join('\n')}`);
  }
  console.log(`rules conformance: ${passed} of ${all.length} rows give the expected exit status`);
  assert.equal(failures.length, 0, failures.join('\n\n'));
  assert.ok(all.length >= 19, `EXPECTED.tsv lists ${all.length} rows`);
});

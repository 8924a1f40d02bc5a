// A clone without the shared conformance data (e.g. outside this project's machines) must
// pass, with those suites reported as skipped and why; a clone with it runs them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function runSuite(file: string, env: Record<string, string>): { status: number | null; out: string } {
  // A child test run of its own, not a subtest of this one (node:test marks those with NODE_TEST_CONTEXT).
  const { NODE_TEST_CONTEXT: _, ...parent } = process.env;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', file], {
    cwd: root,
    env: { ...parent, ...env, CI: 'true' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

for (const [file, envVar] of [
  ['test/promql-conformance.test.ts', 'PROMQL_CONFORMANCE_DIR'],
  ['test/loghub.test.ts', 'LOGHUB_DIR'],
] as const) {
  test(`${file} without its data: skipped with the reason and how to get the data, not failed`, () => {
    const r = runSuite(file, { [envVar]: '/nonexistent/conformance-data' });
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /# SKIP .*conformance data not found \(\/nonexistent\/conformance-data\)/);
    assert.match(r.out, new RegExp(`set ${envVar} to where the data is`));
    assert.match(r.out, /# fail 0/);
  });
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The external conformance suites read data that lives outside this repository (the
 * project's shared folder, `../shared/conformance` beside the checkout). A clone without it
 * skips those suites, saying why and how to get the data; a clone with it runs them, and
 * they must pass.
 *
 * Returns false when `dir` holds every one of `needs`, else the skip reason.
 */
export function conformanceSkip(opts: { suite: string; dir: string; envVar: string; needs: readonly string[]; source: string }): false | string {
  const missing = opts.needs.filter((f) => !existsSync(join(opts.dir, f)));
  if (missing.length === 0) return false;
  return (
    `${opts.suite}: conformance data not found (${missing.length === opts.needs.length ? opts.dir : `missing ${missing.join(', ')} in ${opts.dir}`}). ` +
    `It is ${opts.source}, kept in the project's shared folder, not in this repository: put that folder's conformance/ at ../shared/conformance beside ` +
    `the checkout, or set ${opts.envVar} to where the data is, to run this suite.`
  );
}

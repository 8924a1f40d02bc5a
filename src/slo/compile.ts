import { compileSli, type ParsePromQL, type SliQueries } from './sli.js';
import { generateGroups, type GeneratedGroup } from './rules.js';
import type { SloSpec } from './spec.js';

/** An SLO ready to run: its spec, its SLI's queries and its rule groups. */
export interface CompiledSlo {
  readonly spec: SloSpec;
  readonly queries: SliQueries;
  readonly groups: readonly GeneratedGroup[];
}

export interface CompileResult {
  readonly slos: CompiledSlo[];
  /** Every problem, each naming the SLO and its source: `vigil.yml: slos "checkout": sli.events.error_query: …`. */
  readonly errors: string[];
}

/** Compiles SLOs (names must be unique across every source); nothing of an SLO with a problem is kept. */
export function compileSlos(specs: readonly SloSpec[], parse: ParsePromQL, opts: { version: string }): CompileResult {
  const errors: string[] = [];
  const slos: CompiledSlo[] = [];
  const seen = new Map<string, string>();
  for (const spec of specs) {
    const where = `${spec.source}: SLO ${JSON.stringify(spec.name)}`;
    const first = seen.get(spec.name);
    if (first !== undefined) {
      errors.push(`${where}: the name is already used by the SLO in ${first} (SLO names must be unique)`);
      continue;
    }
    seen.set(spec.name, spec.source);
    const { queries, issues } = compileSli(spec.sli, parse);
    if (issues.length > 0) {
      for (const i of issues) errors.push(`${where}: ${i.field}: ${i.message}`);
      continue;
    }
    slos.push({ spec, queries, groups: generateGroups(spec, queries, opts) });
  }
  return { slos, errors };
}

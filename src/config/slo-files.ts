import { readFileSync } from 'node:fs';
import { LineCounter } from 'yaml';
import { parseYamlDocuments } from './yaml-parse.js';
import { pushAll } from '../model/arrays.js';
import { readOpenSlo, slosFromConfig, type OpenSloDocument, type SloSpec } from '../slo/index.js';
import { expandGlobs } from './glob.js';
import { MAX_CONFIG_ALIASES } from './yaml-guard.js';

export interface SloLoad {
  readonly specs: SloSpec[];
  readonly files: string[];
  /** Problems: nothing is loaded while there is one. */
  readonly errors: string[];
  readonly warnings: string[];
}

/** One OpenSLO file's documents (YAML, one or more `---`-separated), or its YAML errors as `file:line:col: …`. */
function readDocuments(path: string): { docs: OpenSloDocument[]; errors: string[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { docs: [], errors: [`${path}: cannot read: ${err.code === 'ENOENT' ? 'no such file or directory' : (err.code ?? err.message)}`] };
  }
  const lc = new LineCounter();
  const list = parseYamlDocuments(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  const errors: string[] = [];
  const docs: OpenSloDocument[] = [];
  list.forEach((d, i) => {
    for (const e of d.errors) {
      const p = e.pos?.[0] !== undefined ? lc.linePos(e.pos[0]) : undefined;
      errors.push(`${path}${p ? `:${p.line}:${p.col}` : ''}: ${e.message.split('\n')[0] ?? e.message}`);
    }
    if (d.errors.length > 0) return;
    try {
      docs.push({ where: list.length > 1 ? `${path} (document ${i + 1})` : path, doc: d.toJS({ maxAliasCount: MAX_CONFIG_ALIASES }) });
    } catch (e) {
      errors.push(`${path}: ${(e as Error).message}`);
    }
  });
  return { docs, errors };
}

/**
 * The SLOs of a config: `slos:` and the OpenSLO files `slo_files:` names (paths or globs
 * relative to `baseDir`, vigil.yml's directory), read together so an SLO may refer to an SLI
 * of another file. Specs only: compiling them (PromQL) is the caller's (slo/'s compileSlos).
 */
export function loadSloSpecs(config: { readonly slos: Parameters<typeof slosFromConfig>[0]; readonly slo_files: readonly string[] }, baseDir: string, opts: { rateOfCounters: (q: string) => string }): SloLoad {
  const { files, errors: globErrors } = expandGlobs(config.slo_files, baseDir);
  const errors = [...globErrors];
  const docs: OpenSloDocument[] = [];
  for (const f of files) {
    const r = readDocuments(f);
    pushAll(errors, r.errors);
    pushAll(docs, r.docs);
  }
  const open = readOpenSlo(docs, opts);
  pushAll(errors, open.errors);
  const specs = [...slosFromConfig(config.slos), ...open.slos];
  return { specs: errors.length ? [] : specs, files, errors, warnings: open.warnings };
}

// Enforces the module dependency rules of DESIGN.md: imports point one way, engines know
// nothing of HTTP or SQL, api/ and cli/ use a module's index.ts only, only app/ wires everything.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'src');

// For each module: the src/ modules it may import. '*' = any.
const allowed = {
  model: [],
  storage: ['model'],
  tsdb: ['model', 'storage'],
  promql: ['model', 'storage'],
  scrape: ['model', 'storage'],
  ingest: ['model', 'storage', 'logs', 'scrape'],
  probes: ['model', 'storage'],
  rules: ['model', 'storage', 'template'],
  template: ['model'],
  ruletest: ['model', 'storage', 'promql', 'rules', 'config', 'template'],
  alerting: ['model'],
  notify: ['model'],
  incidents: ['model'],
  oncall: ['model'],
  slo: ['model'],
  logs: ['model', 'storage'],
  diagnose: ['model', 'storage'],
  reports: ['model', 'incidents'],
  statuspage: ['model'],
  config: ['model', 'probes', 'alerting', 'notify', 'incidents', 'scrape', 'ingest', 'rules', 'logs', 'oncall', 'slo', 'auth'],
  auth: ['model'],
  db: ['model', 'incidents', 'notify', 'probes', 'alerting', 'storage', 'oncall'],
  api: ['*'],
  cli: ['*'],
  app: ['*'],
  demo: ['model'],
};
// Packages an engine must never import.
const infra = ['fastify', 'kysely', 'better-sqlite3', 'pg', 'yaml'];
const engines = ['model', 'storage', 'tsdb', 'promql', 'alerting', 'logs', 'rules', 'template', 'incidents', 'probes', 'notify', 'scrape', 'oncall', 'slo'];

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const problems = [];
for (const file of walk(src, [])) {
  const rel = relative(src, file);
  const mod = rel.split('/')[0];
  if (rel.endsWith('.test.ts')) continue; // tests may reach for anything to set up real things
  const text = readFileSync(file, 'utf8');
  // Spreading an array into a call puts every element on the stack: past ~100k elements it
  // throws "Maximum call stack size exceeded" (a WAL replay once died of it).
  const spread = /\b(?:push|unshift|splice|max|min|hypot|fromCharCode|fromCodePoint|apply|call)\s*\((?:[^(){}[\]]*,\s*)?\.\.\./g;
  for (const m of text.matchAll(spread)) {
    const before = text.slice(0, m.index).split('\n');
    const line = before.length;
    if (/^\s*(?:\*|\/\/)/.test(before[line - 1] ?? '')) continue; // a comment
    problems.push(`${rel}:${line}: spreads an array into a call (overflows the stack on large arrays); use src/model/arrays.ts or a loop`);
  }
  const re = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) {
    const spec = m[1] ?? m[2];
    if (spec.startsWith('.')) {
      const target = relative(src, resolve(dirname(file), spec));
      if (target.startsWith('..')) continue;
      const tmod = target.split('/')[0];
      if (tmod === mod) continue;
      const ok = allowed[mod];
      if (!ok) { problems.push(`${rel}: module "${mod}" has no dependency rule in scripts/lint-deps.mjs`); continue; }
      if (!ok.includes('*') && !ok.includes(tmod)) problems.push(`${rel}: "${mod}" may not import "${tmod}" (${spec})`);
      if ((mod === 'api' || mod === 'cli') && tmod !== 'model' && !/\/index\.js$/.test(spec)) {
        problems.push(`${rel}: ${mod}/ must import ${tmod}/ through its index.ts (${spec})`);
      }
    } else if (engines.includes(mod)) {
      const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (infra.includes(pkg)) problems.push(`${rel}: engine "${mod}" may not import ${pkg}`);
    }
  }
}
if (problems.length) {
  console.error(`dependency rules: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log('dependency rules: ok');

// Enforces the module dependency rules of DESIGN.md: imports point one way, engines know
// nothing of HTTP or SQL, api/ and cli/ use a module's index.ts only, only app/ wires everything.
// Usage: node scripts/lint-deps.mjs [--src DIR]   (DIR defaults to this repository's src/)
//
// What it checks, on every non-test .ts file under src/:
//  1. a module imports only the modules its rule below allows;
//  2. no cycle between modules, whatever the rules allow (config/ ↔ x would be one);
//  3. api/ and cli/ never import app/ (the composition root imports them, not the reverse),
//     and reach other modules through their index.ts;
//  4. no side-effect imports (`import './x.js'`): every import names what it uses;
//  5. engines never import HTTP (node:http, node:https, node:http2), except the files in
//     HTTP_CLIENTS below, which are HTTP clients by definition (the http probe, the notifiers'
//     shared client), and test support in a module's `testing/` folder (fake servers);
//  6. engines never import database or infrastructure packages — except a module's SQL
//     store, which lives in its own `store/` folder and may import kysely (not a driver);
//  7. concrete SQL stores (`sql-*.ts` files) are imported only by app/ and by tests: engines
//     code against their store interfaces.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve, basename } from 'node:path';

const argv = process.argv.slice(2);
const srcArg = argv.indexOf('--src');
const src = srcArg >= 0 ? resolve(argv[srcArg + 1]) : join(new URL('..', import.meta.url).pathname, 'src');

const ALL_BUT_APP = ['!app'];
// For each module: the src/ modules it may import. '*' = any; '!x' = any but x.
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
  alerts: ['model', 'alerting'],
  notify: ['model', 'template'],
  incidents: ['model'],
  oncall: ['model'],
  slo: ['model'],
  maintenance: ['model'],
  logs: ['model', 'storage'],
  diagnose: ['model', 'storage'],
  reports: ['model', 'incidents'],
  statuspage: ['model'],
  config: ['model', 'probes', 'alerting', 'notify', 'incidents', 'scrape', 'ingest', 'rules', 'logs', 'oncall', 'slo', 'maintenance', 'auth', 'alerts', 'statuspage', 'reports'],
  auth: ['model'],
  // db/ opens the database and runs every module's migrations; it knows no module's tables.
  db: ['model'],
  api: ALL_BUT_APP,
  cli: ALL_BUT_APP,
  app: ['*'],
  demo: ['model'],
};
// Packages an engine must never import.
const infra = ['fastify', 'kysely', 'better-sqlite3', 'pg', 'yaml'];
// What a module's store/ folder may import of them.
const storeInfra = ['kysely'];
const http = ['node:http', 'node:https', 'node:http2', 'http', 'https', 'http2'];
// Engine files that are HTTP clients by definition.
const HTTP_CLIENTS = ['probes/http.ts', 'notify/common/http-client.ts'];
const engines = ['model', 'storage', 'tsdb', 'promql', 'alerting', 'alerts', 'logs', 'rules', 'template', 'incidents', 'probes', 'notify', 'scrape', 'oncall', 'slo', 'maintenance', 'reports'];

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

function permits(rule, tmod) {
  if (rule.includes('*')) return true;
  if (rule.some((r) => r.startsWith('!'))) return !rule.includes(`!${tmod}`);
  return rule.includes(tmod);
}

const problems = [];
/** module → module → first file that makes the edge */
const edges = new Map();
for (const file of walk(src, [])) {
  const rel = relative(src, file);
  const mod = rel.split('/')[0];
  if (rel.endsWith('.test.ts')) continue; // tests may reach for anything to set up real things
  const inStore = rel.split('/').slice(1, -1).includes('store');
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
  for (const m of text.matchAll(/^[ \t]*import\s*['"]([^'"]+)['"]/gm)) {
    problems.push(`${rel}: side-effect import '${m[1]}' (import what you use by name)`);
  }
  const re = /(?:import|export)\s[^'";]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) {
    const spec = m[1] ?? m[2];
    if (spec.startsWith('.')) {
      const target = relative(src, resolve(dirname(file), spec));
      if (target.startsWith('..')) continue;
      const tmod = target.split('/')[0];
      if (basename(target).startsWith('sql-') && mod !== 'app') {
        problems.push(`${rel}: imports the concrete store ${target.replace(/\.js$/, '.ts')}; code against its interface (only app/ builds stores)`);
      }
      if (tmod === mod) continue;
      const deps = edges.get(mod) ?? new Map();
      if (!deps.has(tmod)) deps.set(tmod, rel);
      edges.set(mod, deps);
      const ok = allowed[mod];
      if (!ok) { problems.push(`${rel}: module "${mod}" has no dependency rule in scripts/lint-deps.mjs`); continue; }
      if ((mod === 'api' || mod === 'cli') && tmod === 'app') {
        problems.push(`${rel}: upward import of app/ from ${mod}/ (${spec}); the composition root imports ${mod}/, not the reverse`);
        continue;
      }
      if (!permits(ok, tmod)) problems.push(`${rel}: "${mod}" may not import "${tmod}" (${spec})`);
      if ((mod === 'api' || mod === 'cli') && tmod !== 'model' && !/\/index\.js$/.test(spec)) {
        problems.push(`${rel}: ${mod}/ must import ${tmod}/ through its index.ts (${spec})`);
      }
    } else if (engines.includes(mod)) {
      const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (http.includes(spec) && !HTTP_CLIENTS.includes(rel) && !rel.split('/').includes('testing')) problems.push(`${rel}: engine "${mod}" may not import ${spec} (HTTP belongs to api/ and app/)`);
      if (infra.includes(pkg) && !(inStore && storeInfra.includes(pkg))) {
        problems.push(`${rel}: engine "${mod}" may not import ${pkg}${pkg === 'kysely' ? ` (SQL lives in ${mod}/store/)` : ''}`);
      }
    }
  }
}

// Cycles between modules: each strongly connected component with more than one module.
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
let counter = 0;
function connect(v) {
  index.set(v, counter);
  low.set(v, counter++);
  stack.push(v);
  onStack.add(v);
  for (const w of (edges.get(v) ?? new Map()).keys()) {
    if (!index.has(w)) {
      connect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) {
      low.set(v, Math.min(low.get(v), index.get(w)));
    }
  }
  if (low.get(v) === index.get(v)) {
    const comp = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      comp.push(w);
    } while (w !== v);
    if (comp.length > 1) {
      const members = comp.sort();
      const via = members.flatMap((a) => members.filter((b) => edges.get(a)?.has(b)).map((b) => `${a} → ${b} (${edges.get(a).get(b)})`));
      problems.push(`cycle between modules ${members.join(', ')}: ${via.join('; ')}`);
    }
  }
}
for (const v of [...edges.keys()].sort()) if (!index.has(v)) connect(v);

// The checkout src/ belongs to (a planted tree in the lint's own tests has neither web/ nor package.json).
const root = resolve(src, '..');

// Every runtime dependency is used by the shipped code: an unused one is weight, and an attack
// surface, for every install (the web UI's packages are devDependencies: only its build ships).
const pkg = existsSync(join(root, 'package.json')) ? JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) : {};
const shipped = walk(src, []).filter((f) => !f.endsWith('.test.ts')).map((f) => readFileSync(f, 'utf8')).join('\n');
for (const dep of Object.keys(pkg.dependencies ?? {})) {
  const name = dep.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  if (!new RegExp(`(?:from\\s+|import\\(\\s*)['"]${name}(?:/[^'"]*)?['"]`).test(shipped)) {
    problems.push(`package.json: dependency "${dep}" is not imported by anything under src/ (remove it, or make it a devDependency)`);
  }
}

// The web UI (web/src) talks to the public API only: from src/ it may take types, and only
// the API's schemas (STYLE.md 11: API types come from the API's own schemas).
const web = join(root, 'web', 'src');
const webFiles = [];
const walkWeb = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walkWeb(p);
    else if (/\.(ts|tsx)$/.test(name)) webFiles.push(p);
  }
};
if (existsSync(web)) walkWeb(web);
for (const file of webFiles) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/(import|export)(\s+type)?\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const spec = m[3] ?? m[4];
    if (!spec.startsWith('.')) continue;
    const target = relative(root, resolve(dirname(file), spec));
    if (!target.startsWith('src/') && !target.startsWith('src\\')) continue;
    const rel = relative(root, file);
    if (!m[2]) problems.push(`${rel}: the web UI may import only types from src/ (${spec}); use \`import type\``);
    if (!target.startsWith('src/api/schemas')) problems.push(`${rel}: the web UI may use only the API's schemas from src/ (${spec})`);
  }
}

if (problems.length) {
  console.error(`dependency rules: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log('dependency rules: ok');

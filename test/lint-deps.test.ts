import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../scripts/lint-deps.mjs', import.meta.url));

function lint(files: Record<string, string>): { code: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-lint-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const r = spawnSync(process.execPath, [script, '--src', dir], { encoding: 'utf8' });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const clean = {
  'model/labels.ts': 'export type Labels = Record<string, string>;\n',
  'alerts/pipeline.ts': "import type { Labels } from '../model/labels.js';\nexport const x: Labels = {};\n",
  'alerts/store/sql-alert-store.ts': "import type { Kysely } from 'kysely';\nexport type D = Kysely<never>;\n",
  'alerts/index.ts': "export { x } from './pipeline.js';\n",
  'app/app.ts': "import { x } from '../alerts/index.js';\nimport type { D } from '../alerts/store/sql-alert-store.js';\nexport const y = x as unknown as D;\n",
  'api/server.ts': "import { x } from '../alerts/index.js';\nexport const z = x;\n",
  'probes/http.ts': "import { request } from 'node:http';\nexport const r = request;\n",
  'alerts/pipeline.test.ts': "import '../app/app.js';\nimport { createServer } from 'node:http';\nexport const s = createServer;\n",
};

test('the repository itself passes', () => {
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('a clean tree passes: stores in store/ may use kysely, app/ builds them, tests may import anything', () => {
  const r = lint(clean);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /dependency rules: ok/);
});

test('each planted violation is reported with its file and why', () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    // a cycle between modules (both edges allowed by no rule is not needed: incidents ↔ model would be)
    [{ 'model/a.ts': "import { b } from '../alerting/b.js';\nexport const a = b;\n", 'alerting/b.ts': "import { a } from '../model/a.js';\nexport const b = a;\n" },
      /cycle between modules alerting, model: alerting → model \(alerting\/b\.ts\); model → alerting \(model\/a\.ts\)/],
    [{ 'api/x.ts': "import { VigilApp } from '../app/index.js';\nexport const v = VigilApp;\n" }, /api\/x\.ts: upward import of app\/ from api\//],
    [{ 'cli/x.ts': "import { main } from '../app/main.js';\nexport const m = main;\n" }, /cli\/x\.ts: upward import of app\/ from cli\//],
    [{ 'alerts/x.ts': "import './polyfill.js';\nexport const q = 1;\n" }, /alerts\/x\.ts: side-effect import '\.\/polyfill\.js'/],
    [{ 'app/x.ts': "  import 'reflect-metadata';\n" }, /app\/x\.ts: side-effect import 'reflect-metadata'/],
    [{ 'alerting/x.ts': "import { createServer } from 'node:http';\nexport const s = createServer;\n" }, /alerting\/x\.ts: engine "alerting" may not import node:http/],
    [{ 'notify/x.ts': "import https from 'https';\nexport const s = https;\n" }, /notify\/x\.ts: engine "notify" may not import https/],
    [{ 'alerts/pipeline.ts': "import type { Kysely } from 'kysely';\nexport type K = Kysely<never>;\n" }, /alerts\/pipeline\.ts: engine "alerts" may not import kysely \(SQL lives in alerts\/store\/\)/],
    [{ 'alerts/store/sql-x.ts': "import Database from 'better-sqlite3';\nexport const d = Database;\n" }, /alerts\/store\/sql-x\.ts: engine "alerts" may not import better-sqlite3/],
    [{ 'alerts/pipeline.ts': "import { SqlAlertStore } from './store/sql-alert-store.js';\nexport const s = SqlAlertStore;\n", 'alerts/store/sql-alert-store.ts': 'export class SqlAlertStore {}\n' },
      /alerts\/pipeline\.ts: imports the concrete store alerts\/store\/sql-alert-store\.ts; code against its interface/],
    [{ 'api/x.ts': "import { SqlAlertStore } from '../alerts/store/sql-alert-store.js';\nexport const s = SqlAlertStore;\n" }, /api\/x\.ts: imports the concrete store/],
    [{ 'alerting/x.ts': "import { n } from '../notify/index.js';\nexport const m = n;\n" }, /alerting\/x\.ts: "alerting" may not import "notify"/],
    [{ 'api/x.ts': "import { n } from '../notify/outbox.js';\nexport const m = n;\n" }, /api\/x\.ts: api\/ must import notify\/ through its index\.ts/],
    [{ 'widgets/x.ts': "import { n } from '../model/labels.js';\nexport const m = n;\n" }, /widgets\/x\.ts: module "widgets" has no dependency rule/],
  ];
  for (const [files, expected] of cases) {
    const r = lint({ ...clean, ...files });
    assert.equal(r.code, 1, `expected failure for ${Object.keys(files).join(', ')}:\n${r.out}`);
    assert.match(r.out, expected);
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseConfigSchema, loadConfigFile, parseConfigText } from '../src/config/index.js';
import { runCli } from './helpers/vigil-process.js';
import { main } from '../src/app/main.js';

/** `vigil …` in this process, with its own environment and captured output. */
async function vigil(argv: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env });
  return { code, stdout, stderr };
}

const data = (f: string) => fileURLToPath(new URL(`./testdata/config/${f}`, import.meta.url));

test("the issue's example configuration is accepted verbatim", () => {
  const r = loadConfigFile(data('issue-example.yml'));
  assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
  const c = r.config;
  assert.equal(c.checks.length, 2);
  const [http, tcp] = c.checks;
  assert.equal(http?.interval, 1000);
  assert.equal(http?.timeout, 500);
  assert.equal(http?.failure_threshold, 3);
  assert.equal(tcp?.failure_threshold, 3, 'default failure_threshold');
  assert.equal(tcp?.recovery_threshold, 1, 'default recovery_threshold');
  assert.equal(c.route.group_wait, 1000);
  assert.equal(c.incidents.severities.low.resolve_within, 7 * 24 * 3600_000);
  assert.equal(c.incidents.on_alerts_resolved, 'mitigate');
  assert.equal(c.server.listen, '127.0.0.1:9797');
});

test('every problem is reported with its path', () => {
  const r = loadConfigFile(data('bad-many.yml'));
  assert.ok(!r.ok);
  const errors = r.errors.join('\n');
  assert.match(errors, /^checks\[1\]\.interval: expected a duration like 30s/m);
  assert.match(errors, /^checks\[2\]\.colour: unknown key/m);
  assert.match(errors, /^bogus: unknown key/m);
  assert.match(errors, /route\.routes\[0\]\.receiver: .*missing/m);
});

test('YAML syntax errors name the file, line and column', () => {
  const r = loadConfigFile(data('bad-yaml.yml'));
  assert.ok(!r.ok);
  assert.match(r.errors[0] ?? '', /bad-yaml\.yml:\d+:\d+: /);
});

test('hostile YAML: alias bombs, unknown and cyclic aliases and deep nesting are refused with a line and column', () => {
  const errors = (text: string): string[] => {
    const r = parseConfigText(text, 'vigil.yml');
    assert.ok(!r.ok, text.slice(0, 80));
    return r.errors;
  };
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...['b', 'c', 'd', 'e', 'f', 'g', 'h'].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefg'[i]}`).join(', ')}]`)].join('\n');
  assert.deepEqual(errors(bomb), ['vigil.yml:4:8: more than 100 alias expansions in one file (an alias to a node that holds aliases multiplies them); write the values out or use fewer nested aliases']);
  assert.deepEqual(errors('route: *nope\n'), ['vigil.yml:1:8: alias *nope refers to no anchor &nope defined before it']);
  assert.deepEqual(errors('route: &r {receiver: x, routes: [*r]}\n'), ['vigil.yml:1:34: alias *r is inside the node it refers to (a cycle)']);
  assert.deepEqual(errors(`route: ${'['.repeat(65)}${']'.repeat(65)}\n`), ['vigil.yml:1:71: nested deeper than 64 levels']);
  assert.match(errors(`route: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`)[0] ?? '', /^vigil\.yml:1:\d+: nested too deeply for the YAML parser \(at most 64 levels are allowed\)$/);
  // An ordinary shared snippet still works.
  const ok = parseConfigText('services:\n  - &svc {name: a, owner: team}\n  - {name: b, owner: team}\n', 'vigil.yml');
  assert.ok(ok.ok, ok.ok ? '' : ok.errors.join('; '));
});

test('a file with only checks gets a console receiver and defaults', () => {
  const r = parseConfigText('checks:\n  - name: x\n    type: tcp\n    target: 127.0.0.1:9\n');
  assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
  assert.equal(r.config.route.receiver, 'console');
  assert.equal(r.config.checks[0]?.interval, 30_000);
  assert.equal(r.config.checks[0]?.severity, 'critical');
});

test('vigil check-config exits 1 with every problem, 0 with a summary', async () => {
  const bad = await runCli(['check-config', data('bad-many.yml')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /checks\[1\]\.interval: expected a duration like 30s/);
  const good = await runCli(['check-config', data('issue-example.yml')]);
  assert.equal(good.code, 0, good.stderr);
  assert.match(good.stdout, /checks:\s+2 \(1 http, 1 tcp\)/);
  const missing = await runCli(['check-config', data('nope.yml')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read: ENOENT/);
  const help = await runCli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /check-config/);
});

test('metrics.wal_sync: commit by default, a duration, or a clear error', () => {
  const def = parseConfigText('metrics: {}\n');
  assert.ok(def.ok, def.ok ? '' : def.errors.join('\n'));
  assert.equal(def.config.metrics.wal_sync, 'commit');
  const interval = parseConfigText('metrics:\n  wal_sync: 1s\n');
  assert.ok(interval.ok, interval.ok ? '' : interval.errors.join('\n'));
  assert.equal(interval.config.metrics.wal_sync, 1000);
  const bad = parseConfigText('metrics:\n  wal_sync: sometimes\n');
  assert.ok(!bad.ok);
  assert.match(bad.errors.join('\n'), /metrics\.wal_sync/);
});

test('references are checked in sections that have schema errors too: every problem in one run', () => {
  const r = loadConfigFile(data('bad-refs-in-bad-sections.yml'));
  assert.ok(!r.ok);
  const errors = r.errors.join('\n');
  // The schema errors…
  assert.match(errors, /^checks\[1\]\.interval: /m);
  assert.match(errors, /^route\.group_wait: /m);
  assert.match(errors, /^receivers\[0\]\.webhook_configs\[0\]\.url: /m);
  // …and the references inside those same sections.
  assert.match(errors, /^checks\[1\]\.service: unknown service "nowhere"/m);
  assert.match(errors, /^services\[0\]\.depends_on\[0\]: unknown service "payments"/m);
  assert.match(errors, /^route\.routes\[0\]\.receiver: undefined receiver "missing"/m);
  // …and what `vigil server` would refuse.
  assert.match(errors, /^server\.listen: listening on 0\.0\.0\.0:9797 needs server\.tokens/m);
});

test('check-config refuses what vigil server refuses: a public listen without tokens, unset token secrets', async () => {
  const open = parseConfigText('server:\n  listen: 0.0.0.0:9797\n');
  assert.ok(!open.ok);
  assert.match(open.errors.join('\n'), /server\.listen: listening on 0\.0\.0\.0:9797 needs server\.tokens/);
  const loopback = parseConfigText('server:\n  listen: "[::1]:9797"\n');
  assert.ok(loopback.ok, loopback.ok ? '' : loopback.errors.join('\n'));

  const dir = mkdtempSync(join(tmpdir(), 'vigil-check-config-'));
  try {
    const file = join(dir, 'vigil.yml');
    writeFileSync(file, 'server:\n  listen: 0.0.0.0:9797\n  tokens:\n    - {name: ops, role: admin, secret_env: VIGIL_TEST_CC_SECRET}\nchecks:\n  - {name: x, type: tcp, target: "127.0.0.1:9", interval: never}\n');
    const env = { VIGIL_TEST_CC_SECRET: '' };
    const unset = await vigil(['check-config', file], env);
    assert.equal(unset.code, 1);
    assert.match(unset.stderr, /2 problems/);
    assert.match(unset.stderr, /checks\[0\]\.interval/);
    assert.match(unset.stderr, /server\.tokens\[0\] \(ops\): environment variable VIGIL_TEST_CC_SECRET is not set/);
    const ignored = await vigil(['check-config', file, '--ignore-env'], env);
    assert.equal(ignored.code, 1);
    assert.doesNotMatch(ignored.stderr, /VIGIL_TEST_CC_SECRET/);
    // The server says the same about the secret.
    writeFileSync(file, 'server:\n  listen: 0.0.0.0:9797\n  tokens:\n    - {name: ops, role: admin, secret_env: VIGIL_TEST_CC_SECRET}\n');
    const server = await vigil(['server', '--config', file, '--data-dir', join(dir, 'data')], env);
    assert.equal(server.code, 1);
    assert.match(server.stderr, /server\.tokens\[0\] \(ops\): environment variable VIGIL_TEST_CC_SECRET is not set/);
    const fine = await vigil(['check-config', file], { VIGIL_TEST_CC_SECRET: 'a-long-enough-secret-value' });
    assert.equal(fine.code, 0, fine.stderr);
    // A notifier secret that cannot be read here is a warning, not an error (it is read at each delivery).
    writeFileSync(file, 'receivers:\n  - name: ops\n    slack_configs:\n      - api_url_env: VIGIL_TEST_CC_SLACK\nroute:\n  receiver: ops\n');
    const warned = await vigil(['check-config', file], {});
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(warned.stderr, /warning: receivers\[0\]\.slack_configs\[0\]\.api_url_env: environment variable VIGIL_TEST_CC_SLACK is not set/);
    assert.doesNotMatch((await vigil(['check-config', file, '--ignore-env'], {})).stderr, /VIGIL_TEST_CC_SLACK/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("docs/configuration.md's section overview lists every top-level section, and each has its own heading", () => {
  const doc = readFileSync(new URL('../docs/configuration.md', import.meta.url), 'utf8');
  const block = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
  const listed = [...block.matchAll(/^([a-z_]+):/gm)].map((m) => m[1]);
  const sections = Object.keys(baseConfigSchema.shape);
  assert.deepEqual([...listed].sort(), [...sections].sort());
  for (const s of sections) assert.match(doc, new RegExp(`^## .*\`${s}\``, 'm'), `a "## \`${s}\`" heading`);
});

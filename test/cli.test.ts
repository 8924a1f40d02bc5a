// The CLI as a user runs it: closed pipes, whole error messages, and the incident commands
// the API offers (assign, severity), against a real server.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VigilApp, createLogger } from '../src/app/index.js';
import { validateConfig } from '../src/config/index.js';
import { main } from '../src/app/main.js';
import { eventually, freePort } from './helpers/services.js';

const entry = fileURLToPath(new URL('../src/app/run.ts', import.meta.url));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
  return { code, stdout, stderr };
}

test('a command whose output pipe closes exits quietly with status 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-epipe-'));
  try {
    const file = join(dir, 'big.log');
    writeFileSync(file, Array.from({ length: 40_000 }, (_, i) => `user ${i} logged in from 10.0.${i % 256}.${i % 200}\n`).join(''));
    const child = spawn(process.execPath, ['--import', 'tsx', entry, 'logs', 'patterns', file, '--jsonl'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Read one chunk, then close the pipe as `head -1` does.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    assert.equal(stderr, '', 'nothing on stderr');
    assert.equal(code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('API error messages reach the user whole, whatever their shape', async () => {
  const long = `invalid parameter "query": ${'a very long explanation '.repeat(30)}END`;
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/loki/')) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end(`parse error: ${long}`);
      return;
    }
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: long }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const q = await cli(['query', 'up', '--url', url]);
    assert.equal(q.code, 1);
    assert.ok(q.stderr.includes(long), q.stderr);
    const l = await cli(['logs', 'query', '{a="b"}', '--url', url]);
    assert.equal(l.code, 1);
    assert.ok(l.stderr.includes(`parse error: ${long}`), l.stderr);
  } finally {
    await new Promise((r) => server.close(r));
  }
});

describe('vigil incidents assign, unassign and severity', () => {
  let app: VigilApp;
  let dir: string;
  let url: string;
  let id: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
    const r = validateConfig({});
    assert.ok(r.ok);
    app = await VigilApp.create({ config: r.config, dataDir: dir, listen: '127.0.0.1:0', env: {}, logger: createLogger('error') });
    url = await app.start();
    const inc = await app.incidents.handleAlert({
      kind: 'firing',
      alert: { labels: { alertname: 'Down', service: 'api', severity: 'high' }, annotations: {}, startsAt: Date.now(), endsAt: 0, generatorURL: '', updatedAt: Date.now() },
    });
    assert.ok(inc);
    id = inc.id;
  });
  after(async () => {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('assign and unassign', async () => {
    const a = await cli(['incidents', 'assign', id, 'bob', '--url', url]);
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stdout, /assignee:\s+bob/);
    assert.equal((await app.incidents.detail(id)).incident.assignee, 'bob');
    const u = await cli(['incidents', 'unassign', id, '--url', url]);
    assert.equal(u.code, 0, u.stderr);
    assert.match(u.stdout, /assignee:\s+-/);
    const missing = await cli(['incidents', 'assign', id, '--url', url]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /needs who to assign it to/);
  });

  test('severity', async () => {
    const s = await cli(['incidents', 'severity', id, 'critical', '--url', url]);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, /severity:\s+critical/);
    const bad = await cli(['incidents', 'severity', id, 'urgent', '--url', url]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /one of critical, high, medium, low, got "urgent"/);
  });
});

describe('vigil demo', () => {
  test('a second demo on a taken port says so before printing anything else', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as AddressInfo).port;
    try {
      const r = await cli(['demo', '--listen', `127.0.0.1:${port}`]);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '', 'no banner');
      assert.match(r.stderr, new RegExp(`127\\.0\\.0\\.1:${port} is already in use .*--listen 127\\.0\\.0\\.1:${port + 1}`));
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });

  test('the temporary data directory is removed when the demo stops', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'vigil-demo-tmp-'));
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', entry, 'demo', '--listen', `127.0.0.1:${port}`], {
      env: { ...process.env, TMPDIR: tmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    try {
      await eventually('the demo to answer', async () => ((await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined));
      assert.equal(readdirSync(tmp).filter((n) => n.startsWith('vigil-demo-')).length, 1, out);
      assert.match(out, /removed when the demo stops/);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, out);
      assert.deepEqual(readdirSync(tmp).filter((n) => n.startsWith('vigil-')), [], 'nothing of the demo left in the temp dir');
    } finally {
      child.kill('SIGKILL');
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

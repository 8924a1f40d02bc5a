/**
 * Log ingest of distinct-line-heavy input on the real server (`vigil server` from dist/,
 * every feature on): one NDJSON body of N lines that share no template (random words), POSTed
 * to /api/v1/logs of a fresh server per size. Reports the request's wall time, the server's
 * CPU-seconds for it (all threads, from /proc) and the server's peak RSS (VmHWM), and, for
 * contrast, the same N lines all identical.
 *
 *   npm run build && node --import tsx bench/log-distinct-lines.ts [sizes=5000,10000,20000,100000] [distinct|identical|both] [--vs DIR]
 *
 * `--vs DIR` runs a second build (another checkout with `dist/` built, e.g. the commit
 * before a change) right after this one at every size, so both see the same machine load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const vsAt = args.indexOf('--vs');
const OTHER = vsAt >= 0 ? args.splice(vsAt, 2)[1] : undefined;
const sizes = (args[0] ?? '5000,10000,20000,100000').split(',').map(Number);
const mode = args[1] ?? 'both';

/** Deterministic words: xorshift32 over lower-case letters, so masking finds no variable in them. */
function wordsFrom(seed: number): () => string {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  return () => {
    const len = 3 + (next() % 7);
    let w = '';
    for (let i = 0; i < len; i++) w += String.fromCharCode(97 + (next() % 26));
    return w;
  };
}

export function distinctLines(n: number, seed = 42): string[] {
  const word = wordsFrom(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = 5 + (i % 6);
    const ws: string[] = [];
    for (let j = 0; j < k; j++) ws.push(word());
    out.push(ws.join(' '));
  }
  return out;
}

function body(lines: readonly string[]): string {
  return lines.map((line) => JSON.stringify({ labels: { service: 'probe' }, line })).join('\n') + '\n';
}

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function startServer(port: number, root: string): Promise<{ child: ChildProcess; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-distinct-'));
  const config = join(dir, 'vigil.yml');
  writeFileSync(config, '{}\n');
  const child = spawn(process.execPath, [join(root, 'bin/vigil.js'), 'server', '--config', config, '--data-dir', join(dir, 'data'), '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (r.ok) return { child, dir };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not become ready');
}

async function stopServer(s: { child: ChildProcess; dir: string }): Promise<void> {
  const done = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await done;
  rmSync(s.dir, { recursive: true, force: true });
}

/** POST without a client timeout (fetch gives up after 300 s without response headers). */
function post(port: number, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/v1/logs', method: 'POST', headers: { 'content-type': 'application/x-ndjson' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function measure(kind: string, lines: readonly string[], port: number, root: string): Promise<string> {
  const s = await startServer(port, root);
  const pid = s.child.pid as number;
  const payload = body(lines);
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  const r = await post(port, payload);
  const text = r.body;
  const wall = (performance.now() - t0) / 1000;
  // Post-processing (metrics, detectors) runs after the answer: wait until the CPU settles.
  let cpu = cpuSeconds(pid);
  for (;;) {
    await new Promise((res) => setTimeout(res, 300));
    const c = cpuSeconds(pid);
    if (c - cpu < 0.02) break;
    cpu = c;
  }
  const rss = peakRssMiB(pid);
  await stopServer(s);
  if (r.status !== 200) throw new Error(`${kind} ${lines.length}: HTTP ${r.status} ${text.slice(0, 200)}`);
  return `| ${root === ROOT ? 'this build' : root} | ${kind} | ${lines.length.toLocaleString('en-US')} | ${(payload.length / 1e6).toFixed(1)} MB | ${wall.toFixed(2)} | ${(cpu - cpu0).toFixed(2)} | ${rss.toFixed(0)} |`;
}

async function main(): Promise<void> {
  const port = 19000 + (process.pid % 1000);
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log('| build | lines | N | body | wall s | server CPU-s | peak RSS MiB |\n|---|---|---|---|---|---|---|');
  for (const n of sizes) {
    for (const root of OTHER ? [ROOT, OTHER] : [ROOT]) {
      if (mode !== 'identical') console.log(await measure('distinct', distinctLines(n), port, root));
      if (mode !== 'distinct') console.log(await measure('identical', new Array<string>(n).fill('connection reset by peer while reading response header'), port, root));
    }
  }
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) await main();

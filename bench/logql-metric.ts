/**
 * A dashboard's LogQL metric query on the real server (`vigil server` from dist/, every
 * feature on): 1M JSON application lines spread over the last 24 h in three `service="api"`
 * streams are pushed over the Loki push API (2,000 lines per request, 4 in flight; the
 * server parses each line's level and request id into structured metadata), then
 *
 *   sum by (level) (count_over_time({service="api"}[5m]))
 *
 * is asked over the whole 24 h through /loki/api/v1/query_range, at Loki's default step and
 * at 60 s: 3 untimed runs, then N timed ones (p50, p99 = the slowest but one of 20 by
 * default), with the server's CPU per query from /proc. Then the server is restarted on the
 * same data and the first (cold) query is timed. Every answer is checked: the counts add up
 * to the lines pushed.
 *
 *   npm run build && node --import tsx bench/logql-metric.ts [--lines 1000000] [--runs 20] [--warmup 3] [--vs DIR]
 *
 * A query that fails (the server's 60 s query timeout) is reported as such instead of timed.
 *
 * `--vs DIR` repeats everything on another build (a checkout with dist/ built, e.g. the
 * commit before a change) right after, so both see the same machine load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name: string, def: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1]! : def;
};
const LINES = Number(opt('--lines', '1000000'));
const RUNS = Number(opt('--runs', '20'));
const WARMUP = Number(opt('--warmup', '3'));
const OTHER = args.includes('--vs') ? opt('--vs', '') : undefined;
const QUERY = 'sum by (level) (count_over_time({service="api"}[5m]))';
const DAY = 86_400_000;
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

async function startServer(port: number, root: string, dir: string): Promise<ChildProcess> {
  const config = join(dir, 'vigil.yml');
  writeFileSync(config, '{}\n');
  const child = spawn(process.execPath, [join(root, 'bin/vigil.js'), 'server', '--config', config, '--data-dir', join(dir, 'data'), '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 600; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (r.ok) return child;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not become ready');
}

async function stopServer(child: ChildProcess): Promise<void> {
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await done;
}

const agent = new (await import('node:http')).Agent({ keepAlive: true, maxSockets: 8 });

function call(port: number, method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, agent, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const LEVELS = ['info', 'info', 'info', 'info', 'info', 'info', 'debug', 'debug', 'warn', 'error'];
const PATHS = ['/api/orders', '/api/users', '/api/cart', '/api/search', '/healthz'];

/** Request i of the push: lines i*batch … spread evenly over [end - 24h, end), round-robin over three streams. */
function pushBody(first: number, n: number, end: number): string {
  const streams = [0, 1, 2].map((k) => ({ stream: { service: 'api', instance: `api-${k}` }, values: [] as Array<[string, string]> }));
  for (let i = first; i < first + n; i++) {
    const t = end - DAY + Math.floor((i * DAY) / LINES);
    const level = LEVELS[(i * 7919) % LEVELS.length]!;
    const path = PATHS[(i * 31) % PATHS.length]!;
    const status = level === 'error' ? 500 : 200;
    const line = JSON.stringify({ level, msg: `${status === 200 ? 'GET' : 'POST'} ${path} ${status}`, request_id: `req-${i.toString(36)}`, duration_ms: (i * 37) % 900, user: `u${i % 5000}` });
    streams[i % 3]!.values.push([`${t}000000`, line]);
  }
  return JSON.stringify({ streams });
}

async function ingest(port: number, pid: number, end: number): Promise<{ linesPerSec: number; cpuPerMLines: number }> {
  const BATCH = 2000;
  const IN_FLIGHT = 4;
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < LINES) {
      const first = next;
      next += BATCH;
      const r = await call(port, 'POST', '/loki/api/v1/push', pushBody(first, Math.min(BATCH, LINES - first), end));
      if (r.status !== 204) throw new Error(`push: HTTP ${r.status} ${r.body.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const secs = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(pid) - cpu0;
  return { linesPerSec: LINES / secs, cpuPerMLines: (cpu / LINES) * 1e6 };
}

async function settle(pid: number): Promise<void> {
  let cpu = cpuSeconds(pid);
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const c = cpuSeconds(pid);
    if (c - cpu < 0.05) return;
    cpu = c;
  }
}

/** One query; returns wall ms and checks that the windows' counts are plausible. */
async function query(port: number, end: number, step?: string): Promise<number> {
  const qs = new URLSearchParams({ query: QUERY, start: String((end - DAY) * 1e6), end: String(end * 1e6), ...(step ? { step } : {}) });
  const t0 = performance.now();
  const r = await call(port, 'GET', `/loki/api/v1/query_range?${qs}`);
  const ms = performance.now() - t0;
  if (r.status !== 200) throw new Error(`query: HTTP ${r.status} ${r.body.slice(0, 300)}`);
  const res = (JSON.parse(r.body) as { data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> } }).data.result;
  const levels = res.map((s) => s.metric.level).sort();
  if (levels.join() !== 'debug,error,info,warn') throw new Error(`query: unexpected series ${JSON.stringify(levels)}`);
  // Each 5m window holds ~LINES/288 lines; the series must add up to that at a middle step.
  const mid = res.reduce((a, s) => a + Number(s.values[Math.floor(s.values.length / 2)]?.[1] ?? 0), 0);
  if (Math.abs(mid - LINES / 288) > LINES / 288 / 10 + 5) throw new Error(`query: a window holds ${mid} lines, expected ~${LINES / 288}`);
  return ms;
}

async function totalLines(port: number, end: number): Promise<number> {
  const qs = new URLSearchParams({ query: 'sum(count_over_time({service="api"}[25h]))', time: String(end * 1e6) });
  const r = await call(port, 'GET', `/loki/api/v1/query?${qs}`);
  if (r.status !== 200) throw new Error(`HTTP ${r.status} ${r.body}`);
  return Number((JSON.parse(r.body) as { data: { result: Array<{ value: [number, string] }> } }).data.result[0]?.value[1]);
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function timed(port: number, pid: number, end: number, step: string | undefined): Promise<{ p50: number; p99: number; cpuMs: number }> {
  for (let i = 0; i < WARMUP; i++) await query(port, end, step);
  const ms: number[] = [];
  const cpu0 = cpuSeconds(pid);
  for (let i = 0; i < RUNS; i++) ms.push(await query(port, end, step));
  return { p50: pct(ms, 50), p99: pct(ms, 99), cpuMs: ((cpuSeconds(pid) - cpu0) / RUNS) * 1000 };
}

async function run(root: string, port: number): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-logql-'));
  const rows: string[] = [];
  const label = root === ROOT ? 'this build' : root;
  try {
    const end = Math.floor(Date.now() / 60_000) * 60_000;
    let child = await startServer(port, root, dir);
    const load0 = load();
    const ing = await ingest(port, child.pid!, end);
    await settle(child.pid!);
    const total = await totalLines(port, end).catch((e: Error) => e);
    if (typeof total === 'number' && total !== LINES) throw new Error(`stored ${total} lines, pushed ${LINES}`);
    const failed = (e: Error): { p50: number; p99: number; cpuMs: number; error: string } => ({ p50: NaN, p99: NaN, cpuMs: NaN, error: e.message.slice(0, 80) });
    const def = await timed(port, child.pid!, end, undefined).catch(failed);
    const s60 = await timed(port, child.pid!, end, '60s').catch(failed);
    await stopServer(child);
    child = await startServer(port, root, dir);
    const cold = await query(port, end).catch(() => NaN);
    await stopServer(child);
    const f = (x: number): string => x.toFixed(x < 100 ? 1 : 0);
    rows.push(`| ${label} | ingest | ${Math.round(ing.linesPerSec).toLocaleString('en-US')} lines/s, ${ing.cpuPerMLines.toFixed(1)} CPU-s per 1M lines | | | load ${load0} |`);
    const note = (x: object): string => ('error' in x ? String(x.error) : '');
    if (typeof total !== 'number') rows.push(`| ${label} | sum(count_over_time({service="api"}[25h])) | failed: ${total.message.slice(0, 80)} | | | |`);
    rows.push(`| ${label} | default step (346 s) | ${f(def.p50)} | ${f(def.p99)} | ${f(def.cpuMs)} | load ${load()} ${note(def)} |`);
    rows.push(`| ${label} | step 60 s | ${f(s60.p50)} | ${f(s60.p99)} | ${f(s60.cpuMs)} | ${note(s60)} |`);
    rows.push(`| ${label} | first query after a restart | ${f(cold)} | | | |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

async function main(): Promise<void> {
  const port = 19000 + (process.pid % 1000);
  console.log(`${QUERY} over ${LINES.toLocaleString('en-US')} lines / 24 h, ${RUNS} timed runs; load average ${load()}`);
  console.log('| build | what | p50 ms | p99 ms | server CPU ms per query | |\n|---|---|---:|---:|---:|---|');
  for (const root of OTHER ? [ROOT, OTHER] : [ROOT]) for (const r of await run(root, port)) console.log(r);
  console.log(`load average ${load()}`);
  agent.destroy();
}

await main();

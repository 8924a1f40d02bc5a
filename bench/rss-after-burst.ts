/**
 * Does the server's memory come back after a burst of large remote-write bodies (issue 15,
 * "smaller" items)? One `vigil server` from dist/ (logs and syslog on, every limit at its
 * default) receives `count` remote-write bodies back to back, each decoding to just under the
 * 32 MiB limit (samples of 2,000 existing series, so what the head keeps is a few MiB of
 * compressed chunks); the script reports RSS idle, the peak (VmHWM), and RSS 10, 30 and 60 s
 * after the last answer.
 *
 *   npm run build && node --import tsx bench/rss-after-burst.ts [count=5] [seconds=60]
 *
 * The server inherits this process's environment, so allocator settings can be compared:
 * `MALLOC_ARENA_MAX=2 node --import tsx bench/rss-after-burst.ts`. A fourth argument is appended to
 * the server's vigil.yml, e.g. `5 60 'metrics: {worker_thread: false}'`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWriteRequest, encodeWriteRequestProto } from '../src/ingest/remote-write.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MiB = 1024 * 1024;
const count = Number(process.argv[2] ?? 5);
const seconds = Number(process.argv[3] ?? 60);
/** Extra vigil.yml lines, e.g. 'metrics: {worker_thread: false}'. */
const extraConfig = process.argv[4] ?? '';
const SERIES = 2000;
const NOW = Date.now();

function mem(pid: number): { rss: number; hwm: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(s)?.[1] ?? NaN) / 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/**
 * Where the main thread's memory is, from the server's own /metrics (prom-client's default
 * metrics): V8 heap committed and used, external memory (Buffers, typed arrays outside the heap).
 * What RSS holds beyond them is native: malloc arenas, the worker threads' isolates, code.
 */
async function breakdown(port: number, rss: number): Promise<string> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const v = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)`, 'm').exec(text)?.[1] ?? NaN) / MiB;
  const total = v('nodejs_heap_size_total_bytes');
  const used = v('nodejs_heap_size_used_bytes');
  const ext = v('nodejs_external_memory_bytes');
  return `RSS ${rss.toFixed(0)} = V8 heap ${total.toFixed(0)} (${used.toFixed(0)} used) + external ${ext.toFixed(0)} + rest ${(rss - total - ext).toFixed(0)} MiB`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

/** Body k: SERIES series × n samples, timestamps after body k-1's, decoding to just under 32 MiB. */
function body(k: number, n: number): Uint8Array {
  const timeseries = [];
  for (let i = 0; i < SERIES; i++) {
    const samples = [];
    for (let s = 0; s < n; s++) samples.push({ value: (i * 7 + s) % 1000, timestamp: NOW - 1_800_000 + (k * n + s) * 10 });
    timeseries.push({ labels: [{ name: '__name__', value: 'burst_metric' }, { name: 'instance', value: `host-${i}` }], samples });
  }
  return encodeWriteRequest({ timeseries });
}

async function main(): Promise<void> {
  // Size one series' samples so a body decodes to just under 32 MiB.
  const probe = encodeWriteRequestProto({ timeseries: [{ labels: [{ name: '__name__', value: 'burst_metric' }, { name: 'instance', value: 'host-1999' }], samples: Array.from({ length: 100 }, (_, s) => ({ value: 999, timestamp: NOW - 1_800_000 + s * 10 })) }] }).length;
  const n = Math.floor(((31.5 * MiB) / SERIES / probe) * 100);
  const bodies = Array.from({ length: count }, (_, k) => body(k, n));
  const dir = mkdtempSync(join(tmpdir(), 'vigil-burst-'));
  const port = 19900 + (process.pid % 90);
  writeFileSync(join(dir, 'vigil.yml'), `logs: {}\nsyslog:\n  tcp_listen: 127.0.0.1:${port + 1}\n${extraConfig}\n`);
  const child = spawn(process.execPath, [join(ROOT, 'bin/vigil.js'), 'server', '--config', join(dir, 'vigil.yml'), '--data-dir', join(dir, 'data'), '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  const pid = child.pid as number;
  try {
    for (let i = 0; !(await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok; i++) {
      if (i > 600) throw new Error('server did not become ready');
      await sleep(100);
    }
    await sleep(5000);
    // A small body first, so the series exist and the burst only appends samples.
    await fetch(`http://127.0.0.1:${port}/api/v1/write`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' }, body: body(-1000, 1) });
    await sleep(5000);
    const idle = mem(pid).rss;
    const idleBreakdown = await breakdown(port, idle);
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    console.log(`load average ${load()}; ${count} bodies of ${(bodies[0]!.length / 1e6).toFixed(1)} MB (${((SERIES * n * probe) / 100 / MiB).toFixed(1)} MiB decoded, ${(SERIES * n).toLocaleString('en-US')} samples) each; idle RSS ${idle.toFixed(0)} MiB`);
    const t0 = performance.now();
    for (const b of bodies) {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/write`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' }, body: b });
      if (r.status !== 204) console.log(`answer ${r.status} ${(await r.text()).slice(0, 200)}`);
    }
    const burst = (performance.now() - t0) / 1000;
    const peak = mem(pid).hwm;
    const rightAfter = await breakdown(port, mem(pid).rss);
    const at: string[] = [];
    for (let s = 1; s <= seconds; s++) {
      await sleep(1000);
      if (s === 10 || s === 30 || s === seconds) at.push(`${s} s: ${mem(pid).rss.toFixed(0)}`);
    }
    console.log(`burst ${burst.toFixed(1)} s; RSS MiB idle ${idle.toFixed(0)}, peak ${peak.toFixed(0)}, after ${at.join(', ')}; load average ${load()}`);
    console.log(`idle: ${idleBreakdown}\nright after the burst: ${rightAfter}\n${seconds} s after: ${await breakdown(port, mem(pid).rss)}`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

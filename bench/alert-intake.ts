/**
 * Alert intake side by side: Vigil (built, from dist/, as users run it) and Alertmanager 0.25
 * (Debian's prometheus-alertmanager) under the same load, alternating, in one run.
 *
 * For each server: the same routing (one webhook receiver, group_by [alertname], group_wait
 * 1s, group_interval 1s) with the webhook served by this process. N alerts (default 50,000,
 * each its own fingerprint, spread over 500 alertnames) are POSTed to /api/v2/alerts in
 * batches of 64 (Prometheus's batch size) with C requests in flight (default 4). Measured:
 *  - alerts/s accepted: N / wall time from the first POST to the last 200;
 *  - ingest-to-webhook latency: per alert, from the start of the POST that carried it to the
 *    webhook delivery that first named it (includes group_wait, the same for both);
 *  - resident memory (VmRSS) with all N alerts active, after the last delivery and a 2 s pause,
 *    and again S s later (--settle S, default 15; 0 skips it): what each server holds with the
 *    alerts once the burst is over (Vigil gives the burst's garbage back when its loop goes quiet).
 *
 * Usage: npm run build && node --import tsx bench/alert-intake.ts [--alerts N] [--rounds R] [--concurrency C]
 *        [--settle S] [--vigil-only] [--cpu-prof DIR]  (profiling: Vigil alone, its CPU profile written to DIR on exit)
 *        [--heap-snapshot DIR]  (a heap snapshot of Vigil at the RSS measurement, written to DIR)
 * Vigil's line also shows where its RSS is at that point: RssAnon, and the V8 heap (used/total) and
 * external memory from its /metrics.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    alerts: { type: 'string' },
    rounds: { type: 'string' },
    concurrency: { type: 'string' },
    settle: { type: 'string' },
    'vigil-only': { type: 'boolean' },
    'cpu-prof': { type: 'string' },
    'heap-snapshot': { type: 'string' },
  },
});
const N = Number(values.alerts ?? 50_000);
const ROUNDS = Number(values.rounds ?? 2);
const CONC = Number(values.concurrency ?? 4);
const SETTLE = Number(values.settle ?? 15);
const BATCH = 64;
const root = fileURLToPath(new URL('..', import.meta.url));

interface Result {
  alertsPerSec: number;
  p50: number;
  p99: number;
  delivered: number;
  rssMiB: number;
  /** VmRSS SETTLE s after rssMiB. */
  settledMiB: number;
}

function rssMiB(pid: number, field = 'VmRSS'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Vigil's RssAnon and its V8 heap and external memory as its /metrics reports them, MiB. */
async function vigilMemory(url: string, pid: number): Promise<string> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const v = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 1048576;
  return `RssAnon ${rssMiB(pid, 'RssAnon').toFixed(1)} MiB, heap used ${v('nodejs_heap_size_used_bytes').toFixed(1)} of ${v('nodejs_heap_size_total_bytes').toFixed(1)} MiB, external ${v('nodejs_external_memory_bytes').toFixed(1)} MiB`;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return p;
}

async function waitReady(url: string, child: ChildProcess, out: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited early:\n${out()}`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`not ready:\n${out()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const routeYaml = (hook: string) => `route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 4h
receivers:
  - name: hook
    webhook_configs:
      - url: ${hook}
        send_resolved: false
`;

async function startVigil(dir: string, hook: string): Promise<{ url: string; child: ChildProcess; out: () => string }> {
  writeFileSync(join(dir, 'vigil.yml'), `server:\n  log_level: warn\n${routeYaml(hook)}`);
  const port = await freePort();
  const prof = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [];
  if (values['heap-snapshot']) prof.push('--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${values['heap-snapshot']}`);
  const child = spawn(process.execPath, [...prof, join(root, 'bin/vigil.js'), 'server', '--config', join(dir, 'vigil.yml'), '--data-dir', join(dir, 'data'), '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/readyz`, child, () => out);
  return { url, child, out: () => out };
}

async function startAlertmanager(dir: string, hook: string): Promise<{ url: string; child: ChildProcess; out: () => string }> {
  writeFileSync(join(dir, 'alertmanager.yml'), routeYaml(hook));
  const port = await freePort();
  const child = spawn(
    'prometheus-alertmanager',
    [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'am')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn'],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/-/ready`, child, () => out);
  return { url, child, out: () => out };
}

async function runOne(which: 'vigil' | 'alertmanager', run: number): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), `alert-intake-${which}-`));
  const postedAt = new Float64Array(N);
  const latency: number[] = [];
  const seen = new Uint8Array(N);
  let lastDelivery = 0;
  const hook = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const now = performance.now();
      try {
        const msg = JSON.parse(body) as { alerts: Array<{ labels: Record<string, string> }> };
        for (const a of msg.alerts) {
          const i = Number(a.labels.i);
          if (seen[i] === 0 && postedAt[i]! > 0) {
            seen[i] = 1;
            latency.push(now - postedAt[i]!);
          }
        }
        lastDelivery = now;
      } catch {
        /* ignore */
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  const srv = which === 'vigil' ? await startVigil(dir, hookUrl) : await startAlertmanager(dir, hookUrl);
  try {
    const startsAt = new Date().toISOString();
    const endsAt = new Date(Date.now() + 3600_000).toISOString();
    const bodies: string[] = [];
    for (let b = 0; b < N; b += BATCH) {
      const alerts = [];
      for (let i = b; i < Math.min(N, b + BATCH); i++) {
        alerts.push({
          labels: { alertname: `Bench${i % 500}`, i: String(i), instance: `host-${i}.example.com:9100`, job: 'node', severity: 'warning' },
          annotations: { summary: `bench alert ${i}`, description: 'disk usage above 90% on /var' },
          startsAt,
          endsAt,
          generatorURL: `http://prometheus.example.com/graph?g0.expr=up%7Bi%3D%22${i}%22%7D`,
        });
      }
      bodies.push(JSON.stringify(alerts));
    }
    let next = 0;
    const t0 = performance.now();
    const worker = async () => {
      for (;;) {
        const k = next++;
        if (k >= bodies.length) return;
        const at = performance.now();
        for (let i = k * BATCH; i < Math.min(N, (k + 1) * BATCH); i++) postedAt[i] = at;
        const r = await fetch(`${srv.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[k] });
        if (r.status !== 200) throw new Error(`${which}: POST ${r.status} ${await r.text()}`);
        await r.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: CONC }, worker));
    const seconds = (performance.now() - t0) / 1000;
    const deadline = Date.now() + 120_000;
    while (latency.length < N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 2000));
    const rss = rssMiB(srv.child.pid!);
    const sorted = latency.sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
    void lastDelivery;
    const res = { alertsPerSec: N / seconds, p50: q(0.5), p99: q(0.99), delivered: latency.length, rssMiB: rss, settledMiB: NaN };
    const detail = which === 'vigil' ? ` (${await vigilMemory(srv.url, srv.child.pid!)})` : '';
    console.log(`${which} round ${run}: ${res.alertsPerSec.toFixed(0)} alerts/s, latency p50 ${res.p50.toFixed(0)} ms p99 ${res.p99.toFixed(0)} ms, ${res.delivered}/${N} delivered, RSS ${res.rssMiB.toFixed(1)} MiB${detail}`);
    if (SETTLE > 0) {
      await new Promise((r) => setTimeout(r, SETTLE * 1000));
      res.settledMiB = rssMiB(srv.child.pid!);
      const later = which === 'vigil' ? ` (${await vigilMemory(srv.url, srv.child.pid!)})` : '';
      console.log(`  ${SETTLE} s later: RSS ${res.settledMiB.toFixed(1)} MiB${later}`);
    }
    if (which === 'vigil' && values['heap-snapshot']) {
      srv.child.kill('SIGUSR2');
      await new Promise((r) => setTimeout(r, 15_000));
      console.log(`  after the heap snapshot (a full GC): RSS ${rssMiB(srv.child.pid!).toFixed(1)} MiB (${await vigilMemory(srv.url, srv.child.pid!)})`);
    }
    return res;
  } finally {
    srv.child.kill('SIGTERM');
    await new Promise((r) => srv.child.once('exit', r));
    await new Promise((r) => hook.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

console.log(`alert intake: ${N} alerts, batches of ${BATCH}, ${CONC} in flight, ${ROUNDS} rounds; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const vs: Result[] = [];
const am: Result[] = [];
for (let r = 1; r <= ROUNDS; r++) {
  // Alternate which goes first, so a machine getting busier does not favour one.
  if (r % 2 === 1) {
    vs.push(await runOne('vigil', r));
    if (!values['vigil-only']) am.push(await runOne('alertmanager', r));
  } else {
    if (!values['vigil-only']) am.push(await runOne('alertmanager', r));
    vs.push(await runOne('vigil', r));
  }
}
const row = (name: string, f: (x: Result) => number, unit: string, better: 'higher' | 'lower') => {
  const v = median(vs.map(f));
  const a = median(am.map(f));
  console.log(`| ${name} | ${v.toFixed(1)} ${unit} | ${a.toFixed(1)} ${unit} | ${(v / a).toFixed(2)}x (${better} is better) |`);
};
console.log(`\nmedians over ${ROUNDS} rounds; load average now ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('| figure | Vigil | Alertmanager 0.25 | Vigil / AM |\n|---|---|---|---|');
row('alerts/s accepted', (x) => x.alertsPerSec, '/s', 'higher');
row('ingest-to-webhook p50', (x) => x.p50, 'ms', 'lower');
row('ingest-to-webhook p99', (x) => x.p99, 'ms', 'lower');
row(`RSS with ${N} active alerts`, (x) => x.rssMiB, 'MiB', 'lower');
if (SETTLE > 0) row(`RSS with ${N} active alerts, ${SETTLE} s later`, (x) => x.settledMiB, 'MiB', 'lower');
// Paired rounds ran close in time: their own ratios say more than the medians on a busy machine.
vs.forEach((v, i) => {
  const a = am[i];
  if (!a) return;
  console.log(`round ${i + 1} Vigil/AM: alerts/s ${(v.alertsPerSec / a.alertsPerSec).toFixed(2)}x, p50 ${(v.p50 / a.p50).toFixed(2)}x, p99 ${(v.p99 / a.p99).toFixed(2)}x, RSS ${(v.rssMiB / a.rssMiB).toFixed(2)}x${SETTLE > 0 ? `, RSS ${SETTLE} s later ${(v.settledMiB / a.settledMiB).toFixed(2)}x` : ''}`);
});

/**
 * Time to build the daily operations report with 50 services, on the real server as users
 * run it (`vigil server` from dist/): 50 services, each with an http check every 2 s against
 * a loopback target, performance queries and a capacity resource per service over the
 * checks' own samples, 20 incidents with action items. After the checks have run for
 * --warmup seconds, GET /api/v1/reports/daily (today so far) --runs times in a row, then the
 * handoff document the same way.
 *
 *   npm run build && node --import tsx bench/report-daily.ts [--services 50] [--warmup 60] [--runs 20]
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { services: { type: 'string', default: '50' }, warmup: { type: 'string', default: '60' }, runs: { type: 'string', default: '20' } } });
const SERVICES = Number(values.services);
const WARMUP = Number(values.warmup);
const RUNS = Number(values.runs);

const target = createServer((_req, res) => res.end('ok'));
await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
const port = await new Promise<number>((r) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => {
    const p = (s.address() as AddressInfo).port;
    s.close(() => r(p));
  });
});
const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
const names = Array.from({ length: SERVICES }, (_, i) => `svc-${String(i).padStart(2, '0')}`);
writeFileSync(
  join(dir, 'vigil.yml'),
  `server: {log_level: warn}
services:
${names.map((n) => `  - {name: ${n}, owner: team-${Number(n.slice(4)) % 5}}`).join('\n')}
checks:
${names.map((n) => `  - {name: ${n}-health, service: ${n}, type: http, url: "${targetUrl}", interval: 2s, timeout: 1s}`).join('\n')}
reporting:
  performance:
    - avg_response_time: 'avg(avg_over_time(probe_duration_seconds{service="{{service}}"}[{{range}}]))'
      p95_response_time: 'max(quantile_over_time(0.95, probe_duration_seconds{service="{{service}}"}[{{range}}]))'
      error_rate: '1 - avg(avg_over_time(probe_success{service="{{service}}"}[{{range}}]))'
      throughput: 'sum(count_over_time(probe_success{service="{{service}}"}[{{range}}]))'
      baseline: 1h
  capacity:
${names.map((n) => `    - {name: ${n} probe time, service: ${n}, query: 'probe_duration_seconds{service="${n}"}', unit: s, limit: 1, lookback: 1h, horizon: 1d}`).join('\n')}
`,
);
const child = spawn(process.execPath, [join(root, 'bin/vigil.js'), 'server', '--config', join(dir, 'vigil.yml'), '--data-dir', join(dir, 'data'), '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
let out = '';
child.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
const url = `http://127.0.0.1:${port}`;
try {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if ((await fetch(`${url}/readyz`).then((r) => r.status).catch(() => 0)) === 200) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server not ready:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const post = (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<{ id: string }>);
  for (let i = 0; i < 20; i++) {
    const inc = await post('/api/v1/incidents', { title: `Incident ${i}`, severity: i % 4 === 0 ? 'critical' : 'high', services: [names[i % SERVICES]] });
    for (let j = 0; j < 3; j++) await post(`/api/v1/incidents/${inc.id}/action-items`, { title: `Action ${i}.${j}`, owner: `person-${j}`, due: '2026-12-01', kind: j === 0 ? 'immediate' : 'preventive' });
    if (i % 2 === 0) await fetch(`${url}/api/v1/incidents/${inc.id}/resolve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  }
  console.log(`warming up ${WARMUP}s: ${SERVICES} checks every 2s…`);
  await new Promise((r) => setTimeout(r, WARMUP * 1000));
  const today = new Date().toISOString().slice(0, 10);
  const time = async (path: string) => {
    const ms: number[] = [];
    let bytes = 0;
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const r = await fetch(`${url}${path}`);
      const body = await r.text();
      if (r.status !== 200) throw new Error(`${path}: ${r.status} ${body}`);
      if (/## Data problems/.test(body)) throw new Error(`${path}: the report had data problems:\n${body.slice(body.indexOf('## Data problems'))}`);
      ms.push(performance.now() - t);
      bytes = body.length;
    }
    ms.sort((a, b) => a - b);
    const q = (f: number) => ms[Math.min(ms.length - 1, Math.floor(f * ms.length))]!.toFixed(0);
    return { p50: q(0.5), p95: q(0.95), min: ms[0]!.toFixed(0), bytes };
  };
  const load0 = loadavg();
  const daily = await time(`/api/v1/reports/daily?date=${today}`);
  const handoff = await time('/api/v1/reports/handoff');
  const load1 = loadavg();
  console.log(`daily report, ${SERVICES} services (${RUNS} runs): p50 ${daily.p50} ms, p95 ${daily.p95} ms, min ${daily.min} ms, ${daily.bytes} bytes of Markdown`);
  console.log(`handoff document (${RUNS} runs): p50 ${handoff.p50} ms, p95 ${handoff.p95} ms, min ${handoff.min} ms`);
  console.log(`load average before ${load0.map((l) => l.toFixed(1)).join(' ')}, after ${load1.map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  target.close();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Scheduler capacity: how many HTTP checks per second Vigil sustains against a local
 * server, with scheduling lag and CPU, side by side with prometheus-blackbox-exporter
 * probing the same target at the same concurrency.
 *
 *   node --import tsx bench/scheduler-capacity.ts [--rate 2000] [--seconds 20] [--concurrency 256]
 *
 * The target runs in its own process; Vigil's CPU is this process's, blackbox_exporter's
 * is read from /proc. Needs `blackbox_exporter` on PATH (Debian: prometheus-blackbox-exporter)
 * for the side-by-side half; without it only Vigil is measured.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../src/model/clock.js';
import { Scheduler, runCheck, checkSchema, type CheckConfig } from '../src/probes/index.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '256' },
  },
});
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);

function startChild(cmd: string, args: string[]): Promise<{ child: ChildProcess; firstLine: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve({ child, firstLine: buf.slice(0, nl) });
    });
    child.on('error', reject);
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100;
}

async function benchVigil(port: number) {
  // RATE checks per second: RATE checks with a 1s interval each.
  const checks: CheckConfig[] = Array.from({ length: RATE }, (_, i) =>
    checkSchema.parse({ name: `c${i}`, type: 'http', url: `http://127.0.0.1:${port}/health?c=${i}`, interval: '1s', timeout: '1s' }),
  );
  const lags: number[] = [];
  let ok = 0;
  let failed = 0;
  let skipped = 0;
  let measuring = false;
  const scheduler = new Scheduler<CheckConfig>({
    clock: systemClock,
    concurrency: CONCURRENCY,
    run: (check, signal) => runCheck(check, { clock: systemClock, signal }),
    onResult: (_c, r, scheduledAt, startedAt) => {
      if (!measuring) return;
      lags.push(startedAt - scheduledAt);
      if (r.success) ok++;
      else failed++;
    },
    onSkip: () => {
      if (measuring) skipped++;
    },
  });
  scheduler.update(checks);
  scheduler.start();
  await new Promise((r) => setTimeout(r, 3000)); // warm-up: one full round of jitter
  measuring = true;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  measuring = false;
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await scheduler.stop();
  lags.sort((a, b) => a - b);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const done = ok + failed;
  return {
    checksPerSecond: done / elapsed,
    failed,
    skipped,
    lagP50: percentile(lags, 50),
    lagP99: percentile(lags, 99),
    cpuSeconds,
    cpuPercent: (100 * cpuSeconds) / elapsed,
    probesPerCpuSecond: done / cpuSeconds,
  };
}

async function benchBlackbox(port: number) {
  const which = spawnSync('sh', ['-c', 'command -v prometheus-blackbox-exporter || command -v blackbox_exporter']);
  const bin = which.stdout.toString().trim();
  if (!bin) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'bb-'));
  const cfg = join(dir, 'blackbox.yml');
  writeFileSync(cfg, 'modules:\n  http_2xx:\n    prober: http\n    timeout: 1s\n    http:\n      preferred_ip_protocol: ip4\n');
  const bbPort = 19115;
  const child = spawn(bin, [`--config.file=${cfg}`, `--web.listen-address=127.0.0.1:${bbPort}`], { stdio: 'ignore' });
  const base = `http://127.0.0.1:${bbPort}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/-/healthy`)).ok) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // Drive it like Prometheus would: RATE probe requests per second, at most CONCURRENCY in flight.
  let ok = 0;
  let failed = 0;
  let inFlight = 0;
  let stop = false;
  const latencies: number[] = [];
  const fire = (i: number) => {
    inFlight++;
    const t = performance.now();
    fetch(`${base}/probe?module=http_2xx&target=${encodeURIComponent(`http://127.0.0.1:${port}/health?c=${i}`)}`)
      .then(async (r) => {
        const body = await r.text();
        if (/^probe_success 1$/m.test(body)) ok++;
        else failed++;
        latencies.push(performance.now() - t);
      })
      .catch(() => failed++)
      .finally(() => inFlight--);
  };
  const cpu0 = procCpuSeconds(child.pid ?? 0);
  const t0 = performance.now();
  let sent = 0;
  while (!stop) {
    const due = Math.floor(((performance.now() - t0) / 1000) * RATE);
    while (sent < due && inFlight < CONCURRENCY) fire(sent++);
    if (performance.now() - t0 > SECONDS * 1000) stop = true;
    await new Promise((r) => setImmediate(r));
  }
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 10));
  const elapsed = (performance.now() - t0) / 1000;
  const cpuSeconds = procCpuSeconds(child.pid ?? 0) - cpu0;
  child.kill('SIGTERM');
  latencies.sort((a, b) => a - b);
  const done = ok + failed;
  return { probesPerSecond: done / elapsed, failed, cpuSeconds, cpuPercent: (100 * cpuSeconds) / elapsed, probesPerCpuSecond: done / cpuSeconds, latencyP50: percentile(latencies, 50), latencyP99: percentile(latencies, 99), version: (() => { const r = spawnSync(bin, ['--version']); return `${r.stdout}${r.stderr}`.split('\n')[0] ?? ''; })() };
}

const { child: target, firstLine } = await startChild(process.execPath, [new URL('./target-server.mjs', import.meta.url).pathname]);
const port = Number(firstLine);
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}`);
console.log(`target rate ${RATE}/s for ${SECONDS}s, concurrency ${CONCURRENCY}\n`);
const v = await benchVigil(port);
console.log('Vigil scheduler + http probe');
console.log(`  checks/s ${v.checksPerSecond.toFixed(0)}  failed ${v.failed}  skipped ${v.skipped}`);
console.log(`  scheduling lag p50 ${v.lagP50.toFixed(1)} ms  p99 ${v.lagP99.toFixed(1)} ms`);
console.log(`  CPU ${v.cpuPercent.toFixed(0)}%  →  ${v.probesPerCpuSecond.toFixed(0)} probes per CPU-second`);
const b = await benchBlackbox(port);
if (b) {
  console.log(`\nblackbox_exporter (${b.version})`);
  console.log(`  probes/s ${b.probesPerSecond.toFixed(0)}  failed ${b.failed}  request latency p50 ${b.latencyP50.toFixed(1)} ms p99 ${b.latencyP99.toFixed(1)} ms`);
  console.log(`  CPU ${b.cpuPercent.toFixed(0)}%  →  ${b.probesPerCpuSecond.toFixed(0)} probes per CPU-second`);
  console.log(`\nratio Vigil / blackbox_exporter: throughput ${(v.checksPerSecond / b.probesPerSecond).toFixed(2)}×, probes per CPU-second ${(v.probesPerCpuSecond / b.probesPerCpuSecond).toFixed(2)}×`);
} else {
  console.log('\nblackbox_exporter not found: install prometheus-blackbox-exporter for the side-by-side run');
}
target.kill('SIGTERM');
process.exit(0);

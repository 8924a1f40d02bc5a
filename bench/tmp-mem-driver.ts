// Temporary: memory breakdown of Vigil holding N alerts (not committed).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const N = Number(process.argv[2] ?? 50000);
const snap = process.argv[3] === 'snap';
const root = new URL('..', import.meta.url).pathname;
const hook = createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(200).end()); });
await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
const dir = mkdtempSync(join(tmpdir(), 'mem-'));
writeFileSync(join(dir, 'vigil.yml'), `server:\n  log_level: warn\nroute:\n  receiver: hook\n  group_by: [alertname]\n  group_wait: 1s\n  group_interval: 1s\n  repeat_interval: 4h\nreceivers:\n  - name: hook\n    webhook_configs:\n      - url: http://127.0.0.1:${(hook.address() as AddressInfo).port}/\n        send_resolved: false\n`);
const port = 20000 + Math.floor(Math.random() * 20000);
const child = spawn(process.execPath, [...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.PROF] : []), '--heapsnapshot-signal=SIGUSR2', join(root, 'bin/vigil.js'), 'server', '--config', join(dir, 'vigil.yml'), '--data-dir', join(dir, 'data'), '--listen', `127.0.0.1:${port}`], { stdio: 'inherit', cwd: '/tmp/intake-prof/mem' });
const url = `http://127.0.0.1:${port}`;
for (;;) { try { if ((await fetch(`${url}/readyz`)).ok) break; } catch {} await new Promise((r) => setTimeout(r, 100)); }
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024;
const metrics = async () => { const t = await (await fetch(`${url}/metrics`)).text(); const g = (n: string) => Number(new RegExp(`^${n} (\\S+)`, 'm').exec(t)?.[1] ?? NaN) / 1048576; return `rss ${rss().toFixed(0)} heapUsed ${g('nodejs_heap_size_used_bytes').toFixed(0)} heapTotal ${g('nodejs_heap_size_total_bytes').toFixed(0)} external ${g('nodejs_external_memory_bytes').toFixed(0)}`; };
await new Promise((r) => setTimeout(r, 3000));
console.log('idle', await metrics());
const startsAt = new Date().toISOString(); const endsAt = new Date(Date.now() + 3600_000).toISOString();
for (let b = 0; b < N; b += 64) {
  const alerts = [];
  for (let i = b; i < Math.min(N, b + 64); i++) alerts.push({ labels: { alertname: `Bench${i % 500}`, i: String(i), instance: `host-${i}.example.com:9100`, job: 'node', severity: 'warning' }, annotations: { summary: `bench alert ${i}`, description: 'disk usage above 90% on /var' }, startsAt, endsAt, generatorURL: `http://prometheus.example.com/graph?g0.expr=up%7Bi%3D%22${i}%22%7D` });
  const r = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
  await r.arrayBuffer();
}
for (const w of (process.env.WAITS ?? '2000,8000,20000,30000').split(',').map(Number)) { await new Promise((r) => setTimeout(r, w)); console.log('loaded +', w, await metrics()); }
if (snap) {
  child.kill('SIGUSR2');
  for (let i = 0; i < 600; i++) { await new Promise((r) => setTimeout(r, 1000)); const f = readdirSync('/tmp/intake-prof/mem').filter((x) => x.endsWith('.heapsnapshot')); if (f.length && i > 5) { const s1 = readFileSync(join('/tmp/intake-prof/mem', f[0]!)).length; await new Promise((r) => setTimeout(r, 2000)); if (readFileSync(join('/tmp/intake-prof/mem', f[0]!)).length === s1) break; } }
}
child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r)); hook.close();

/**
 * Paging through escalation on the real server: N critical alerts (from N failing HTTP checks
 * whose first runs the scheduler spreads over one interval; each alert its own incident and
 * escalation, so all N escalations run at once by the end of it), each paging three levels
 * `escalate_after` apart, every page through the durable outbox to a person's webhook and on
 * the incident's timeline. Reports the latency from alert (its startsAt) to its first page
 * (p50/p99/max), pages/s while the escalations run, and the timelines' sizes.
 *
 *   npm run build && node --import tsx bench/paging-escalation.ts [--incidents 1000] [--interval 60s] [--escalate-after 60s]
 *
 * Vigil runs from dist/ (bin/vigil.js) with every feature on; targets and webhook receivers
 * run in this process.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startServer } from '../test/helpers/vigil-process.js';
import { freePort } from '../test/helpers/services.js';

const { values } = parseArgs({
  options: { incidents: { type: 'string', default: '1000' }, 'escalate-after': { type: 'string', default: '60s' }, interval: { type: 'string', default: '60s' }, people: { type: 'string', default: '10' } },
});
const INTERVAL = values.interval ?? '60s';
const N = Number(values.incidents);
const PEOPLE = Number(values.people);
const ESCALATE = values['escalate-after'] ?? '5s';

if (!existsSync(fileURLToPath(new URL('../dist/app/main.js', import.meta.url)))) {
  console.error('build first: npm run build');
  process.exit(2);
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; port: number }> {
  const server = createServer({ keepAliveTimeout: 60_000 }, handler);
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ server, port: (server.address() as AddressInfo).port })));
}

// Failing from the start: each check fires at its first run, spread over one interval by the scheduler.
let healthy = false;
const target = await listen((_req, res) => {
  res.writeHead(healthy ? 200 : 503).end(healthy ? 'ok' : 'down');
});

interface Arrival {
  at: number;
  level: number;
  escalation: number;
  startsAt: number;
}
const arrivals: Arrival[] = [];
const hook = await listen((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    const at = Date.now();
    try {
      const p = JSON.parse(body) as { page?: { level: number; escalation: number }; alerts: Array<{ startsAt: string }> };
      if (process.env.BENCH_DEBUG && arrivals.length < 2) console.error(body.slice(0, 600));
      if (p.page) arrivals.push({ at, level: p.page.level, escalation: p.page.escalation, startsAt: Date.parse(p.alerts[0]?.startsAt ?? '') });
    } catch {
      /* not a page */
    }
    res.writeHead(200).end('ok');
  });
});

const people = Array.from({ length: PEOPLE }, (_, i) => `p${i}`);
const config = `
server:
  check_concurrency: 512
checks:
${Array.from({ length: N }, (_, i) => `  - {name: c${i}, type: http, url: "http://127.0.0.1:${target.port}/c${i}", interval: ${INTERVAL}, timeout: 5s, failure_threshold: 1, severity: critical}`).join('\n')}
people:
${people.map((p) => `  - {name: ${p}, contacts: {webhook: "http://127.0.0.1:${hook.port}/${p}"}}`).join('\n')}
teams:
  - {name: leads, members: [${people.slice(0, 2).join(', ')}]}
schedules:
  - name: primary
    time_zone: Europe/Berlin
    layers:
      - {name: weekly, rotation: weekly, start: "2020-01-06T09:00", members: [${people.join(', ')}]}
escalation_policies:
  - name: critical
    levels:
      - {targets: [{schedule: primary}], escalate_after: ${ESCALATE}}
      - {targets: [{person: ${people[1]}}], escalate_after: ${ESCALATE}}
      - {targets: [{team: leads}], escalate_after: 1h}
receivers:
  - {name: pager, escalation_policy: critical}
route:
  receiver: pager
  group_by: [alertname]
  group_wait: 0s
  group_interval: 5m
incidents:
  open_for_severities: [critical]
`;
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-paging-'));
writeFileSync(join(dir, 'vigil.yml'), config);
const port = await freePort();
const server = await startServer(['--config', join(dir, 'vigil.yml'), '--data-dir', join(dir, 'data')], port, {}, { fromDist: true });
const pid = server.child.pid ?? 0;
const cpu = (): number => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(f[11]) + Number(f[12])) / 100;
};

const load0 = loadavg();
const cpu0 = cpu();
const broke = Date.now();
// Level 1 and 2 pages for every escalation (level 3 pages two people).
const want = N * (1 + 1 + 2);
const deadline = Date.now() + Number(process.env.BENCH_DEADLINE ?? 420_000);
while (arrivals.length < want && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
const cpu1 = cpu();
const end = Date.now();

if (process.env.BENCH_DEBUG) writeFileSync('/tmp/bench-server.log', server.output());
if (process.env.BENCH_DEBUG) console.error('arrivals', JSON.stringify(arrivals.slice(0, 3)), 'broke', broke);
const first = new Map<number, Arrival>();
for (const a of arrivals) if (a.level === 1 && !first.has(a.escalation)) first.set(a.escalation, a);
const lat = [...first.values()].map((a) => a.at - a.startsAt).sort((a, b) => a - b);
const pct = (p: number): number => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))] ?? NaN;
const t0 = arrivals.reduce((m, a) => Math.min(m, a.at), Infinity);
const t1 = arrivals.reduce((m, a) => Math.max(m, a.at), 0);
const byLevel = [1, 2, 3].map((l) => arrivals.filter((a) => a.level === l).length);

const incidents = (await (await fetch(`${server.url}/api/v1/incidents?status=open&limit=1000`)).json()) as { incidents: Array<{ id: string }> };
let timeline = 0;
const sample = incidents.incidents.slice(0, 20);
for (const i of sample) timeline += ((await (await fetch(`${server.url}/api/v1/incidents/${i.id}`)).json()) as { timeline: unknown[] }).timeline.length;
if (process.env.BENCH_DEBUG) {
  const lines = server.output().split('\n');
  console.error('server lines', lines.length, 'paging', lines.filter((l) => l.includes('Paging')).length, 'delivered', lines.filter((l) => l.includes('page delivered')).length);
  console.error(lines.filter((l) => /"level":(40|50)/.test(l)).slice(0, 5).join('\n'));
  console.error(lines.filter((l) => /escalation|Paging|page/.test(l)).slice(0, 3).join('\n'));
}
await server.stop();
target.server.close();
hook.server.close();

console.log(
  JSON.stringify(
    {
      incidents: N,
      escalate_after: ESCALATE,
      check_interval: INTERVAL,
      escalations_paged: first.size,
      open_incidents: incidents.incidents.length,
      pages_received: arrivals.length,
      pages_by_level: byLevel,
      first_page_latency_ms: { p50: pct(50), p99: pct(99), max: lat[lat.length - 1] },
      pages_per_second: Math.round((arrivals.length / Math.max(1, t1 - t0)) * 1000),
      span_s: (t1 - t0) / 1000,
      wall_s: (end - broke) / 1000,
      server_cpu_s: Math.round((cpu1 - cpu0) * 10) / 10,
      timeline_entries_per_incident: Math.round(timeline / Math.max(1, sample.length)),
      load_before: load0.map((x) => Math.round(x * 10) / 10),
      load_after: loadavg().map((x) => Math.round(x * 10) / 10),
      complete: arrivals.length >= want,
    },
    null,
    2,
  ),
);
process.exit(0);

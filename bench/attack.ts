/**
 * Resource use under attack (issue 15): the CPU-seconds and peak RSS that single hostile
 * requests of at most 10 MB cost the real server (`vigil server` from dist/, logs, syslog and
 * every limit at its default), per endpoint. Target: no request above 2 CPU-seconds or 256 MiB.
 *
 *   npm run build && node --import tsx bench/attack.ts [filter,filter…]
 *
 * With filters, only the requests whose name contains one of them run (in the usual order);
 * `!text` leaves out those whose name contains text.
 *
 * Each request runs on the same server, one at a time. CPU is the server process's (all
 * threads, /proc/<pid>/stat) from just before the request until it has been idle for 300 ms
 * after the answer (log parsing, mining and sealing run after it); peak RSS is VmHWM, reset
 * before each request (clear_refs 5), reported as the rise over the RSS just before it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWriteRequest, encodeWriteRequestProto } from '../src/ingest/remote-write.js';
import { snappyEncode } from '../src/ingest/snappy.js';
import { ProtoWriter } from '../src/ingest/protobuf.js';
import { distinctLines } from './log-distinct-lines.js';

/** The Vigil checkout whose dist/ is run: this one, or VIGIL_ROOT (a "before" build for paired runs). */
const ROOT = process.env.VIGIL_ROOT ?? fileURLToPath(new URL('..', import.meta.url));
/** ATTACK_THREADS=1: after each request, the CPU-seconds of each server thread that used more than 0.01 s. */
const THREADS = process.env.ATTACK_THREADS === '1';
/** Node flags for the server (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`), space-separated. */
const NODE_FLAGS = process.env.ATTACK_NODE_FLAGS?.split(' ').filter((f) => f !== '') ?? [];
/** ATTACK_SERVER_STDOUT=1: the server's standard output (its log, --trace-gc…) goes to this one's standard error. */
const SERVER_STDOUT = process.env.ATTACK_SERVER_STDOUT === '1' ? process.stderr : 'ignore';
const MB = 1024 * 1024;
const LIMIT = 10 * MB;
const filters = process.argv[2]?.split(',') ?? [];
const NOW = Date.now();

function proc(pid: number): { cpu: number; rssMiB: number; hwmMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024;
  return { cpu: (Number(f[11]) + Number(f[12])) / 100, rssMiB: kb('VmRSS'), hwmMiB: kb('VmHWM') };
}

/** CPU-seconds by thread: its name and id (Node 20 names most of its threads `node`; the main thread's id is the pid). */
function threadCpu(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(`${tid === String(pid) ? 'main' : name}/${tid}`, (Number(f[11]) + Number(f[12])) / 100);
  }
  return out;
}

function send(port: number, method: string, path: string, headers: Record<string, string>, body?: Uint8Array | string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8', 0, 300) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const formPost = (port: number, path: string, params: Record<string, string>) =>
  send(port, 'POST', path, { 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams(params).toString());

/** Adds items from `make(i)` while the whole stays under `max` bytes. */
function fill(max: number, make: (i: number) => string, sep = '\n'): string[] {
  const out: string[] = [];
  let n = 0;
  for (let i = 0; ; i++) {
    const s = make(i);
    if (n + s.length + sep.length > max) return out;
    out.push(s);
    n += s.length + sep.length;
  }
}

// ---- the attacks ----

interface Attack {
  name: string;
  bytes: number;
  run(port: number, syslogPort: number): Promise<{ status: number; text: string }>;
}

function attacks(): Attack[] {
  const words = distinctLines(200_000, 7);
  console.error('building payloads…');
  const ns = (i: number) => `${BigInt(NOW - 60_000 + (i % 60_000)) * 1_000_000n}`;

  // remote-write: as many new series as fit in 10 MB compressed.
  const series: Array<{ labels: Array<{ name: string; value: string }>; samples: Array<{ value: number; timestamp: number }> }> = [];
  for (let i = 0; i < 250_000; i++) {
    series.push({ labels: [{ name: '__name__', value: 'attack_metric' }, { name: 'instance', value: `host-${i}` }, { name: 'pod', value: words[i % words.length]!.replace(/ /g, '-') }], samples: [{ value: i, timestamp: NOW - 1000 }] });
  }
  let rw = encodeWriteRequest({ timeseries: series });
  while (rw.length > LIMIT) {
    series.length = Math.floor((series.length * LIMIT * 0.98) / rw.length);
    rw = encodeWriteRequest({ timeseries: series });
  }
  // remote-write: a snappy body that expands to ~200 MB (one series repeated, below the 256 MiB cap).
  const one = encodeWriteRequestProto({ timeseries: [{ labels: [{ name: '__name__', value: 'attack_dup' }], samples: [{ value: 1, timestamp: NOW - 2000 }] }] });
  const big = Buffer.alloc(Math.floor((200 * MB) / one.length) * one.length);
  big.set(one, 0);
  for (let n = one.length; n < big.length; n *= 2) big.copy(big, n, 0, Math.min(n, big.length - n));
  const bomb = snappyEncode(big);
  const justUnder = snappyEncode(big.subarray(0, Math.floor((32 * MB) / one.length) * one.length)); // the most now accepted

  const nd = fill(LIMIT, (i) => JSON.stringify({ ts: NOW - 1000, labels: { service: 'attack' }, line: `${words[i % words.length]} ${i}` }));
  const lokiValues = fill(LIMIT - 200, (i) => JSON.stringify([ns(i), `${words[i % words.length]} ${i}`]), ',');
  const lokiJson = `{"streams":[{"stream":{"job":"attack"},"values":[${lokiValues.join(',')}]}]}`;
  // Distinct lines compress little: stop at 10 MB of protobuf, well under 10 MB snappy-compressed.
  const lokiEntries = new ProtoWriter().string(1, '{job="attackpb"}');
  for (let i = 0, size = 0; size < LIMIT - 200; i++) {
    const ts = new ProtoWriter().int64(1, Math.floor((NOW - 60_000) / 1000) + (i % 60)).int64(2, i).finish();
    const entry = new ProtoWriter().bytes(1, ts).string(2, `${words[i % words.length]} ${i}`).finish();
    lokiEntries.bytes(2, entry);
    size += entry.length + 4;
  }
  const lokiProto = snappyEncode(new ProtoWriter().bytes(1, lokiEntries.finish()).finish());
  const otlpRecords = fill(LIMIT - 300, (i) => JSON.stringify({ timeUnixNano: ns(i), severityNumber: 9, body: { stringValue: `${words[i % words.length]} ${i}` }, attributes: [{ key: 'n', value: { intValue: String(i) } }] }), ',');
  const otlpJson = `{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"attackotlp"}}]},"scopeLogs":[{"logRecords":[${otlpRecords.join(',')}]}]}]}`;
  const deepAttr = `${'{"kvlistValue":{"values":[{"key":"k","value":'.repeat(99)}{"stringValue":"x"}${'}]}}'.repeat(99)}`;
  const otlpDeep = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[${fill(LIMIT - 300, (i) => `{"timeUnixNano":"${ns(i)}","body":{"stringValue":"deep ${i}"},"attributes":[{"key":"a","value":${deepAttr}}]}`, ',').join(',')}]}]}]}`;
  const syslog = fill(LIMIT, (i) => `<134>1 2024-10-11T22:14:15.003Z host app ${i} - - ${words[i % words.length]} ${i}`);
  const start = String((NOW - 3600_000) / 1000);
  const end = String(NOW / 1000);
  const deepQ = (n: number) => `${'abs('.repeat(n)}attack_metric${')'.repeat(n)}`;

  const post = (path: string, type: string, body: Uint8Array | string, extra: Record<string, string> = {}): Attack['run'] => (port) => send(port, 'POST', path, { 'content-type': type, ...extra }, body);
  const q = (path: string, params: Record<string, string>): Attack => ({ name: `${path} ${JSON.stringify(params.query).slice(0, 90)}${params.step ? ` step=${params.step}` : ''}`, bytes: params.query!.length, run: (port) => formPost(port, path, params) });
  return [
    { name: `remote-write: ${series.length.toLocaleString('en-US')} new series`, bytes: rw.length, run: post('/api/v1/write', 'application/x-protobuf', rw, { 'content-encoding': 'snappy' }) },
    { name: 'remote-write: snappy expanding to 200 MB of one series', bytes: bomb.length, run: post('/api/v1/write', 'application/x-protobuf', bomb, { 'content-encoding': 'snappy' }) },
    { name: 'remote-write: snappy expanding to 32 MiB of one series', bytes: justUnder.length, run: post('/api/v1/write', 'application/x-protobuf', justUnder, { 'content-encoding': 'snappy' }) },
    { name: `NDJSON logs: ${nd.length.toLocaleString('en-US')} distinct lines`, bytes: nd.join('\n').length, run: post('/api/v1/logs', 'application/x-ndjson', nd.join('\n')) },
    { name: `Loki push JSON: ${lokiValues.length.toLocaleString('en-US')} distinct lines`, bytes: lokiJson.length, run: post('/loki/api/v1/push', 'application/json', lokiJson) },
    { name: 'Loki push protobuf: distinct lines', bytes: lokiProto.length, run: post('/loki/api/v1/push', 'application/x-protobuf', lokiProto) },
    { name: `OTLP logs JSON: ${otlpRecords.length.toLocaleString('en-US')} records`, bytes: otlpJson.length, run: post('/v1/logs', 'application/json', otlpJson) },
    { name: 'OTLP logs JSON: records with 99-level attributes', bytes: otlpDeep.length, run: post('/v1/logs', 'application/json', otlpDeep) },
    { name: `syslog TCP: ${syslog.length.toLocaleString('en-US')} messages`, bytes: syslog.join('\n').length, run: (_p, sp) => syslogSend(sp, syslog.join('\n') + '\n') },
    { name: 'incident note: 10 MB body', bytes: LIMIT, run: post('/api/v1/incidents/INC-2026-0001/notes', 'application/json', JSON.stringify({ text: 'x'.repeat(LIMIT - 20) })) },
    q('/api/v1/query_range', { query: 'sum by (pod) (rate(attack_metric[5m]))', start, end, step: '15' }),
    q('/api/v1/query_range', { query: 'count(attack_metric) by (instance)', start, end, step: '1' }),
    q('/api/v1/query', { query: 'quantile_over_time(0.5, attack_metric[1d:1s])', time: end }),
    q('/api/v1/query', { query: 'topk(5, attack_metric{pod=~"(a|b|c)*(x|y)+.*z"}) or absent(nope)', time: end }),
    q('/api/v1/query_range', { query: deepQ(500), start, end, step: '1' }),
    q('/api/v1/query', { query: `${'('.repeat(5_000_000)}1${')'.repeat(5_000_000)}`, time: end }),
    q('/loki/api/v1/query_range', { query: 'sum by (service) (count_over_time({service=~".+"} |~ "a.*e.*i" [1h]))', start, end, step: '1' }),
    q('/loki/api/v1/query_range', { query: '{service=~".+"} | logfmt | json | line_format "{{.__line__}}"', start, end, limit: '5000' }),
    // Last: before issue 15's query limits these two killed the process.
    q('/loki/api/v1/query_range', { query: 'count_over_time({job="attack"}[1m])', start: String((NOW - 365 * 86400_000) / 1000), end, step: '0.001' }),
    q('/api/v1/query', { query: 'max_over_time(attack_metric[1y:1ms])', time: end }),
  ];
}

function syslogSend(port: number, text: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.end(text));
    s.on('error', reject);
    s.on('close', () => resolve({ status: 0, text: 'sent' }));
  });
}

async function settle(pid: number): Promise<void> {
  let cpu = proc(pid).cpu;
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 300));
    const c = proc(pid).cpu;
    if (c - cpu < 0.015) return;
    cpu = c;
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-attack-'));
  const port = 19500 + (process.pid % 400);
  const syslogPort = port + 1;
  writeFileSync(join(dir, 'vigil.yml'), `logs: {}\nsyslog:\n  tcp_listen: 127.0.0.1:${syslogPort}\n`);
  const t0 = Date.now();
  const include = filters.filter((f) => !f.startsWith('!'));
  const exclude = filters.filter((f) => f.startsWith('!')).map((f) => f.slice(1));
  const chosen = attacks().filter((a) => (include.length === 0 || include.some((f) => a.name.includes(f))) && !exclude.some((f) => a.name.includes(f)));
  // ATTACK_REPEAT=n: each chosen request n times in a row on the one server (the first pays for code not yet compiled).
  const list = chosen.flatMap((a) => Array.from({ length: Math.max(1, Number(process.env.ATTACK_REPEAT ?? 1)) }, () => a));
  console.error(`payloads built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const child: ChildProcess = spawn(process.execPath, [...NODE_FLAGS, join(ROOT, 'bin/vigil.js'), 'server', '--config', join(dir, 'vigil.yml'), '--data-dir', join(dir, 'data'), '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', SERVER_STDOUT, 'inherit'] });
  const pid = child.pid as number;
  try {
    for (let i = 0; ; i++) {
      if (i > 600) throw new Error('server did not become ready');
      if ((await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await settle(pid);
    console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; idle server RSS ${proc(pid).rssMiB.toFixed(0)} MiB`);
    console.log('| request | body | answer | wall s | server CPU-s | peak RSS rise MiB | within target |\n|---|---:|---|---:|---:|---:|---|');
    for (const a of list) {
      const before = proc(pid);
      const threadsBefore = THREADS ? threadCpu(pid) : undefined;
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
      const t0 = performance.now();
      const r = await a.run(port, syslogPort).catch((e: Error) => ({ status: -1, text: e.message }));
      const wall = (performance.now() - t0) / 1000;
      await settle(pid);
      const after = proc(pid);
      const cpu = after.cpu - before.cpu;
      const rise = after.hwmMiB - before.rssMiB;
      const answer = r.status === 0 ? 'n/a (TCP)' : `${r.status}${r.status >= 400 ? ` ${r.text.replace(/\|/g, '/').slice(0, 70)}` : ''}`;
      const ok = cpu <= 2 && rise <= 256 ? 'yes' : '**no**';
      console.log(`| ${a.name.replace(/\|/g, '\\|')} | ${(a.bytes / 1e6).toFixed(1)} MB | ${answer} | ${wall.toFixed(2)} | ${cpu.toFixed(2)} | ${rise.toFixed(0)} | ${ok} |`);
      if (threadsBefore) {
        const parts = [...threadCpu(pid)].map(([n, c]) => [n, c - (threadsBefore.get(n) ?? 0)] as const).filter(([, c]) => c > 0.01).sort((a, b) => b[1] - a[1]);
        console.log(`|   ↳ threads: ${parts.map(([n, c]) => `${n} ${c.toFixed(2)}`).join(', ')} | | | | | | |`);
      }
      if (child.exitCode !== null || child.signalCode !== null) {
        console.log(`| ↳ **the server died** (${child.exitCode ?? child.signalCode}) | | | | | | |`);
        break;
      }
    }
    console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; server RSS at the end ${proc(pid).rssMiB.toFixed(0)} MiB`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWriteRequest, encodeWriteRequestProto } from '../../src/ingest/remote-write.js';
import { snappyEncode } from '../../src/ingest/snappy.js';
import { ProtoWriter } from '../../src/ingest/protobuf.js';
import { parseConfigText } from '../../src/config/index.js';
import { parseRuleFile } from '../../src/config/rule-files.js';
import { formatExpr, parseExpr } from '../../src/promql/index.js';
import { Template, TemplateExecError, TemplateParseError } from '../../src/template/index.js';
import { GoMap, GoSlice, type GoValue } from '../../src/template/values.js';
import { closeServer, freePort } from '../helpers/services.js';
import { startServer, type ServerProcess } from '../helpers/vigil-process.js';
import { casesRun, forCases, Mutator, suiteSeed } from './mutate.js';

// Issue 15, "make it hold": generated malformed input for every parser, against one real
// server. Each parser gets a fixed number of cases (CASES, scaled per parser by its cost) from
// a mutator seeded for it alone, so a run's inputs never depend on the machine's speed. Every answer must be a 2xx (the mutation happened to stay valid) or a 4xx
// with a message, never a 5xx; the process must keep serving; and what was acknowledged
// before the bad input must still be there after it.
const SEED = Number(process.env.VIGIL_FUZZ_SEED ?? 15);
const CASES = Number(process.env.VIGIL_FUZZ_CASES ?? 150);
const NOW = Date.now();

let server: ServerProcess;
let target: Server;
let exposition = '';
/** Expositions served once each, in order, before `exposition`; `onScrape` hears every scrape. */
const queued: string[] = [];
let onScrape: ((served: string) => void) | undefined;
let dir: string;
let syslogUdp: number;
let syslogTcp: number;
const enc = new TextEncoder();

async function check(what: string, res: Response): Promise<number> {
  const text = await res.text();
  const where = `${what} (seed ${SEED}): ${res.status} ${text.slice(0, 300)}`;
  assert.ok(res.status < 500, where);
  if (res.status >= 400) assert.ok(text.trim().length > 0 && !/internal server error/i.test(text), `a 4xx says why: ${where}`);
  return res.status;
}

function post(path: string, body: Uint8Array | string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${server.url}${path}`, { method: 'POST', headers, body });
}

function form(params: Record<string, string>): { body: string; headers: Record<string, string> } {
  return { body: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
}

async function seededCounts(): Promise<{ samples: number; lines: number }> {
  const q = await (await post('/api/v1/query', form({ query: 'count_over_time(fuzz_seed[1h])', time: String(NOW / 1000 + 1) }).body, form({}).headers)).json() as { data: { result: Array<{ value: [number, string] }> } };
  const l = await (await post('/loki/api/v1/query', form({ query: 'sum(count_over_time({job="fuzzseed"}[1h]))', time: String(NOW / 1000 + 1) }).body, form({}).headers)).json() as { data: { result: Array<{ value: [number, string] }> } };
  return { samples: Number(q.data.result[0]?.value[1] ?? 0), lines: Number(l.data.result[0]?.value[1] ?? 0) };
}

// ---- valid payloads the mutations start from ----

function writeRequest(): Uint8Array {
  return encodeWriteRequestProto({
    timeseries: [
      { labels: [{ name: '__name__', value: 'fuzz_metric' }, { name: 'job', value: 'fuzz' }], samples: [{ value: 1.5, timestamp: NOW - 5000 }, { value: 2, timestamp: NOW }] },
      { labels: [{ name: '__name__', value: 'fuzz_other' }, { name: 'le', value: '+Inf' }], samples: [{ value: NaN, timestamp: NOW }] },
    ],
  });
}

function lokiProto(): Uint8Array {
  const ts = new ProtoWriter().int64(1, Math.floor(NOW / 1000)).int64(2, 5).finish();
  const entry = new ProtoWriter().bytes(1, ts).string(2, 'GET /x 200 level=info').finish();
  const stream = new ProtoWriter().string(1, '{job="fuzz", env="prod"}').bytes(2, entry).bytes(2, entry).finish();
  return new ProtoWriter().bytes(1, stream).finish();
}

function otlpProto(): Uint8Array {
  const anyStr = (s: string) => new ProtoWriter().string(1, s).finish();
  const kv = (k: string, v: Uint8Array) => new ProtoWriter().string(1, k).bytes(2, v).finish();
  const kvlist = new ProtoWriter().bytes(6, new ProtoWriter().bytes(1, kv('inner', anyStr('v'))).finish()).finish();
  const rec = new ProtoWriter().bytes(5, anyStr('hello from otlp')).bytes(6, kv('http.method', anyStr('GET'))).bytes(6, kv('nested', kvlist)).int64(2, 9).finish();
  const scope = new ProtoWriter().bytes(1, new ProtoWriter().string(1, 'lib').finish()).bytes(2, rec).finish();
  const resource = new ProtoWriter().bytes(1, kv('service.name', anyStr('fuzzsvc'))).finish();
  return new ProtoWriter().bytes(1, new ProtoWriter().bytes(1, resource).bytes(2, scope).finish()).finish();
}

const lokiJson = JSON.stringify({ streams: [{ stream: { job: 'fuzz' }, values: [[`${BigInt(NOW) * 1_000_000n}`, 'line one'], [`${BigInt(NOW) * 1_000_000n + 1n}`, 'line two', { trace_id: 'abc' }]] }] });
const otlpJson = JSON.stringify({
  resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'fuzzsvc' } }] }, scopeLogs: [{ logRecords: [{ timeUnixNano: `${BigInt(NOW) * 1_000_000n}`, severityNumber: 9, body: { kvlistValue: { values: [{ key: 'a', value: { arrayValue: { values: [{ intValue: '3' }] } } }] } }, attributes: [{ key: 'k', value: { doubleValue: 1.5 } }] }] }] }],
});
const ndjson = [`{"ts":${NOW},"labels":{"job":"fuzz"},"line":"GET /a 200","status":200}`, `{"time":"2024-10-11T22:14:15Z","msg":"x","nested":{"a":[1,2,{"b":null}]}}`].join('\n');
const textExposition = `# HELP fuzz_requests_total Requests.\n# TYPE fuzz_requests_total counter\nfuzz_requests_total{code="200",path="/a"} 1027 ${NOW}\nfuzz_requests_total{code="500"} 3\n# TYPE fuzz_latency histogram\nfuzz_latency_bucket{le="0.1"} 5\nfuzz_latency_bucket{le="+Inf"} 7\nfuzz_latency_sum 1.2\nfuzz_latency_count 7\n`;
const openMetrics = `# TYPE fuzz_events counter\n# UNIT fuzz_events events\nfuzz_events_total{kind="a"} 1.0 1700000000.123 # {trace_id="x"} 1.0\n# TYPE fuzz_info info\nfuzz_info{version="1"} 1\n# EOF\n`;
const syslogLines = ['<34>1 2024-10-11T22:14:15.003Z host app 123 ID47 [exampleSDID@32473 iut="3"] message here', '<13>Oct 11 22:14:15 host sshd[42]: Failed password for root from 10.0.0.1'];
const promqlSeeds = ['sum by (job) (rate(fuzz_metric{job="fuzz"}[5m]))', 'histogram_quantile(0.9, sum by (le) (rate(fuzz_latency_bucket[5m])))', 'max_over_time(fuzz_metric[10m:1m] offset 1m) > bool 1', 'label_replace(up, "a", "$1", "job", "(.*)") or on(job) vector(1)', 'topk(3, fuzz_metric @ end()) / ignoring(le) group_left fuzz_other'];
const promqlVocab = ['(', ')', '{', '}', '[', ']', ',', '"', '`', '=~', '!~', '+', '^', '@', 'offset', 'by', 'without', 'on', 'group_left', 'bool', 'sum', 'rate', 'abs(', '5m', '1y', '0.001', ':', '1e308', 'NaN', '-', 'and', 'or', '\\', '\u0000', '\ud800', '#', '"\\x'];
const logqlSeeds = ['sum by (job) (count_over_time({job="fuzz"} |= "GET" | json | status >= 500 [5m]))', '{job="fuzz"} | logfmt | level="info" or duration > 1s | line_format "{{.msg | ToUpper}}"', 'topk(2, rate({job=~"f.*"} |~ "(?i)err" [1m])) / 2', 'quantile_over_time(0.9, {job="fuzz"} | json | unwrap latency | __error__="" [5m]) by (path)', '{job="fuzz"} | pattern "<ip> - <_>" | regexp "(?P<n>\\\\d+)" | drop a, b'];
const logqlVocab = ['(', ')', '{', '}', '[', ']', '|', '|=', '|~', '!=', '"', '`', 'json', 'logfmt', 'unwrap', 'by', 'sum(', 'and', 'or', ',', '{{', '}}', '5m', '0', '-', 'line_format', '\\', '\ud800'];

describe('generated malformed input for every parser, against a real server', () => {
  let before0: { samples: number; lines: number };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-fuzz-'));
    target = createServer((req, res) => {
      const served = queued.shift() ?? exposition;
      const om = (req.headers.accept ?? '').includes('openmetrics') && served.includes('# EOF');
      res.writeHead(200, { 'content-type': om ? 'application/openmetrics-text; version=1.0.0; charset=utf-8' : 'text/plain; version=0.0.4' });
      res.end(served, () => onScrape?.(served));
    });
    const targetPort = await freePort();
    await new Promise<void>((r) => target.listen(targetPort, '127.0.0.1', r));
    syslogUdp = await freePort();
    syslogTcp = await freePort();
    exposition = textExposition;
    writeFileSync(
      join(dir, 'vigil.yml'),
      `logs: {}\nsyslog:\n  udp_listen: 127.0.0.1:${syslogUdp}\n  tcp_listen: 127.0.0.1:${syslogTcp}\nscrape_configs:\n  - job_name: fuzz\n    scrape_interval: 1s\n    static_configs: [{targets: ['127.0.0.1:${targetPort}']}]\n`,
    );
    server = await startServer(['--config', join(dir, 'vigil.yml'), '--data-dir', join(dir, 'data')], await freePort());
    // Acknowledged before any bad input: 60 samples and 50 lines.
    const samples = Array.from({ length: 60 }, (_, i) => ({ value: i, timestamp: NOW - 60_000 + i * 1000 }));
    const rw = encodeWriteRequest({ timeseries: [{ labels: [{ name: '__name__', value: 'fuzz_seed' }], samples }] });
    assert.equal((await post('/api/v1/write', rw, { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' })).status, 204);
    const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ ts: NOW - 1000 + i, labels: { job: 'fuzzseed' }, line: `seed line ${i}` })).join('\n');
    assert.equal((await post('/api/v1/logs', lines, { 'content-type': 'application/x-ndjson' })).status, 200);
    before0 = await seededCounts();
    assert.deepEqual(before0, { samples: 60, lines: 50 });
  });

  after(async () => {
    await server?.stop();
    if (target) await closeServer(target);
    rmSync(dir, { recursive: true, force: true });
  });

  test('remote-write: mutated protobuf and snappy', async () => {
    const proto = writeRequest();
    await forCases(SEED, 'remote-write', CASES, async (i, m) => {
      const body = i % 2 ? m.mutate(snappyEncode(proto)) : snappyEncode(m.mutate(proto));
      await check(`remote-write case ${i}`, await post('/api/v1/write', body, { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' }));
    });
  });

  test('Loki push: mutated JSON and protobuf', async () => {
    const proto = lokiProto();
    await forCases(SEED, 'loki-push', CASES, async (i, m) => {
      if (i % 2) await check(`loki json case ${i}`, await post('/loki/api/v1/push', m.mutate(enc.encode(lokiJson)), { 'content-type': 'application/json' }));
      else {
        const body = i % 4 ? m.mutate(snappyEncode(proto)) : snappyEncode(m.mutate(proto));
        await check(`loki protobuf case ${i}`, await post('/loki/api/v1/push', body, { 'content-type': 'application/x-protobuf' }));
      }
    });
  });

  test('OTLP logs: mutated JSON and protobuf', async () => {
    const proto = otlpProto();
    await forCases(SEED, 'otlp-logs', CASES, async (i, m) => {
      if (i % 2) await check(`otlp json case ${i}`, await post('/v1/logs', m.mutate(enc.encode(otlpJson)), { 'content-type': 'application/json' }));
      else await check(`otlp protobuf case ${i}`, await post('/v1/logs', m.mutate(proto), { 'content-type': 'application/x-protobuf' }));
    });
  });

  test('NDJSON: mutated lines', async () => {
    await forCases(SEED, 'ndjson', CASES, async (i, m) => {
      await check(`ndjson case ${i}`, await post('/api/v1/logs', m.mutate(enc.encode(ndjson)), { 'content-type': 'application/x-ndjson' }));
    });
  });

  test('PromQL through POST form bodies (instant and range)', async () => {
    await forCases(SEED, 'promql', CASES, async (i, m) => {
      const query = m.mutateTokens(m.pick(promqlSeeds), promqlVocab);
      const params: Record<string, string> = i % 2 ? { query, time: String(NOW / 1000) } : { query, start: String(NOW / 1000 - 600), end: String(NOW / 1000), step: '15' };
      const f = form(params);
      await check(`promql case ${i} ${JSON.stringify(query.slice(0, 120))}`, await post(i % 2 ? '/api/v1/query' : '/api/v1/query_range', f.body, f.headers));
    });
  });

  test('LogQL through POST form bodies (instant and range)', async () => {
    await forCases(SEED, 'logql', CASES, async (i, m) => {
      const query = m.mutateTokens(m.pick(logqlSeeds), logqlVocab);
      const params: Record<string, string> = i % 2 ? { query, time: String(NOW / 1000) } : { query, start: String(NOW / 1000 - 600), end: String(NOW / 1000), step: '15' };
      const f = form(params);
      await check(`logql case ${i} ${JSON.stringify(query.slice(0, 120))}`, await post(i % 2 ? '/loki/api/v1/query' : '/loki/api/v1/query_range', f.body, f.headers));
    });
  });

  test('syslog over UDP and TCP: mutated messages and framing', async () => {
    const udp = createSocket('udp4');
    const tcp = connect(syslogTcp, '127.0.0.1');
    await new Promise<void>((r, j) => tcp.once('connect', r).once('error', j));
    tcp.on('error', () => undefined); // the server may close a connection whose framing it refuses
    await forCases(SEED, 'syslog', CASES, async (i, m) => {
      const msg = m.mutate(enc.encode(m.pick(syslogLines)));
      await new Promise<void>((r) => udp.send(msg, syslogUdp, '127.0.0.1', () => r()));
      if (!tcp.destroyed) tcp.write(i % 3 ? Buffer.concat([msg, Buffer.from('\n')]) : Buffer.concat([Buffer.from(`${msg.length} `), msg]));
    });
    udp.close();
    tcp.destroy();
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
  });

  test('Prometheus text and OpenMetrics: a scrape target serving mutated expositions', async () => {
    const seeds = [textExposition, openMetrics];
    const m = new Mutator(suiteSeed(SEED, 'exposition'));
    const cases = Math.max(2, Math.ceil(CASES / 50));
    for (let i = 0; i < cases; i++) queued.push(new TextDecoder().decode(m.mutate(enc.encode(seeds[i % 2]!))));
    casesRun.push(cases);
    // Every mutated exposition is scraped, then two valid ones: the first valid scrape's
    // samples are stored by the time the second is served.
    let valid = 0;
    await new Promise<void>((resolve) => {
      onScrape = (served) => {
        if (queued.length === 0 && served === exposition && ++valid === 2) resolve();
      };
    });
    onScrape = undefined;
    const r = await post('/api/v1/query', form({ query: 'up{job="fuzz"}' }).body, form({}).headers);
    assert.equal(r.status, 200);
    const body = (await r.json()) as { data: { result: unknown[] } };
    assert.equal(body.data.result.length, 1, 'the target is still scraped and reported');
    assert.equal((body.data.result[0] as { value: [number, string] }).value[1], '1', 'the valid exposition after the mutated ones is scraped successfully');
  });

  test('vigil.yml: mutated configuration through the loader', async () => {
    const yml = `server:\n  listen: 127.0.0.1:9797\nservices:\n  - &svc {name: api, owner: team}\nchecks:\n  - name: api-up\n    service: api\n    type: http\n    url: http://127.0.0.1:1/\n    interval: 10s\nroute:\n  receiver: ops\n  routes: [{matchers: ['severity="critical"'], receiver: ops}]\nreceivers:\n  - name: ops\n    webhook_configs: [{url: 'http://127.0.0.1:2/hook'}]\n`;
    await forCases(SEED, 'config', Math.ceil(CASES / 5), async (i, m) => {
      const text = i % 2 ? new TextDecoder().decode(m.mutate(enc.encode(yml))) : m.mutateTokens(yml, ['&a', '*a', '*svc', '[', ']', '{', '}', ':', '- ', '\n  ', '"', "'", '!!binary', '<<: *svc', '? ', '|', '>']);
      const r = parseConfigText(text, 'vigil.yml');
      if (!r.ok) for (const e of r.errors) assert.match(e, /\S: \S/, `config case ${i}: every error says where and why (seed ${SEED})`);
    });
  });

  test('rule files: mutated rulefmt through the loader', async () => {
    const rules = `groups:\n  - name: api\n    interval: 30s\n    rules:\n      - record: job:req:rate5m\n        expr: sum by (job) (rate(http_requests_total[5m]))\n      - alert: HighErrors\n        expr: job:req:rate5m{code=~"5.."} > 0.1\n        for: 5m\n        labels: {severity: page}\n        annotations:\n          summary: "{{ $labels.job }} at {{ $value | humanizePercentage }}"\n`;
    const parse = (q: string) => formatExpr(parseExpr(q));
    await forCases(SEED, 'rule-files', Math.ceil(CASES / 2), async (i, m) => {
      const text = i % 2 ? new TextDecoder().decode(m.mutate(enc.encode(rules))) : m.mutateTokens(rules, [...promqlVocab, '{{', '}}', '$labels', '&a', '*a', '- ', ':']);
      const r = parseRuleFile(text, 'rules.yml', { parseExpr: parse });
      for (const e of r.errors) assert.match(e, /^rules\.yml: /, `rule file case ${i}: every error names the file (seed ${SEED})`);
    });
  });

  test('templates: mutated Go templates parse or fail with a positioned error, and run within their limits', async () => {
    const seeds = ['{{ range $i, $v := .items }}{{ if gt $i 0 }}, {{ end }}{{ $v | printf "%q" }}{{ end }}', '{{ define "x" }}{{ .a.b }}{{ template "x" . }}{{ end }}{{ template "x" . }}', '{{ with $x := index .m "k" }}{{ len $x }}{{ else }}none{{ end }} {{ humanize 1234567 }}'];
    const data = new GoMap(new Map<string, GoValue>([['items', new GoSlice(['a', 'b'])], ['m', new GoMap(new Map([['k', new GoSlice([1, 2])]]))], ['a', GoMap.ofStrings({ b: 'c' })]]), 'map[string]interface {}', null);
    const vocab = ['{{', '}}', '{{-', '-}}', 'range', 'end', 'if', 'else', 'template "x" .', 'define', '(', ')', '|', '$', '.', '"', '`', 'printf', 'index', ':=', '=', 'call', 'block'];
    await forCases(SEED, 'templates', CASES * 2, async (i, m) => {
      const text = m.mutateTokens(m.pick(seeds), vocab);
      let t: Template;
      try {
        t = Template.parse('t', text);
      } catch (e) {
        assert.ok(e instanceof TemplateParseError, `template case ${i}: ${String(e)} (seed ${SEED})`);
        return;
      }
      try {
        await t.execute(data);
      } catch (e) {
        assert.ok(e instanceof TemplateExecError, `template case ${i}: ${String(e)} (seed ${SEED})`);
      }
    });
  });

  test('afterwards the process still serves and everything acknowledged before is still there', async (t) => {
    t.diagnostic(`seed ${SEED}: cases run per suite ${casesRun.join(', ')}`);
    assert.equal(server.child.exitCode, null, server.output().slice(-2000));
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
    assert.deepEqual(await seededCounts(), before0);
    assert.doesNotMatch(server.output(), /Maximum call stack|FATAL|uncaught/i);
  });
});

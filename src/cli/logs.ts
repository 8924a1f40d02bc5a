import { parseArgs } from 'node:util';
import { parseDuration } from '../model/duration.js';
import { UsageError, type Command, type CliIO } from './command.js';
import { call, clientOptions } from './client.js';

const common = {
  url: { type: 'string' },
  token: { type: 'string' },
  since: { type: 'string', default: '1h' },
  limit: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

function sinceMs(s: string): number {
  try {
    return parseDuration(s);
  } catch {
    throw new UsageError(`--since expects a duration like 15m, 1h or 7d, got ${JSON.stringify(s)}`);
  }
}

const fmtLabels = (l: Record<string, string>) =>
  Object.keys(l)
    .sort()
    .map((k) => `${k}=${l[k]}`)
    .join(' ');

const queryUsage = `Usage: vigil logs query 'LOGQL' [--since 1h] [--limit 100] [--forward] [--url URL] [--json]

Runs a LogQL query over the last --since of logs and prints the lines (newest first,
or oldest first with --forward), or the values of a metric query.
`;

async function runQuery(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...common, forward: { type: 'boolean', default: false } } });
  const query = positionals[0];
  if (!query || positionals.length > 1) throw new UsageError(`logs query takes exactly one LogQL query (quote it: '{service="api"} |= "timeout"')`);
  const end = Date.now();
  const qs = new URLSearchParams({
    query,
    start: String((end - sinceMs(values.since)) / 1000),
    end: String(end / 1000),
    limit: values.limit ?? '100',
    direction: values.forward ? 'forward' : 'backward',
  });
  const res = await call(clientOptions(values, io), 'GET', `/loki/api/v1/query_range?${qs}`);
  if (values.json) return io.stdout(res.text + '\n'), 0;
  const data = (res.json as { data: { resultType: string; result: unknown[] } }).data;
  if (data.resultType === 'streams') {
    const lines: Array<[bigint, string, string]> = [];
    for (const s of data.result as Array<{ stream: Record<string, string>; values: Array<[string, string]> }>) {
      for (const [ts, line] of s.values) lines.push([BigInt(ts), fmtLabels(s.stream), line]);
    }
    lines.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0) * (values.forward ? 1 : -1));
    if (lines.length === 0) io.stdout('(no lines)\n');
    for (const [ts, labels, line] of lines) io.stdout(`${new Date(Number(ts / 1_000_000n)).toISOString()}  {${labels}}  ${line}\n`);
    return 0;
  }
  for (const s of data.result as Array<{ metric: Record<string, string>; values?: Array<[number, string]>; value?: [number, string] }>) {
    io.stdout(`{${fmtLabels(s.metric)}}\n`);
    for (const [t, v] of s.values ?? (s.value ? [s.value] : [])) io.stdout(`  ${new Date(t * 1000).toISOString()}  ${v}\n`);
  }
  return 0;
}

const traceUsage = `Usage: vigil logs trace ID [--since 24h] [--url URL] [--json]

Prints every line that carries ID as its request id or trace id (or in its text),
across services, in time order.
`;

async function runTrace(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...common, since: { type: 'string', default: '24h' } } });
  const id = positionals[0];
  if (!id || positionals.length > 1) throw new UsageError('logs trace takes exactly one request id or trace id');
  const end = Date.now();
  const qs = new URLSearchParams({ start: String((end - sinceMs(values.since)) / 1000), end: String(end / 1000) });
  const res = await call(clientOptions(values, io), 'GET', `/api/v1/logs/trace/${encodeURIComponent(id)}?${qs}`);
  if (values.json) return io.stdout(res.text + '\n'), 0;
  const body = res.json as { lines: Array<{ time: string; labels: Record<string, string>; line: string }> };
  if (body.lines.length === 0) io.stdout(`no line carries ${id} in the last ${values.since}\n`);
  for (const l of body.lines) io.stdout(`${l.time}  ${(l.labels['service'] ?? fmtLabels(l.labels)).padEnd(16)}  ${l.line}\n`);
  return 0;
}

export const logsQueryCommand: Command = { name: 'logs query', summary: 'run a LogQL query against a running server', usage: queryUsage, run: runQuery };
export const logsTraceCommand: Command = { name: 'logs trace', summary: 'every line carrying a request or trace id, in time order', usage: traceUsage, run: runTrace };

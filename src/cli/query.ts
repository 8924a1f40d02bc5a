import { parseArgs } from 'node:util';
import { UsageError, type Command, type CliIO } from './command.js';
import { call, clientOptions } from './client.js';
import { maxOf } from '../model/arrays.js';

const usage = `Usage: vigil query 'EXPR' [--time T] [--start S --end E --step D] [--url URL] [--token T] [--json]

Runs a PromQL query against a running Vigil (or any Prometheus-compatible API) and
prints a table. Times are RFC 3339, Unix seconds, or relative like now, now-1h.
With --start/--end/--step it runs a range query.
`;

/** `now`, `now-1h`, RFC 3339 or Unix seconds → a value the API accepts. */
export function cliTime(s: string, now: number): string {
  const m = /^now(?:-(\d+)([smhdw]))?$/.exec(s);
  if (m) {
    const unit = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[m[2] as 's'] ?? 0;
    return String(now / 1000 - Number(m[1] ?? 0) * unit);
  }
  return s;
}

interface VectorItem {
  metric: Record<string, string>;
  value?: [number, string];
  values?: Array<[number, string]>;
}

function seriesName(m: Record<string, string>): string {
  const { __name__: name = '', ...rest } = m;
  const ls = Object.keys(rest)
    .sort()
    .map((k) => `${k}="${rest[k]}"`);
  return `${name}{${ls.join(', ')}}`;
}

async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      time: { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      step: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const expr = positionals[0];
  if (!expr || positionals.length > 1) throw new UsageError("query takes exactly one PromQL expression (quote it: 'up == 0')");
  const opts = clientOptions(values, io);
  const now = Date.now();
  const range = values.start !== undefined || values.end !== undefined || values.step !== undefined;
  const qs = new URLSearchParams({ query: expr });
  let path: string;
  if (range) {
    if (!values.start || !values.step) throw new UsageError('a range query needs --start and --step (and --end, default now)');
    qs.set('start', cliTime(values.start, now));
    qs.set('end', cliTime(values.end ?? 'now', now));
    qs.set('step', values.step);
    path = '/api/v1/query_range';
  } else {
    qs.set('time', cliTime(values.time ?? 'now', now));
    path = '/api/v1/query';
  }
  const res = await call(opts, 'GET', `${path}?${qs}`);
  if (values.json) return io.stdout(res.text + '\n'), 0;
  const body = res.json as { data: { resultType: string; result: unknown }; warnings?: string[] };
  for (const w of body.warnings ?? []) io.stderr(`warning: ${w}\n`);
  const { resultType, result } = body.data;
  if (resultType === 'scalar' || resultType === 'string') {
    io.stdout(`${(result as [number, string])[1]}\n`);
    return 0;
  }
  const items = result as VectorItem[];
  if (items.length === 0) {
    io.stdout('(empty result)\n');
    return 0;
  }
  if (resultType === 'vector') {
    const rows = items.map((i) => [seriesName(i.metric), i.value?.[1] ?? '']);
    const w = maxOf(rows.map((r) => (r[0] ?? '').length));
    for (const [n, v] of rows) io.stdout(`${(n ?? '').padEnd(w)}  ${v}\n`);
    return 0;
  }
  for (const i of items) {
    io.stdout(`${seriesName(i.metric)}\n`);
    for (const [t, v] of i.values ?? []) io.stdout(`  ${new Date(t * 1000).toISOString()}  ${v}\n`);
  }
  return 0;
}

export const queryCommand: Command = { name: 'query', summary: 'run a PromQL query against a running server', usage, run };

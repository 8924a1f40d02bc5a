import { parseArgs } from 'node:util';
import { UsageError, type Command, type CliIO } from './command.js';
import { call, clientOptions } from './client.js';

const usage = `Usage: vigil report <kind> [options]

Kinds:
  incident ID                 the incident report (summary, impact, root cause, resolution, lessons, action items)
  daily [--date YYYY-MM-DD]   the daily operations report (default: yesterday in reporting.time_zone)
  handoff                     the handoff document for the next on-call shift
  sla [--month YYYY-MM]       monthly SLA compliance (default: last month)

Options:
  --format markdown|html|json  (default markdown)
  --time-zone ZONE             report in this IANA time zone instead of reporting.time_zone
  --url URL                    Vigil's address (env VIGIL_URL, default http://127.0.0.1:9797)
  --token TOKEN                bearer token (env VIGIL_TOKEN)
`;

async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      format: { type: 'string', default: 'markdown' },
      date: { type: 'string' },
      month: { type: 'string' },
      'time-zone': { type: 'string' },
    },
  });
  const [kind, id, ...extra] = positionals;
  if (!['markdown', 'html', 'json'].includes(values.format ?? '')) throw new UsageError(`--format must be markdown, html or json, got "${values.format}"`);
  const q = new URLSearchParams({ format: values.format ?? 'markdown' });
  if (values['time-zone']) q.set('time_zone', values['time-zone']);
  let path: string;
  switch (kind) {
    case 'incident':
      if (!id || extra.length) throw new UsageError('report incident needs one incident id: vigil report incident INC-2026-0001');
      path = `/api/v1/incidents/${encodeURIComponent(id)}/report`;
      break;
    case 'daily':
      if (id) throw new UsageError('report daily takes --date YYYY-MM-DD, not a positional argument');
      if (values.date) q.set('date', values.date);
      path = '/api/v1/reports/daily';
      break;
    case 'handoff':
      if (id) throw new UsageError('report handoff takes no arguments');
      path = '/api/v1/reports/handoff';
      break;
    case 'sla':
      if (id) throw new UsageError('report sla takes --month YYYY-MM, not a positional argument');
      if (values.month) q.set('month', values.month);
      path = '/api/v1/reports/sla';
      break;
    default:
      throw new UsageError(kind ? `unknown report "${kind}" (incident, daily, handoff, sla)` : 'missing report kind (incident, daily, handoff, sla)');
  }
  io.stdout((await call(clientOptions(values, io), 'GET', `${path}?${q}`)).text);
  return 0;
}

export const reportCommand: Command = { name: 'report', summary: 'incident, daily operations, handoff and SLA reports from a running server', usage, run };

import { parseArgs } from 'node:util';
import { UsageError, type Command, type CliIO } from './command.js';
import { call, clientOptions } from './client.js';
import { maxOf } from '../model/arrays.js';
import type { IncidentDetailView, IncidentView } from '../api/index.js';

type IncidentJson = IncidentView & Partial<Pick<IncidentDetailView, 'alerts' | 'timeline'>>;

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => maxOf(rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] ?? 0))).join('  ')).join('\n') + '\n';
}

const SUBCOMMANDS = ['list', 'show', 'declare', 'ack', 'note', 'mitigate', 'resolve', 'reopen', 'assign', 'unassign', 'severity', 'postmortem'] as const;
const SEVERITIES = ['critical', 'high', 'medium', 'low'];

const usage = `Usage: vigil incidents <command> [options]

Commands:
  list [--status open|resolved|all]   incidents, newest first (default: open)
  show ID                             one incident with its alerts and timeline
  declare TITLE --severity S [--service NAME]... [--summary TEXT]
                                      declare an incident without an alert
  ack ID [--note TEXT]                acknowledge
  note ID TEXT                        add a note to the timeline
  mitigate ID [--note TEXT]           mark mitigated
  resolve ID [--note TEXT]            resolve
  reopen ID [--note TEXT]             reopen a resolved incident (the note is the reason)
  assign ID NAME                      assign to NAME
  unassign ID                         clear the assignee
  severity ID critical|high|medium|low  change the severity
  postmortem ID                       print the post-mortem as Markdown (the stored one, else the draft)

Options:
  --url URL       Vigil's address (env VIGIL_URL, default http://127.0.0.1:9797)
  --token TOKEN   bearer token (env VIGIL_TOKEN)
  --json          print the API's JSON instead of a table
`;

async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      status: { type: 'string', default: 'open' },
      note: { type: 'string' },
      severity: { type: 'string' },
      service: { type: 'string', multiple: true },
      summary: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const [sub, id, ...rest] = positionals;
  if (!sub || !(SUBCOMMANDS as readonly string[]).includes(sub)) throw new UsageError(sub ? `unknown incidents command "${sub}"` : 'missing incidents command');
  const opts = clientOptions(values, io);
  if (sub === 'list') {
    if (!['open', 'resolved', 'all'].includes(values.status ?? '')) throw new UsageError('--status must be open, resolved or all');
    const { json, text } = await call(opts, 'GET', `/api/v1/incidents?status=${values.status}`);
    if (values.json) return io.stdout(text + '\n'), 0;
    const list = (json as { incidents: IncidentJson[] }).incidents;
    if (list.length === 0) return io.stdout(`no ${values.status === 'all' ? '' : `${values.status} `}incidents\n`), 0;
    io.stdout(table([['ID', 'SEVERITY', 'STATUS', 'OPENED', 'SERVICES', 'TITLE'], ...list.map((i) => [i.id, i.severity, i.status, i.opened_at, i.services.join(',') || '-', i.title])]));
    return 0;
  }
  if (sub === 'declare') {
    const title = [id, ...rest].filter(Boolean).join(' ').trim();
    if (!title) throw new UsageError('incidents declare needs a title: vigil incidents declare "Checkout fails" --severity high --service shop-api');
    if (!values.severity || !SEVERITIES.includes(values.severity)) throw new UsageError(`incidents declare needs --severity ${SEVERITIES.join('|')}`);
    const r = await call(opts, 'POST', '/api/v1/incidents', { title, severity: values.severity, services: values.service ?? [], ...(values.summary ? { summary: values.summary } : {}) });
    if (values.json) return io.stdout(r.text + '\n'), 0;
    io.stdout(describe(r.json as IncidentJson));
    return 0;
  }
  if (!id) throw new UsageError(`incidents ${sub} needs an incident id (e.g. INC-2026-0001)`);
  const path = `/api/v1/incidents/${encodeURIComponent(id)}`;
  const noteBody = values.note ? { note: values.note } : {};
  let result: { json: unknown; text: string };
  switch (sub) {
    case 'show':
      result = await call(opts, 'GET', path);
      break;
    case 'postmortem':
      io.stdout((await call(opts, 'GET', `${path}/postmortem?format=markdown`)).text);
      return 0;
    case 'ack':
      result = await call(opts, 'POST', `${path}/acknowledge`, noteBody);
      break;
    case 'mitigate':
      result = await call(opts, 'POST', `${path}/mitigate`, noteBody);
      break;
    case 'resolve':
      result = await call(opts, 'POST', `${path}/resolve`, noteBody);
      break;
    case 'reopen':
      result = await call(opts, 'POST', `${path}/reopen`, values.note ? { reason: values.note } : {});
      break;
    case 'assign': {
      const assignee = rest.join(' ').trim();
      if (!assignee) throw new UsageError('incidents assign needs who to assign it to: vigil incidents assign ID NAME (or: vigil incidents unassign ID)');
      result = await call(opts, 'POST', `${path}/assign`, { assignee });
      break;
    }
    case 'unassign':
      result = await call(opts, 'POST', `${path}/assign`, { assignee: null });
      break;
    case 'severity': {
      const severity = rest[0];
      if (!severity || rest.length > 1 || !SEVERITIES.includes(severity)) {
        throw new UsageError(`incidents severity needs one of ${SEVERITIES.join(', ')}${severity ? `, got ${JSON.stringify(rest.join(' '))}` : ''}`);
      }
      result = await call(opts, 'POST', `${path}/severity`, { severity });
      break;
    }
    case 'note': {
      const text = rest.join(' ') || values.note;
      if (!text) throw new UsageError('incidents note needs the note text');
      await call(opts, 'POST', `${path}/notes`, { text });
      result = await call(opts, 'GET', path);
      break;
    }
    default:
      throw new UsageError(`unknown incidents command "${sub}"`);
  }
  if (values.json) return io.stdout(result.text + '\n'), 0;
  io.stdout(describe(result.json as IncidentJson));
  return 0;
}

function describe(i: IncidentJson): string {
  const lines = [
    `${i.id}  ${i.title}`,
    `  status:    ${i.status}${i.acknowledged_by ? ` (acknowledged by ${i.acknowledged_by})` : ''}`,
    `  severity:  ${i.severity}`,
    `  services:  ${i.services.join(', ') || '-'}`,
    `  assignee:  ${i.assignee ?? '-'}`,
    `  opened:    ${i.opened_at}`,
    `  resolved:  ${i.resolved_at ?? '-'}`,
  ];
  if (i.sla) lines.push(`  targets:   acknowledge ${i.sla.time_to_acknowledge.state}, resolve ${i.sla.time_to_resolve.state}`);
  if (i.alerts?.length) {
    lines.push('  alerts:');
    for (const a of i.alerts) lines.push(`    ${a.status.padEnd(8)} ${a.labels['alertname'] ?? ''} ${a.labels['service'] ? `(${a.labels['service']})` : ''}`);
  }
  if (i.timeline?.length) {
    lines.push('  timeline:');
    for (const e of i.timeline) lines.push(`    ${e.at}  ${e.message}${e.kind === 'note' ? ` — ${e.actor}` : ''}`);
  }
  return lines.join('\n') + '\n';
}

export const incidentsCommand: Command = { name: 'incidents', summary: 'list, inspect and act on incidents of a running server', usage, run };

import { parseArgs } from 'node:util';
import { UsageError, type Command, type CliIO } from './command.js';
import { call, clientOptions } from './client.js';
import { maxOf } from '../model/arrays.js';
import type { ActionItemView, ActionItemsResponse } from '../api/index.js';

const usage = `Usage: vigil actions <command> [options]

Commands:
  list [--status S] [--owner NAME] [--incident ID] [--overdue]
                       action items across incidents, soonest due first
                       (default --status pending: open and in progress; or open, in_progress, done, all)
  add INCIDENT TITLE [--owner NAME] [--due YYYY-MM-DD] [--kind immediate|preventive]
                       add an action item to an incident (default kind: preventive)
  start ID             mark an action item in progress
  done ID              mark an action item done
  reopen ID            mark an action item open again

Options:
  --url URL       Vigil's address (env VIGIL_URL, default http://127.0.0.1:9797)
  --token TOKEN   bearer token (env VIGIL_TOKEN)
  --json          print the API's JSON instead of a table
`;

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => maxOf(rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] ?? 0))).join('  ')).join('\n') + '\n';
}

const line = (i: ActionItemView): string =>
  `#${i.id} ${i.title} (${i.incident_id}, ${i.kind}): ${i.status.replace('_', ' ')}${i.owner ? `, owner ${i.owner}` : ''}${i.due ? `, due ${i.due}` : ''}${i.overdue ? ' — OVERDUE' : ''}\n`;

async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      status: { type: 'string', default: 'pending' },
      owner: { type: 'string' },
      incident: { type: 'string' },
      overdue: { type: 'boolean', default: false },
      due: { type: 'string' },
      kind: { type: 'string', default: 'preventive' },
      json: { type: 'boolean', default: false },
    },
  });
  const [sub, ...rest] = positionals;
  const opts = clientOptions(values, io);
  switch (sub) {
    case 'list': {
      const q = new URLSearchParams();
      if (values.status !== 'all') q.set('status', values.status ?? 'pending');
      if (values.owner) q.set('owner', values.owner);
      if (values.incident) q.set('incident', values.incident);
      if (values.overdue) q.set('overdue', 'true');
      const r = await call(opts, 'GET', `/api/v1/action-items${q.size ? `?${q}` : ''}`);
      if (values.json) return io.stdout(r.text + '\n'), 0;
      const items = (r.json as ActionItemsResponse).action_items;
      if (items.length === 0) return io.stdout('no action items\n'), 0;
      io.stdout(
        table([
          ['ID', 'INCIDENT', 'KIND', 'STATUS', 'OWNER', 'DUE', 'TITLE'],
          ...items.map((i) => [String(i.id), i.incident_id, i.kind, i.status, i.owner ?? '-', i.due ? `${i.due}${i.overdue ? ' OVERDUE' : ''}` : '-', i.title]),
        ]),
      );
      return 0;
    }
    case 'add': {
      const [incident, ...words] = rest;
      const title = words.join(' ').trim();
      if (!incident || !title) throw new UsageError('actions add needs an incident and a title: vigil actions add INC-2026-0001 "Alert on certificate expiry" --owner alice --due 2026-12-15');
      if (values.kind !== 'immediate' && values.kind !== 'preventive') throw new UsageError(`--kind must be immediate or preventive, got "${values.kind}"`);
      const body = { title, kind: values.kind, ...(values.owner ? { owner: values.owner } : {}), ...(values.due ? { due: values.due } : {}) };
      const r = await call(opts, 'POST', `/api/v1/incidents/${encodeURIComponent(incident)}/action-items`, body);
      io.stdout(values.json ? r.text + '\n' : `added ${line(r.json as ActionItemView)}`);
      return 0;
    }
    case 'start':
    case 'done':
    case 'reopen': {
      const id = rest[0];
      if (!id || !/^\d+$/.test(id) || rest.length > 1) throw new UsageError(`actions ${sub} needs one action item id (a number, as \`vigil actions list\` shows)`);
      const status = sub === 'start' ? 'in_progress' : sub === 'done' ? 'done' : 'open';
      const r = await call(opts, 'PATCH', `/api/v1/action-items/${id}`, { status });
      io.stdout(values.json ? r.text + '\n' : line(r.json as ActionItemView));
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown actions command "${sub}"` : 'missing actions command');
  }
}

export const actionsCommand: Command = { name: 'actions', summary: 'list, add and complete post-incident action items', usage, run };

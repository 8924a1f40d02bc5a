import { parseArgs } from 'node:util';
import { UsageError, type Command, type CliIO } from './command.js';
import { call, clientOptions } from './client.js';
import { maxOf } from '../model/arrays.js';

const usage = `Usage: vigil oncall [command] [options]

Commands:
  (none) [--at T]                              who is on call for every schedule (now, or at T)
  shifts SCHEDULE [--from T] [--to T]          the final shifts of a schedule (default: the next 7 days)
  override SCHEDULE PERSON --from T --to T     put PERSON on call for SCHEDULE in [T, T)
  overrides SCHEDULE                           list a schedule's overrides
  override-rm SCHEDULE ID                      remove an override added through the API

Times are RFC 3339 (2026-12-24T09:00:00Z, 2026-12-24T10:00:00+01:00) or a local time
without offset (2026-12-24T09:00), read in the schedule's zone.

Options:
  --url URL       Vigil's address (env VIGIL_URL, default http://127.0.0.1:9797)
  --token TOKEN   bearer token (env VIGIL_TOKEN)
  --json          print the API's JSON
`;

interface ShiftJson {
  start: string;
  end: string;
  person: string;
  layer: string;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => maxOf(rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] ?? 0))).join('  ')).join('\n') + '\n';
}

const q = (params: Record<string, string | undefined>): string => {
  const s = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  return s ? `?${s}` : '';
};

async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { url: { type: 'string' }, token: { type: 'string' }, at: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const opts = clientOptions(values, io);
  const [sub, a, b] = positionals;
  const out = (text: string, human: () => string): number => {
    io.stdout(values.json ? `${text}\n` : human());
    return 0;
  };
  if (sub === undefined) {
    const { json, text } = await call(opts, 'GET', `/api/v1/oncall${q({ at: values.at })}`);
    const r = json as { at: string; oncall: Array<{ schedule: string; person: string | null; full_name: string | null; shift: ShiftJson | null }> };
    return out(text, () =>
      r.oncall.length === 0
        ? 'no schedules configured\n'
        : table([['SCHEDULE', 'ON CALL', 'UNTIL', 'LAYER'], ...r.oncall.map((o) => [o.schedule, o.person ? (o.full_name && o.full_name !== o.person ? `${o.person} (${o.full_name})` : o.person) : '-', o.shift?.end ?? '-', o.shift?.layer ?? '-'])]),
    );
  }
  const schedule = a;
  if (!schedule) throw new UsageError(`oncall ${sub} needs a SCHEDULE`);
  const path = `/api/v1/schedules/${encodeURIComponent(schedule)}`;
  switch (sub) {
    case 'shifts': {
      const { json, text } = await call(opts, 'GET', `${path}/shifts${q({ from: values.from, to: values.to })}`);
      const r = json as { shifts: ShiftJson[]; time_zone: string };
      return out(text, () => (r.shifts.length ? table([['START', 'END', 'PERSON', 'LAYER'], ...r.shifts.map((s) => [s.start, s.end, s.person, s.layer])]) : 'nobody is on call in that range\n'));
    }
    case 'override': {
      if (!b) throw new UsageError('oncall override needs SCHEDULE and PERSON');
      if (!values.from || !values.to) throw new UsageError('oncall override needs --from and --to');
      const { json, text } = await call(opts, 'POST', `${path}/overrides`, { person: b, start: values.from, end: values.to });
      const r = json as { id: string; person: string; start: string; end: string };
      return out(text, () => `override ${r.id}: ${r.person} is on call for ${schedule} from ${r.start} to ${r.end}\n`);
    }
    case 'overrides': {
      const { json, text } = await call(opts, 'GET', `${path}/overrides`);
      const r = json as { overrides: Array<{ id: string | null; person: string; start: string; end: string; source: string }> };
      return out(text, () => (r.overrides.length ? table([['ID', 'PERSON', 'START', 'END', 'SOURCE'], ...r.overrides.map((o) => [o.id ?? '-', o.person, o.start, o.end, o.source])]) : 'no overrides\n'));
    }
    case 'override-rm': {
      if (!b) throw new UsageError('oncall override-rm needs SCHEDULE and the override ID');
      await call(opts, 'DELETE', `${path}/overrides/${encodeURIComponent(b)}`);
      io.stdout(`removed override ${b} from ${schedule}\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown oncall command "${sub}"`);
  }
}

export const oncallCommand: Command = { name: 'oncall', summary: 'who is on call, schedule shifts and overrides of a running server', usage, run };

import { parseArgs } from 'node:util';
import { UsageError, type Command, type CliIO } from './command.js';
import { call, clientOptions } from './client.js';
import { maxOf } from '../model/arrays.js';
import type { SloView } from '../api/index.js';

const usage = `Usage: vigil slo <command> [options]

Commands:
  list          every SLO: objective, window, SLI, error budget left, status
  show NAME     one SLO: SLI, error budget, burn rates, incidents that consumed budget

Options:
  --url URL       Vigil's address (env VIGIL_URL, default http://127.0.0.1:9797)
  --token TOKEN   bearer token (env VIGIL_TOKEN)
  --json          print the API's JSON instead of text
`;

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => maxOf(rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] ?? 0))).join('  ')).join('\n') + '\n';
}

/** A fraction as a percentage with enough digits to tell 99.9% from 99.95% (0.99932 → 99.932%). */
export function percent(x: number | null, digits = 3): string {
  if (x === null) return '-';
  return `${Number((x * 100).toFixed(digits))}%`;
}

/** Minutes as an operator reads them: 43m, 3h 12m, 2d 4h; negative when overspent. */
export function minutes(m: number | null): string {
  if (m === null) return '-';
  const sign = m < 0 ? '-' : '';
  let rest = Math.round(Math.abs(m));
  if (rest < 60) return `${sign}${rest}m`;
  const d = Math.floor(rest / 1440);
  rest -= d * 1440;
  const h = Math.floor(rest / 60);
  const min = rest - h * 60;
  return sign + [d ? `${d}d` : '', h ? `${h}h` : '', min && !d ? `${min}m` : ''].filter(Boolean).join(' ');
}

const rate = (x: number | null) => (x === null ? '-' : `${Number(x.toFixed(2))}x`);

function show(s: SloView): string {
  const b = s.error_budget;
  const out = [
    `${s.name}  (${s.status.replace('_', ' ')})`,
    `  service:       ${s.service}`,
    ...(s.description ? [`  description:   ${s.description}`] : []),
    `  objective:     ${s.objective}% over ${s.window}${s.exclude_maintenance ? ', maintenance excluded' : ''}`,
    `  period:        ${s.period.start} to ${s.period.end}`,
    `  SLI:           ${percent(s.sli)}`,
    `  error budget:  ${percent(b.total)} of events; consumed ${percent(b.consumed, 1)}, remaining ${percent(b.remaining, 1)} (${minutes(b.remaining_minutes)} of full outage)`,
    `  burn rates:    ${Object.entries(s.burn_rates).map(([w, v]) => `${w} ${rate(v)}`).join('  ')}`,
  ];
  if (s.incidents.length > 0) {
    out.push('  incidents that consumed budget:');
    for (const i of s.incidents) out.push(`    ${i.id}  ${percent(i.budget_consumed, 1)} of the budget  ${i.start} to ${i.end ?? 'now'}  ${i.severity}  ${i.title}`);
  } else out.push('  incidents that consumed budget: none');
  for (const p of s.problems) out.push(`  problem: ${p}`);
  out.push(`  evaluated at:  ${s.evaluated_at}`);
  return out.join('\n') + '\n';
}

async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { url: { type: 'string' }, token: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const [sub, ...rest] = positionals;
  const opts = clientOptions(values, io);
  switch (sub) {
    case 'list': {
      if (rest.length > 0) throw new UsageError('slo list takes no arguments');
      const r = await call(opts, 'GET', '/api/v1/slos');
      if (values.json) return io.stdout(r.text + '\n'), 0;
      const slos = (r.json as { slos: SloView[] }).slos;
      if (slos.length === 0) return io.stdout('no SLOs (declare them under slos: or slo_files: in vigil.yml)\n'), 0;
      io.stdout(
        table([
          ['NAME', 'SERVICE', 'OBJECTIVE', 'WINDOW', 'SLI', 'BUDGET LEFT', 'BURN 1H', 'STATUS'],
          ...slos.map((s) => [s.name, s.service, `${s.objective}%`, s.window, percent(s.sli), s.error_budget.remaining === null ? '-' : `${percent(s.error_budget.remaining, 1)} (${minutes(s.error_budget.remaining_minutes)})`, rate(s.burn_rates['1h'] ?? null), s.status]),
        ]),
      );
      return 0;
    }
    case 'show': {
      const name = rest[0];
      if (!name || rest.length > 1) throw new UsageError('slo show needs one SLO name, as `vigil slo list` shows it');
      const r = await call(opts, 'GET', `/api/v1/slos/${encodeURIComponent(name)}`);
      io.stdout(values.json ? r.text + '\n' : show(r.json as SloView));
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown slo command "${sub}"` : 'missing slo command');
  }
}

export const sloCommand: Command = { name: 'slo', summary: 'SLOs: SLI, error budget, burn rates and status', usage, run };

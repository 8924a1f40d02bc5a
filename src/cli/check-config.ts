import { parseArgs } from 'node:util';
import { dirname, resolve } from 'node:path';
import { VERSION, loadConfigFile, loadRuleFiles, loadSloSpecs } from '../config/index.js';
import { formatExpr, parseExpr, rateOfCounters } from '../promql/index.js';
import { compileSlos } from '../slo/index.js';
import { resolveTokenSecrets, tokenConfigSchema, type TokenConfig } from '../auth/index.js';
import { UsageError, type Command, type CliIO } from './command.js';
import { pushAll } from '../model/arrays.js';
import { readFileSync } from 'node:fs';
import { secretWarnings } from '../notify/index.js';

const usage = `Usage: vigil check-config FILE [--ignore-env]

Validates a vigil.yml as \`vigil server\` would: prints every problem with its path
and exits 1, or prints a summary of what the file configures and exits 0.

Options:
  --ignore-env   do not check that the token secrets' environment variables are set,
                 nor warn about notifier secrets (_env, _file) that cannot be read here
                 (when validating a file for another machine, e.g. in CI)
`;

/** The well-formed entries of `server.tokens` in a file with problems elsewhere. */
function validTokens(raw: unknown): TokenConfig[] {
  const server = (raw as { server?: { tokens?: unknown } } | undefined)?.server;
  const list = Array.isArray(server?.tokens) ? (server.tokens as unknown[]) : [];
  return list.flatMap((t) => {
    const r = tokenConfigSchema.safeParse(t);
    return r.success ? [r.data] : [];
  });
}

async function run(argv: string[], io: CliIO): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { 'ignore-env': { type: 'boolean', default: false } } });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('check-config takes exactly one FILE');
  const r = loadConfigFile(file);
  const errors = r.ok ? [] : [...r.errors];
  // Rule files are part of the configuration: the server refuses to start with a bad one.
  const rules = r.ok ? loadRuleFiles(r.config.rule_files, dirname(resolve(file)), { parseExpr: (t) => formatExpr(parseExpr(t)) }) : undefined;
  if (rules) pushAll(errors, rules.errors);
  // So are SLOs (vigil.yml's and the OpenSLO files'): their queries are compiled as the server does.
  const sloLoad = r.ok ? loadSloSpecs(r.config, dirname(resolve(file)), { rateOfCounters }) : undefined;
  const slos = sloLoad && sloLoad.errors.length === 0 ? compileSlos(sloLoad.specs, parseExpr, { version: VERSION }) : undefined;
  pushAll(errors, sloLoad?.errors ?? []);
  pushAll(errors, slos?.errors ?? []);
  if (!values['ignore-env']) {
    const secrets = resolveTokenSecrets(r.ok ? r.config.server.tokens : validTokens(r.raw), io.env);
    if (!secrets.ok) pushAll(errors, secrets.errors);
  }
  if (!r.ok || errors.length) {
    io.stderr(`${file}: ${errors.length} problem${errors.length === 1 ? '' : 's'}\n`);
    for (const e of errors) io.stderr(`  ${e}\n`);
    return 1;
  }
  const c = r.config;
  const types = new Map<string, number>();
  for (const ch of c.checks) types.set(ch.type, (types.get(ch.type) ?? 0) + 1);
  const countRoutes = (r: { routes?: readonly unknown[] | undefined }): number =>
    1 + (r.routes ?? []).reduce<number>((n, x) => n + countRoutes(x as { routes?: readonly unknown[] }), 0);
  io.stdout(`${file}: OK\n`);
  io.stdout(`  services:  ${c.services.length}\n`);
  io.stdout(`  checks:    ${c.checks.length}${types.size ? ` (${[...types].map(([t, n]) => `${n} ${t}`).join(', ')})` : ''}\n`);
  io.stdout(`  receivers: ${c.receivers.length} (${c.receivers.map((x) => x.name).join(', ')})\n`);
  io.stdout(`  routes:    ${countRoutes(c.route)}\n`);
  if (c.people.length || c.schedules.length) io.stdout(`  on-call:   ${c.people.length} people, ${c.teams.length} teams, ${c.schedules.length} schedules, ${c.escalation_policies.length} escalation policies\n`);
  io.stdout(`  incidents: opened for ${c.incidents.open_for_severities.join(', ')}; when all alerts resolve: ${c.incidents.on_alerts_resolved}\n`);
  if (rules && rules.files.length) {
    const n = rules.groups.reduce((k, g) => k + g.rules.length, 0);
    const alerting = rules.groups.reduce((k, g) => k + g.rules.filter((x) => x.alert).length, 0);
    io.stdout(`  rules:     ${rules.files.length} file${rules.files.length === 1 ? '' : 's'}, ${rules.groups.length} group${rules.groups.length === 1 ? '' : 's'}, ${n} rules (${n - alerting} recording, ${alerting} alerting)\n`);
  }
  if (slos && slos.slos.length) {
    const groups = slos.slos.reduce((k, s) => k + s.groups.length, 0);
    io.stdout(`  slos:      ${slos.slos.length} (${sloLoad?.files.length ?? 0} OpenSLO file${sloLoad?.files.length === 1 ? '' : 's'}), ${groups} generated rule groups\n`);
  }
  for (const w of rules?.warnings ?? []) io.stderr(`  warning: ${w}\n`);
  for (const w of sloLoad?.warnings ?? []) io.stderr(`  warning: ${w}\n`);
  // Notifier secrets from files and variables are read at each delivery: unreadable now is a warning.
  if (!values['ignore-env']) {
    for (const w of secretWarnings(c.receivers, c.global, { env: io.env, readFile: (p) => readFileSync(p, 'utf8') })) io.stderr(`  warning: ${w} (notifications that need it will fail until it can be read)\n`);
  }
  io.stdout(`  server:    ${c.server.listen}, ${c.server.tokens.length} token${c.server.tokens.length === 1 ? '' : 's'}\n`);
  return 0;
}

export const checkConfigCommand: Command = { name: 'check-config', summary: 'validate a configuration file', usage, run };

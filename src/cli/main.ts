import { UsageError, type Command, type CliIO } from './command.js';
import { oncallCommand } from './oncall.js';
import { initCommand } from './init.js';
import { checkConfigCommand } from './check-config.js';
import { incidentsCommand } from './incidents.js';
import { actionsCommand } from './actions.js';
import { reportCommand } from './report.js';
import { sloCommand } from './slo.js';
import { queryCommand } from './query.js';
import { logsQueryCommand, logsTraceCommand } from './logs.js';
import { logsPatternsCommand } from './logs-patterns.js';
import { rulesCheckCommand, rulesTestCommand } from './rules.js';
import { VERSION } from '../config/index.js';
import { maxOf } from '../model/arrays.js';

/**
 * The client commands, one line each. Multi-word commands (`logs patterns`) are matched on
 * their words. The commands that run Vigil itself (server, demo) build the app, so the
 * composition root adds them (app/main.ts); cli/ never imports app/.
 */
export const CLIENT_COMMANDS: readonly Command[] = [checkConfigCommand, incidentsCommand, actionsCommand, reportCommand, sloCommand, queryCommand, logsQueryCommand, logsTraceCommand, logsPatternsCommand, rulesCheckCommand, rulesTestCommand, oncallCommand, initCommand];

function help(COMMANDS: readonly Command[]): string {
  const width = maxOf(COMMANDS.map((c) => c.name.length));
  return [
    `Vigil ${VERSION}: checks, alerts, incidents, metrics and logs in one process.`,
    '',
    'Usage: vigil <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `vigil <command> --help` for a command\'s options.',
    '',
  ].join('\n');
}

export const defaultIO: CliIO = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  env: process.env,
};

export async function runCli(argv: string[], io: CliIO = defaultIO, COMMANDS: readonly Command[] = CLIENT_COMMANDS): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(help(COMMANDS));
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version' || argv[0] === 'version') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const cmd = [...COMMANDS]
    .sort((a, b) => b.name.split(' ').length - a.name.split(' ').length)
    .find((c) => c.name.split(' ').every((w, i) => argv[i] === w));
  if (!cmd) {
    io.stderr(`vigil: unknown command "${argv[0]}"\n\n${help(COMMANDS)}`);
    return 2;
  }
  const rest = argv.slice(cmd.name.split(' ').length);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(cmd.usage);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    const err = e as Error & { code?: string };
    if (e instanceof UsageError || err.code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`vigil ${cmd.name}: ${err.message}\n\n${cmd.usage}`);
      return 2;
    }
    if (err.name === 'ClientError') {
      io.stderr(`vigil ${cmd.name}: ${err.message}\n`);
      return 1;
    }
    throw e;
  }
}

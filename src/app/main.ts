import { runCli, runProcess, CLIENT_COMMANDS, defaultIO, type CliIO } from '../cli/index.js';
import { demoCommand } from './demo-command.js';
import { serverCommand } from './server-command.js';

/** `vigil …`: the client commands plus those that run Vigil (they build the app). */
export function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  return runCli(argv, io, [serverCommand, demoCommand, ...CLIENT_COMMANDS]);
}

/** What `vigil` runs: the command line of this process, its exit code set when done. */
export function runFromProcess(argv: readonly string[] = process.argv.slice(2)): void {
  runProcess(main, argv);
}

export { runCli, CLIENT_COMMANDS, defaultIO } from './main.js';
export { UsageError } from './command.js';
export type { Command, CommandFn, CliIO } from './command.js';
export { runProcess, exitQuietlyOnClosedPipe } from './entry.js';
export { listenErrorMessage, portProblem, splitHostPort } from './port.js';

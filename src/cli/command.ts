/** What a CLI command gets: its own arguments (after the command words) and where to write. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A command returns its exit code. Long-running commands (server, demo) resolve when they stop. */
export type CommandFn = (argv: string[], io: CliIO) => Promise<number>;

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly run: CommandFn;
}

/** A usage problem: printed with the command's usage and exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

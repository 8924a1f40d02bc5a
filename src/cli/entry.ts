
/**
 * A closed output pipe (`vigil logs query … | head -1`) ends the command quietly with
 * status 0, as a reader that has seen enough is not an error. Any other stream error is.
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream, exit: (code: number) => void = (c) => process.exit(c)): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') {
      exit(0);
      return;
    }
    throw err;
  });
}

/** Runs `main` on the command line of this process, its exit code set when done. */
export function runProcess(main: (argv: string[]) => Promise<number>, argv: readonly string[] = process.argv.slice(2)): void {
  exitQuietlyOnClosedPipe(process.stdout);
  exitQuietlyOnClosedPipe(process.stderr);
  main([...argv]).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`vigil: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

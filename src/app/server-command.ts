import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { loadConfigFile } from '../config/index.js';
import { VigilApp, StartupError } from './app.js';
import { UsageError, listenErrorMessage, type Command, type CliIO } from '../cli/index.js';
import { systemClock } from '../model/clock.js';
import { collectWhenIdle } from '../model/idle-collector.js';

const usage = `Usage: vigil server --config FILE [--data-dir DIR] [--listen HOST:PORT]

Runs Vigil: checks, alert pipeline, incidents and the HTTP API.

Options:
  --config FILE        vigil.yml (see docs/configuration.md)
  --data-dir DIR       where the embedded database lives (default: server.data_dir, else ./vigil-data)
  --listen HOST:PORT   overrides server.listen (default 127.0.0.1:9797)

SIGTERM or SIGINT drains in-flight work and exits; a second signal exits at once.
SIGHUP reloads vigil.yml and the rule files (as POST /-/reload does).
`;

/** Runs until SIGTERM/SIGINT; resolves with the exit code. */
export async function runUntilSignal(app: VigilApp, io: CliIO): Promise<number> {
  await app.start();
  // Memory back to the system when the server goes quiet (see IdleCollector); real time,
  // whatever clock the app runs on.
  const collector = collectWhenIdle(systemClock);
  return new Promise<number>((done) => {
    let stopping = false;
    const onSignal = (sig: NodeJS.Signals) => {
      if (stopping) {
        io.stderr(`vigil: ${sig} again, exiting now\n`);
        process.exit(130);
      }
      stopping = true;
      collector?.stop();
      app.logger.info({ signal: sig }, 'shutting down');
      app.stop().then(
        () => {
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
          process.off('SIGHUP', onHup);
          done(0);
        },
        (err: unknown) => {
          io.stderr(`vigil: shutdown failed: ${err instanceof Error ? err.message : String(err)}\n`);
          done(1);
        },
      );
    };
    const onHup = () => {
      app.logger.info('SIGHUP: reloading the configuration');
      void app.reload();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    process.on('SIGHUP', onHup);
  });
}

async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { config: { type: 'string', short: 'c' }, 'data-dir': { type: 'string' }, listen: { type: 'string' } },
  });
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
  if (!values.config) throw new UsageError('--config FILE is required');
  const r = loadConfigFile(values.config);
  if (!r.ok) {
    io.stderr(`${values.config}: ${r.errors.length} problem${r.errors.length === 1 ? '' : 's'}\n`);
    for (const e of r.errors) io.stderr(`  ${e}\n`);
    return 1;
  }
  const dataDir = resolve(values['data-dir'] ?? r.config.server.data_dir ?? 'vigil-data');
  let app: VigilApp;
  try {
    app = await VigilApp.create({ config: r.config, configPath: values.config, dataDir, env: io.env, ...(values.listen ? { listen: values.listen } : {}) });
  } catch (e) {
    if (e instanceof StartupError) {
      io.stderr(`vigil: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  try {
    return await runUntilSignal(app, io);
  } catch (e) {
    const msg = listenErrorMessage(e, values.listen ?? r.config.server.listen);
    if (!msg) throw e;
    io.stderr(`vigil: ${msg}\n`);
    await app.stop();
    return 1;
  }
}

export const serverCommand: Command = { name: 'server', summary: 'run the Vigil server', usage, run };

import { parseArgs } from 'node:util';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { validateConfig } from '../config/index.js';
import { VigilApp } from './app.js';
import { createLogger } from './logger.js';
import { systemClock } from '../model/clock.js';
import { DEFAULT_PLAN, startShopApi, demoConfig } from '../demo/index.js';
import { UsageError, listenErrorMessage, portProblem, type Command, type CliIO } from '../cli/index.js';
import { runUntilSignal } from './server-command.js';

const usage = `Usage: vigil demo [--listen HOST:PORT] [--data-dir DIR]

Starts Vigil with a bundled demo service, "shop-api", on loopback. shop-api
breaks 20 seconds after start for 40 seconds, then every 2 minutes. Watch the
check fail, the alert fire, the notification go out (printed here by a log
receiver), an incident open, and both resolve when shop-api recovers.

Options:
  --listen HOST:PORT   where Vigil listens (default 127.0.0.1:9797)
  --data-dir DIR       database directory (default: a fresh temporary directory)
`;

const clockTime = (t: number) => new Date(t).toISOString().slice(11, 19);

async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { listen: { type: 'string' }, 'data-dir': { type: 'string' } } });
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
  const listen = values.listen ?? '127.0.0.1:9797';
  const busy = await portProblem(listen);
  if (busy) {
    io.stderr(`vigil demo: ${busy}\n`);
    return 1;
  }
  const ownDir = !values['data-dir'];
  const dataDir = values['data-dir'] ? resolve(values['data-dir']) : mkdtempSync(join(tmpdir(), 'vigil-demo-'));
  // A data directory the demo made for itself goes when the demo does, however it stops.
  const removeDir = () => {
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  };
  if (ownDir) process.once('exit', removeDir);
  const clock = systemClock;
  mkdirSync(dataDir, { recursive: true });
  const logFile = join(dataDir, 'shop-api.log');
  const svc = await startShopApi(clock, DEFAULT_PLAN, 0, logFile);
  const parsed = validateConfig(demoConfig(svc, listen, logFile));
  if (!parsed.ok) throw new Error(`demo config invalid: ${parsed.errors.join('; ')}`);
  const say = (line: string) => io.stdout(`${clockTime(clock.now())}  ${line}\n`);
  const seen = new Map<string, string>();
  const app = await VigilApp.create({
    config: parsed.config,
    dataDir,
    clock,
    env: io.env,
    logger: createLogger('warn', process.stderr),
    logLine: (line) => say(`NOTIFY   ${line}`),
    onIncident: (i) => {
      const key = `${i.status}/${i.severity}/${i.services.join(',')}`;
      if (seen.get(i.id) === key) return;
      seen.set(i.id, key);
      say(`INCIDENT ${i.id} ${i.status.toUpperCase()} [${i.severity}] ${i.title} (services: ${i.services.join(', ')})`);
    },
  });
  const addr = `http://${listen}`;
  io.stdout(
    [
      'Vigil demo',
      `  web UI:         ${addr}/   (open it in a browser; no sign-in on loopback)`,
      `  API:            ${addr}/api/v1/incidents   ${addr}/api/v1/checks   ${addr}/metrics`,
      `  shop-api:       ${svc.httpUrl} (breaks at ${clockTime(svc.startedAt + DEFAULT_PLAN.firstBreakAfter)} for ${DEFAULT_PLAN.outage / 1000}s, then every ${(DEFAULT_PLAN.outage + DEFAULT_PLAN.healthy) / 1000}s)`,
      `  data directory: ${dataDir}${ownDir ? ' (removed when the demo stops)' : ''}`,
      `  shop-api log:   ${logFile} (followed as service="shop-api"; its errors raise a log alert too)`,
      `  try:            npx vigil incidents list   |   npx vigil incidents ack INC-…   |   Ctrl-C to stop`,
      `                  npx vigil logs query '{service="shop-api"} |= "failed"'   |   npx vigil query 'probe_success'`,
      '',
    ].join('\n'),
  );
  // Narrate check state changes.
  const states = new Map<string, string>();
  const ticker = setInterval(() => {
    void app.checks.statuses().then((views) => {
      for (const v of views) {
        const label = `${v.state}${v.last && !v.last.success ? `: ${v.last.message}` : ''}`;
        if (states.get(v.check.name) !== v.state) say(`CHECK    ${v.check.name} ${label}`);
        states.set(v.check.name, v.state);
      }
    });
  }, 500);
  ticker.unref();
  try {
    return await runUntilSignal(app, io);
  } catch (e) {
    const msg = listenErrorMessage(e, listen);
    if (!msg) throw e;
    io.stderr(`vigil demo: ${msg}\n`);
    await app.stop();
    return 1;
  } finally {
    clearInterval(ticker);
    await svc.close();
    removeDir();
  }
}

export const demoCommand: Command = { name: 'demo', summary: 'run Vigil with a bundled demo service that breaks on a schedule', usage, run };

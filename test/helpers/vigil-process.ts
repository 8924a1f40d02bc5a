import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const entry = fileURLToPath(new URL('../../src/app/run.ts', import.meta.url));

/** Runs the real CLI from source in a child process. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** Waits for exit after SIGTERM (or kills with the given signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const distEntry = fileURLToPath(new URL('../../bin/vigil.js', import.meta.url));

/**
 * Starts `vigil server` and resolves once /readyz answers 200. From the TypeScript sources
 * (through tsx) by default; `fromDist` runs the compiled bin/vigil.js, as an installed Vigil
 * runs (benchmarks; needs `npm run build` first).
 */
export async function startServer(args: string[], port: number, env: Record<string, string> = {}, opts: { fromDist?: boolean; readyTimeoutMs?: number; nodeArgs?: readonly string[] } = {}): Promise<ServerProcess> {
  // nodeArgs: options for node itself (--cpu-prof, which NODE_OPTIONS does not take).
  const run = [...(opts.nodeArgs ?? []), ...(opts.fromDist ? [distEntry] : ['--import', 'tsx', entry])];
  const child = spawn(process.execPath, [...run, 'server', ...args, '--listen', `127.0.0.1:${port}`], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  // Generous by default: on a loaded machine compiling the sources alone can take half a minute.
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vigil server exited with ${child.exitCode}:\n${out}`);
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.status === 200) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`vigil server did not become ready:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    child,
    url,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

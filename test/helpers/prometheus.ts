import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';

/**
 * Runs a real Prometheus server for side-by-side tests and benchmarks. Everything it writes
 * stays in one temp dir: the TSDB (--storage.tsdb.path; the lock file and query log default
 * to off), the generated config, and the process's working directory. The agent path is
 * only used in agent mode (2.42 refuses the flag otherwise).
 * Console template/library dirs are only read. It never listens beyond 127.0.0.1.
 */

/** The Prometheus binary: $PROMETHEUS_BIN, else `prometheus` on PATH, else undefined. */
export function findPrometheus(): string | undefined {
  const env = process.env['PROMETHEUS_BIN'];
  if (env) return existsSync(env) ? env : undefined;
  for (const dir of (process.env['PATH'] ?? '/usr/bin').split(delimiter)) {
    const p = join(dir, 'prometheus');
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

/**
 * undefined when Prometheus is installed; otherwise the reason to skip. Under CI=true a
 * missing binary is a failure (CI installs it), so this throws instead.
 */
export function prometheusSkipReason(): string | undefined {
  if (findPrometheus()) return undefined;
  const msg = 'Prometheus binary not found (set PROMETHEUS_BIN or install the `prometheus` package, e.g. apt-get install prometheus)';
  if (process.env['CI'] === 'true') throw new Error(`${msg}; CI=true requires it`);
  return `${msg}: skipping the Prometheus side-by-side tests`;
}

/** `prometheus --version`'s first line, e.g. "prometheus, version 2.42.0+ds (...)". */
export function prometheusVersion(bin = findPrometheus()): string {
  if (!bin) return 'not installed';
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`.split('\n')[0]?.trim() ?? '';
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface PrometheusOptions {
  /**
   * prometheus.yml as an object (serialized to YAML), or a function of the server's own
   * address (for a self-scrape). Default: an empty config.
   */
  readonly config?: Record<string, unknown> | ((self: { address: string; url: string }) => Record<string, unknown>);
  readonly extraArgs?: readonly string[];
  /** Keep the temp dir after stop() (benchmarks measure it). */
  readonly keepDir?: boolean;
  readonly readyTimeoutMs?: number;
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** --storage.tsdb.retention.time (default 1d); longer for data spanning days, which a compaction would otherwise cut. */
  readonly retention?: string;
}

export interface PrometheusServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly dir: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, waits for exit (SIGKILL after timeoutMs), removes the temp dir unless keepDir. */
  stop(timeoutMs?: number): Promise<number | null>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function killAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of running) c.kill('SIGKILL');
  });
}

export async function startPrometheus(opts: PrometheusOptions = {}): Promise<PrometheusServer> {
  const bin = findPrometheus();
  if (!bin) throw new Error('startPrometheus: no prometheus binary (see prometheusSkipReason)');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-prometheus-'));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const configFile = join(dir, 'prometheus.yml');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const cfg = typeof opts.config === 'function' ? opts.config({ address: `127.0.0.1:${port}`, url }) : (opts.config ?? {});
  writeFileSync(configFile, stringify(cfg));
  const args = [
    `--config.file=${configFile}`,
    `--web.listen-address=127.0.0.1:${port}`,
    `--storage.tsdb.path=${dataDir}`,
    `--storage.tsdb.retention.time=${opts.retention ?? '1d'}`,
    '--web.enable-remote-write-receiver',
    `--log.level=${opts.logLevel ?? 'warn'}`,
    ...(opts.extraArgs ?? []),
  ];
  const child = spawn(bin, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env['PATH'] ?? '/usr/bin' } });
  running.add(child);
  killAllOnExit();
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) =>
    child.on('exit', (code) => {
      running.delete(child);
      r(code);
    }),
  );
  const cleanup = () => {
    if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) {
      cleanup();
      throw new Error(`prometheus exited with ${child.exitCode} before it was ready:\n${out}`);
    }
    try {
      const r = await fetch(`${url}/-/ready`);
      if (r.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      cleanup();
      throw new Error(`prometheus did not become ready within ${opts.readyTimeoutMs ?? 30_000}ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    dir,
    dataDir,
    child,
    pid: child.pid ?? -1,
    output: () => out,
    async stop(timeoutMs = 20_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        const code = await exited;
        clearTimeout(t);
        cleanup();
        return code;
      }
      cleanup();
      return child.exitCode;
    },
  };
}

/** GET a Prometheus API path and return `data`; throws with the error text otherwise. */
export async function promApi<T = unknown>(base: string, path: string, params: Record<string, string> = {}): Promise<T> {
  const r = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  const body = (await r.json()) as { status: string; data?: T; error?: string; errorType?: string };
  if (body.status !== 'success') throw new Error(`${base}${path} ${JSON.stringify(params)}: ${r.status} ${body.errorType}: ${body.error}`);
  return body.data as T;
}

/** POSTs a snappy-compressed WriteRequest; throws on a non-2xx answer. */
export async function remoteWrite(base: string, body: Uint8Array): Promise<void> {
  const r = await fetch(`${base}/api/v1/write`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' },
    body,
  });
  if (r.status < 200 || r.status >= 300) throw new Error(`${base}/api/v1/write: ${r.status} ${await r.text()}`);
}

// ---- Comparing query results from two servers: same resultType, label sets and timestamps; values
// within a relative tolerance (NaN equals NaN).

export interface QueryData {
  readonly resultType: 'vector' | 'matrix' | 'scalar' | 'string';
  readonly result: unknown;
}
type Pair = [number, string];
interface VectorItem {
  metric: Record<string, string>;
  value: Pair;
}
interface MatrixItem {
  metric: Record<string, string>;
  values: Pair[];
}

function key(m: Record<string, string>): string {
  return JSON.stringify(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function valuesClose(a: string, b: string, rel = 1e-5, abs = 1e-9): boolean {
  if (a === b) return true;
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y;
  const d = Math.abs(x - y);
  return d <= abs || d <= rel * Math.max(Math.abs(x), Math.abs(y));
}

function comparePairs(where: string, a: Pair[], b: Pair[], out: string[]): void {
  if (a.length !== b.length) {
    out.push(`${where}: ${a.length} points vs ${b.length} (first ts ${a[0]?.[0]} vs ${b[0]?.[0]})`);
    return;
  }
  for (let i = 0; i < a.length; i++) {
    const p = a[i] as Pair;
    const q = b[i] as Pair;
    if (p[0] !== q[0]) out.push(`${where}[${i}]: timestamp ${p[0]} vs ${q[0]}`);
    else if (!valuesClose(p[1], q[1])) out.push(`${where} @${p[0]}: ${p[1]} vs ${q[1]}`);
    if (out.length > 8) return;
  }
}

/**
 * Lists the differences between `vigil` and `prom` (empty when they agree). `ordered`
 * additionally requires the same order of vector elements (sort, sort_desc, topk).
 */
export function compareResults(vigil: QueryData, prom: QueryData, ordered = false): string[] {
  const out: string[] = [];
  if (vigil.resultType !== prom.resultType) return [`resultType ${vigil.resultType} vs ${prom.resultType}`];
  if (vigil.resultType === 'scalar' || vigil.resultType === 'string') {
    comparePairs('scalar', [vigil.result as Pair], [prom.result as Pair], out);
    return out;
  }
  const va = vigil.result as Array<VectorItem | MatrixItem>;
  const pa = prom.result as Array<VectorItem | MatrixItem>;
  const vm = new Map(va.map((r) => [key(r.metric), r]));
  const pm = new Map(pa.map((r) => [key(r.metric), r]));
  for (const k of vm.keys()) if (!pm.has(k)) out.push(`only in Vigil: ${k}`);
  for (const k of pm.keys()) if (!vm.has(k)) out.push(`only in Prometheus: ${k}`);
  if (out.length) return out.slice(0, 8);
  for (const [k, v] of vm) {
    const p = pm.get(k) as VectorItem | MatrixItem;
    if ('value' in v) comparePairs(k, [v.value], [(p as VectorItem).value], out);
    else comparePairs(k, v.values, (p as MatrixItem).values, out);
  }
  if (ordered && !out.length) {
    const vo = va.map((r) => key(r.metric)).join('|');
    const po = pa.map((r) => key(r.metric)).join('|');
    if (vo !== po) out.push(`order differs:\n  vigil ${vo}\n  prom  ${po}`);
  }
  return out;
}

/** Total number of points in a result (to make sure a comparison compared something). */
export function pointCount(d: QueryData): number {
  if (d.resultType === 'scalar' || d.resultType === 'string') return 1;
  return (d.result as Array<VectorItem | MatrixItem>).reduce((n, r) => n + ('values' in r ? r.values.length : 1), 0);
}

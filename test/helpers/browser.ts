// Real Chromium (Debian's, at /usr/bin/chromium) driven by playwright-core, for the web UI's
// tests; and the built UI they need.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here (no Chromium outside CI), or false. In CI a missing browser fails them. */
export function browserSkip(): false | string {
  if (existsSync(CHROMIUM) || process.env['CI']) return false;
  return `no Chromium at ${CHROMIUM}: install Debian's chromium (bash .ci/run does) or set CHROMIUM_PATH`;
}

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

function webUpToDate(): boolean {
  const index = join(root, 'web', 'dist', 'index.html');
  const sources = Math.max(newest(join(root, 'web', 'src')), statSync(join(root, 'web', 'index.html')).mtimeMs, statSync(join(root, 'web', 'vite.config.ts')).mtimeMs);
  return existsSync(index) && statSync(index).mtimeMs >= sources;
}

function serverUpToDate(): boolean {
  const entry = join(root, 'dist', 'app', 'main.js');
  return existsSync(entry) && newest(join(root, 'dist')) >= newest(join(root, 'src'));
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Runs `build` unless `fresh()`, under a lock: test files run in parallel, one builds while the others wait. */
function buildOnce(name: string, fresh: () => boolean, build: () => void): void {
  if (fresh()) return;
  const lock = join(root, 'web', '.build-lock');
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than five minutes belongs to a build that died.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`building ${name}: another test's build still holds ${lock}`);
      sleep(250);
    }
  }
  try {
    if (!fresh()) build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function run(args: string[], what: string): void {
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${what} failed:\n${r.stdout}${r.stderr}`);
}

/** Builds web/dist when it is missing or older than the UI's sources (a test must see the code it tests). */
export function ensureWebBuilt(): void {
  buildOnce('the web UI', webUpToDate, () => run([join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], 'building the web UI'));
}

/**
 * Builds dist/ (the server as installed) when older than src/, so the browser tests run the
 * server as users do, `bin/vigil.js` — and start it in seconds rather than compiling it.
 */
export function ensureServerBuilt(): void {
  buildOnce('the server', serverUpToDate, () => run([join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], 'building the server (tsc -p tsconfig.build.json)'));
}

/** Headless Chromium with the flags this machine needs (no sandbox as root, no background networking). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/**
 * Where screenshots go: docs/ui when VIGIL_SCREENSHOTS=docs (`npm run screenshots`), else a
 * temporary folder, so a test run does not change committed files.
 */
export function screenshotDir(): string {
  if (process.env['VIGIL_SCREENSHOTS'] === 'docs') {
    const dir = join(root, 'docs', 'ui');
    mkdirSync(dir, { recursive: true });
    return dir;
  }
  return mkdtempSync(join(tmpdir(), 'vigil-ui-shots-'));
}

/** Fails the test on any script error or failed request the page logs, except the expected. */
export function watchErrors(page: Page, allow: RegExp[] = []): () => string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = `${m.text()} ${m.location().url}`;
    if (!allow.some((re) => re.test(text))) errors.push(`console: ${text}`);
  });
  return () => errors;
}

interface AxNode {
  role?: { value?: string };
  name?: { value?: string };
  ignored?: boolean;
}

/**
 * Every interactive element the browser exposes (buttons, links, text boxes, selects, tabs,
 * checkboxes) has an accessible name, as Chromium's accessibility tree computes it.
 */
export async function unnamedControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
  await cdp.detach();
  const interactive = new Set(['button', 'link', 'textbox', 'combobox', 'listbox', 'tab', 'checkbox', 'radio', 'searchbox', 'spinbutton', 'switch', 'menuitem']);
  return nodes.filter((n) => !n.ignored && interactive.has(n.role?.value ?? '') && !(n.name?.value ?? '').trim()).map((n) => n.role?.value ?? '?');
}

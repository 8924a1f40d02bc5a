// The web UI's explorers in real Chromium against a real `vigil server` (open loopback mode)
// with real data: a PromQL query draws a graph, a LogQL query shows lines (with a volume
// histogram, patterns, the trace view and live tail).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { controllableService, eventually, freePort } from '../helpers/services.js';
import { startServer, type ServerProcess } from '../helpers/vigil-process.js';
import { browserSkip, ensureServerBuilt, ensureWebBuilt, launchBrowser, screenshotDir, unnamedControls, watchErrors } from '../helpers/browser.js';

const skip = browserSkip();

describe('web UI: explore metrics and logs', { skip }, () => {
  let dir: string;
  let server: ServerProcess;
  let browser: Browser;
  let svc: Awaited<ReturnType<typeof controllableService>>;
  let shots: string;
  let page: Page;
  let errors: () => string[];
  let port: number;
  let config: string;

  const push = async (lines: Array<{ service: string; line: string; level?: string }>) => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const streams = lines.map((l, i) => ({ stream: { service: l.service, ...(l.level ? { level: l.level } : {}) }, values: [[String(now + BigInt(i) * 1000n), l.line]] }));
    const r = await fetch(`${server.url}/loki/api/v1/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ streams }) });
    assert.equal(r.status, 204, await r.text());
  };

  // Generous: on a loaded machine, building the UI and starting a server from sources is slow.
  before(async () => {
    ensureWebBuilt();
    ensureServerBuilt();
    shots = screenshotDir();
    svc = await controllableService();
    dir = mkdtempSync(join(tmpdir(), 'vigil-ui-explore-'));
    config = join(dir, 'vigil.yml');
    writeFileSync(
      config,
      `services:
  - {name: shop, owner: team-shop}
  - {name: billing, owner: team-billing}
checks:
  - {name: shop-health, service: shop, type: http, url: "${svc.url}", interval: 1s, timeout: 800ms}
  - {name: billing-port, service: billing, type: tcp, target: "${new URL(svc.url).host}", interval: 1s}
receivers:
  - {name: default, log_configs: [{}]}
  - {name: pager, log_configs: [{}]}
  - {name: db-team, log_configs: [{}]}
route:
  receiver: default
  group_by: [alertname, service]
  routes:
    - receiver: pager
      matchers: ['severity="critical"']
      continue: true
      routes:
        - {receiver: db-team, matchers: ['service=~"db|postgres"']}
    - {receiver: db-team, matchers: ['team="db"']}
`,
    );
    port = await freePort();
    server = await startServer(['--config', config, '--data-dir', join(dir, 'data')], port, {}, { readyTimeoutMs: 120_000, fromDist: true });
    const lines: Array<{ service: string; line: string; level?: string }> = [];
    for (let i = 0; i < 30; i++) lines.push({ service: 'shop', level: 'info', line: `GET /cart/${i} 200 in ${10 + i}ms request_id=req-${i}` });
    for (let i = 0; i < 6; i++) lines.push({ service: 'shop', level: 'error', line: `upstream timeout after ${5000 + i}ms calling billing request_id=req-${i}` });
    for (let i = 0; i < 6; i++) lines.push({ service: 'billing', level: 'warn', line: `charge retried for order ${100 + i} request_id=req-${i}` });
    await push(lines);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
    // No 404 is expected: the UI learns the server's capabilities from one request, without probing routes.
    errors = watchErrors(page);
    // Probe samples to graph: a few results of each check.
    await eventually('probe samples', async () => {
      const r = (await (await fetch(`${server.url}/api/v1/query?query=count(probe_duration_seconds)`)).json()) as { data: { result: Array<{ value: [number, string] }> } };
      return r.data.result[0]?.value[1] === '2' ? true : undefined;
    });
  }, { timeout: 300_000 });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await svc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a PromQL query, completed in the editor, draws a graph; the table and a shared link show the same', async () => {
    await page.goto(`${server.url}/explore/metrics`);
    const editor = page.getByRole('textbox', { name: 'PromQL query' });
    await editor.click();
    await page.keyboard.type('probe_dur');
    const option = page.getByRole('option', { name: /probe_duration_seconds/ });
    await option.first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(150); // the list takes keys once it has been shown a moment (CodeMirror's interactionDelay)
    await page.keyboard.press('Enter'); // take the completion
    await page.keyboard.press('Control+Enter'); // run
    await page.waitForURL(/\?q=probe_duration_seconds$/);
    const chart = page.getByTestId('chart');
    await chart.locator('canvas').waitFor();
    await page.getByText('2 series, 1h ending now').waitFor();
    assert.match((await chart.locator('.u-legend').textContent()) ?? '', /check="billing-port".*|check="shop-health"/);
    await page.screenshot({ path: join(shots, 'metrics.png') });
    assert.deepEqual(await unnamedControls(page), [], 'every control of the metrics explorer has an accessible name');
    await page.getByRole('tab', { name: 'Table' }).click();
    await page.getByTestId('result-table').getByText('shop-health').waitFor();
    // The URL is the query: opening it again shows the same.
    const shared = page.url();
    assert.match(shared, /tab=table/);
    const other = await browser.newPage();
    await other.goto(shared);
    await other.getByTestId('result-table').getByText('billing-port').waitFor();
    await other.close();
    const bad = await browser.newPage();
    await bad.goto(`${server.url}/explore/metrics?q=${encodeURIComponent('rate(probe_success[')}`);
    await bad.getByText('The query failed').waitFor();
    await bad.close();
  });

  test('a LogQL query shows the matching lines with their labels and a volume histogram', async () => {
    await page.goto(`${server.url}/explore/logs`);
    await page.getByRole('textbox', { name: 'LogQL query' }).click();
    await page.keyboard.type('{servi');
    await page.getByRole('option', { name: 'service' }).waitFor({ timeout: 10_000 });
    await page.waitForTimeout(150);
    await page.keyboard.press('Enter');
    await page.keyboard.type('="sh');
    await page.getByRole('option', { name: 'shop' }).waitFor({ timeout: 10_000 });
    assert.equal(await page.getByRole('listbox', { name: 'Completions' }).getByRole('option').count(), 1, 'values filtered by what is typed');
    await page.waitForTimeout(150);
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.type(' |= "timeout"');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
    await page.waitForURL(/q=/);
    const lines = page.getByTestId('log-lines');
    await lines.waitFor();
    assert.equal(await lines.locator('li').count(), 6);
    assert.match((await lines.textContent()) ?? '', /upstream timeout after 5005ms/);
    assert.doesNotMatch((await lines.textContent()) ?? '', /GET \/cart/);
    await page.getByRole('img', { name: 'Log volume over the range' }).locator('canvas').waitFor();
    // A line opens to its labels; a label filters.
    await lines.locator('summary').first().click();
    await lines.getByRole('button', { name: /level=error/ }).first().click();
    await page.waitForURL(/level%3D%22error%22/);
    await page.screenshot({ path: join(shots, 'logs.png') });
    assert.deepEqual(await unnamedControls(page), [], 'every control of the logs explorer has an accessible name');
  });

  test('mined patterns, and the trace view across services', async () => {
    await page.goto(`${server.url}/explore/logs?tab=patterns&service=shop`);
    const table = page.getByTestId('patterns');
    await table.getByText('upstream timeout after').first().waitFor({ timeout: 10_000 });
    assert.match((await table.textContent()) ?? '', /<\*>/);
    await page.screenshot({ path: join(shots, 'logs-patterns.png') });
    await page.goto(`${server.url}/explore/logs?tab=trace`);
    await page.getByLabel('Request or trace id').fill('req-3');
    await page.getByRole('button', { name: 'Find lines' }).click();
    const lines = page.getByTestId('log-lines');
    await lines.waitFor();
    const text = (await lines.textContent()) ?? '';
    assert.match(text, /GET \/cart\/3 /);
    assert.match(text, /upstream timeout after 5003ms/);
    assert.match(text, /billing.*charge retried for order 103/);
    await page.getByText('across 2 service(s)').waitFor();
  });

  test('live tail shows new lines as they arrive', async () => {
    await page.goto(`${server.url}/explore/logs?q=${encodeURIComponent('{service="billing"}')}`);
    await page.getByRole('button', { name: '▶ Live tail' }).click();
    await page.getByText(/Live: \d+ new lines? since tailing started/).waitFor();
    await push([{ service: 'billing', line: 'refund issued for order 999' }]);
    await page.getByTestId('log-lines').getByText('refund issued for order 999').waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: '■ Stop live tail' }).click();
  });

  test('no script errors on any page visited', () => {
    assert.deepEqual(errors(), []);
  });
});

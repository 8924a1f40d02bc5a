// The web UI in real Chromium against a real `vigil server` (open loopback mode): the routing
// tree tests a label set, checks with their latency chart, the wall screen, the dark theme,
// times in the browser's zone, SLOs and their error budgets, the reports, and a lost connection
// shown and cleared.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { controllableService, eventually, freePort } from '../helpers/services.js';
import { startServer, type ServerProcess } from '../helpers/vigil-process.js';
import { encodeWriteRequest } from '../../src/ingest/remote-write.js';
import { browserSkip, ensureServerBuilt, ensureWebBuilt, launchBrowser, screenshotDir, unnamedControls, watchErrors } from '../helpers/browser.js';

const skip = browserSkip();

describe('web UI: routing, checks, wall screen, themes, time zones, connection', { skip }, () => {
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
slos:
  - name: shop-availability
    service: shop
    objective: 99
    window: 10m
    sli: {check: shop-health}
  - name: billing-errors
    service: billing
    description: Charges that fail
    objective: 99
    window: 10m
    sli:
      events:
        error_query: sum(rate(billing_charges_total{result="error"}[{{.window}}]))
        total_query: sum(rate(billing_charges_total[{{.window}}]))
`,
    );
    port = await freePort();
    server = await startServer(['--config', config, '--data-dir', join(dir, 'data')], port, {}, { readyTimeoutMs: 120_000, fromDist: true });
    const lines: Array<{ service: string; line: string; level?: string }> = [];
    for (let i = 0; i < 30; i++) lines.push({ service: 'shop', level: 'info', line: `GET /cart/${i} 200 in ${10 + i}ms request_id=req-${i}` });
    for (let i = 0; i < 6; i++) lines.push({ service: 'shop', level: 'error', line: `upstream timeout after ${5000 + i}ms calling billing request_id=req-${i}` });
    for (let i = 0; i < 6; i++) lines.push({ service: 'billing', level: 'warn', line: `charge retried for order ${100 + i} request_id=req-${i}` });
    await push(lines);
    // Charges for 20 minutes around now, 5% of them failing: five times billing-errors' 1% budget.
    const now = Date.now();
    const series = ['ok', 'error'].map((result) => {
      const samples = [];
      for (let k = 0, t = now - 10 * 60_000; t <= now + 9 * 60_000; k++, t += 15_000) samples.push({ timestamp: t, value: k * (result === 'ok' ? 95 : 5) });
      return { labels: [{ name: '__name__', value: 'billing_charges_total' }, { name: 'result', value: result }], samples };
    });
    const w = await fetch(`${server.url}/api/v1/write`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' }, body: encodeWriteRequest({ timeseries: series }) });
    assert.equal(w.status, 204, await w.text());
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

  test('the routing tree shows where a label set goes', async () => {
    await page.goto(`${server.url}/routing`);
    await page.getByRole('list', { name: 'Route tree' }).waitFor();
    const input = page.getByLabel('Labels of an alert');
    await input.fill('alertname="DiskFull", severity="critical", service="postgres", team="db"');
    await page.getByRole('button', { name: 'Test routing' }).click();
    const result = page.getByTestId('route-result');
    await result.getByText('Delivered to db-team').waitFor();
    assert.match((await result.textContent()) ?? '', /2 routes, by continue/);
    assert.equal(await page.locator('[data-matched="true"]').count(), 2);
    await page.screenshot({ path: join(shots, 'routing.png'), fullPage: true });
    await input.fill('alertname="Slow", severity="low"');
    await page.getByRole('button', { name: 'Test routing' }).click();
    await result.getByText('Delivered to default').waitFor();
    await input.fill('not a label set');
    await page.getByRole('button', { name: 'Test routing' }).click();
    await page.getByRole('alert').getByText(/cannot read a label/).waitFor();
    assert.deepEqual(await unnamedControls(page), []);
  });

  test('the checks, the wall screen, and the dark theme', async () => {
    await page.goto(`${server.url}/checks`);
    await page.getByTestId('check-shop-health').waitFor();
    await page.screenshot({ path: join(shots, 'checks.png') });
    await page.getByRole('link', { name: 'shop-health' }).click();
    await page.getByRole('img', { name: /Latency of shop-health/ }).locator('canvas').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(shots, 'check.png') });
    await page.goto(`${server.url}/?kiosk=1`);
    await page.locator('.kiosk [data-testid="service-shop"]').waitFor();
    assert.equal(await page.locator('#sidebar').count(), 0, 'no chrome on the wall screen');
    await page.screenshot({ path: join(shots, 'wall.png') });
    await page.keyboard.press('Escape');
    await page.waitForURL(`${server.url}/`);
    await page.getByRole('button', { name: /Theme: system/ }).click();
    await page.getByRole('button', { name: /Theme: light/ }).click();
    assert.equal(await page.evaluate<string | undefined>('document.documentElement.dataset.theme'), 'dark');
    const bg = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    assert.equal(bg, 'rgb(15, 20, 25)');
    await page.getByText('All 2 services are up.').waitFor();
    await page.screenshot({ path: join(shots, 'overview-dark.png') });
    await page.reload();
    assert.equal(await page.evaluate<string | undefined>('document.documentElement.dataset.theme'), 'dark', 'the choice is kept');
  });

  test('SLOs: worst first with the budget left in words, filtered by service; the overview lists those at risk', async () => {
    await page.goto(`${server.url}/`);
    const tile = page.getByTestId('slos-at-risk');
    await tile.getByRole('link', { name: 'billing-errors' }).waitFor();
    assert.equal(await tile.getByRole('link', { name: 'shop-availability' }).count(), 0, 'within budget: not at risk');
    await page.getByRole('link', { name: 'SLOs', exact: true }).click();
    await page.getByRole('heading', { name: 'SLOs', level: 1 }).waitFor();
    const billing = page.locator('[data-testid="slo-billing-errors"][data-state="breached"]');
    await billing.waitFor();
    assert.match((await billing.textContent()) ?? '', /Charges that fail.*99% over 10m.*95\.00%.*overspent by 4\d\d%.*2\d s over.*breached/);
    assert.equal(await billing.getByRole('meter').getAttribute('aria-valuenow'), '0');
    const shop = page.locator('[data-testid="slo-shop-availability"][data-state="ok"]');
    assert.match((await shop.textContent()) ?? '', /99% over 10m.*100\.000%.*100% left.*6 s of outage left.*within budget/);
    assert.deepEqual(await page.locator('tr[data-testid^="slo-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid'))), ['slo-billing-errors', 'slo-shop-availability']);
    assert.deepEqual(await unnamedControls(page), []);
    await page.screenshot({ path: join(shots, 'slos.png') });
    await page.getByLabel('Service').selectOption('shop');
    await page.waitForURL(/\/slos\?service=shop$/);
    assert.deepEqual(await page.locator('tr[data-testid^="slo-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid'))), ['slo-shop-availability']);
  });

  test('the overview loads no editor or chart code; the explorers load theirs when opened', async () => {
    const p = await browser.newPage();
    const loaded: string[] = [];
    p.on('request', (r) => {
      if (r.url().includes('/assets/')) loaded.push(new URL(r.url()).pathname);
    });
    await p.goto(`${server.url}/`);
    await p.getByText('All 2 services are up.').waitFor();
    assert.deepEqual(loaded.filter((u) => /\/(editor|charts)-/.test(u)), []);
    await p.getByRole('link', { name: 'Metrics' }).click();
    await p.getByRole('textbox', { name: 'PromQL query' }).waitFor();
    assert.ok(loaded.some((u) => /\/editor-/.test(u)), 'the editor arrives with the metrics page');
    await p.close();
  });

  test('times are shown in the browser zone, with UTC on hover, on keyboard focus and to screen readers', async () => {
    const ctx = await browser.newContext({ timezoneId: 'Asia/Kolkata', viewport: { width: 1280, height: 720 } });
    const p = await ctx.newPage();
    await p.goto(`${server.url}/checks`);
    const t = p.getByTestId('check-shop-health').locator('time').first();
    await t.waitFor();
    const utc = (await t.getAttribute('data-utc')) ?? '';
    assert.match(utc, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(shown in Asia\/(Kolkata|Calcutta)\)$/);
    const iso = (await t.getAttribute('datetime')) as string;
    const local = new Date(new Date(iso).getTime() + 5.5 * 3600_000).toISOString().slice(11, 16);
    assert.ok(((await t.textContent()) ?? '').startsWith(local), `${await t.textContent()} is ${iso} in India`);
    // Functions run in the page (this file is compiled without the DOM's types: the cast is erased).
    type Dom = { getComputedStyle(e: unknown, pseudo: string): { content: string }; document: { activeElement: unknown } };
    const tooltip = () => t.evaluate((el) => (globalThis as unknown as Dom).getComputedStyle(el, '::after').content);
    assert.equal(await tooltip(), 'none', 'no tooltip until asked');
    await t.hover();
    assert.equal(await tooltip(), JSON.stringify(utc), 'hover shows UTC');
    await p.mouse.move(0, 0);
    // Keyboard: Tab reaches the time and its focus shows the same tooltip.
    await p.locator('body').focus();
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await p.keyboard.press('Tab');
      reached = await t.evaluate((el) => el === (globalThis as unknown as Dom).document.activeElement);
    }
    assert.ok(reached, 'the time is reachable with Tab');
    assert.equal(await tooltip(), JSON.stringify(utc), 'focus shows UTC');
    // Screen readers: the accessible text is the local time, then UTC.
    const snapshot = await p.getByTestId('check-shop-health').ariaSnapshot();
    assert.match(snapshot, new RegExp(`${local}[^\\n]*, ${utc.slice(0, 10)} \\d\\d:\\d\\d:\\d\\d UTC`), snapshot);
    await ctx.close();
  });

  test('maintenance: schedule a window, the service shows in maintenance, end it early', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Maintenance', exact: true }).click();
    await page.getByRole('heading', { name: 'Maintenance', level: 1 }).waitFor();
    await page.getByText('No maintenance in progress').waitFor();
    await page.getByRole('button', { name: 'Schedule maintenance…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Schedule maintenance' });
    await dialog.getByRole('checkbox', { name: 'shop' }).check();
    await dialog.getByLabel('Lasts').fill('2h');
    await dialog.getByLabel('Why').fill('database upgrade to 16.2');
    await dialog.getByRole('button', { name: 'Schedule' }).click();
    await page.getByRole('tab', { name: 'In progress (1)', selected: true }).waitFor();
    await page.getByText(/ends in (1h 59m|2h)/).waitFor();
    // Later, for billing: upcoming.
    await page.getByRole('button', { name: 'Schedule maintenance…' }).click();
    await dialog.getByRole('checkbox', { name: 'billing' }).check();
    await dialog.getByLabel('Starts (empty: now)').fill('2099-01-01T10:00');
    await dialog.getByLabel('Why').fill('move to the new data centre');
    await dialog.getByRole('button', { name: 'Schedule' }).click();
    await page.getByRole('tab', { name: 'Upcoming (1)', selected: true }).waitFor();
    await page.getByText('move to the new data centre').waitFor();
    assert.deepEqual(await unnamedControls(page), []);
    await page.getByRole('tab', { name: /In progress/ }).click();
    await page.screenshot({ path: join(shots, 'maintenance.png') });
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await page.locator('[data-testid="service-shop"][data-state="maintenance"]').waitFor({ timeout: 10_000 });
    // The reason's end time is shown in the browser's zone, UTC on hover.
    assert.match((await page.getByTestId('service-shop').locator('.tile-reasons time').first().getAttribute('data-utc')) ?? '', / UTC \(shown in /);
    await page.goto(`${server.url}/maintenance`);
    await page.getByRole('button', { name: 'End maintenance of shop' }).click();
    await page.getByRole('tab', { name: 'Completed (1)' }).click();
    await page.getByText(/ended early by anonymous/).waitFor();
    await page.goto(`${server.url}/`);
    await page.locator('[data-testid="service-shop"][data-state="up"]').waitFor({ timeout: 10_000 });
  });

  test('reports: the daily report from the menu with its sections, then the handoff; downloads in three formats', async () => {
    const before = errors().length;
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Reports', exact: true }).click();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Daily report', selected: true }).waitFor();
    const report = page.getByTestId('report');
    await report.getByRole('heading', { name: /^Daily operations report: \d{4}-\d\d-\d\d$/, level: 2 }).waitFor({ timeout: 20_000 });
    const day = await page.getByLabel('Day').inputValue();
    assert.match(day, /^\d{4}-\d\d-\d\d$/, 'a day is chosen: today');
    assert.equal(await report.getByRole('heading', { level: 2 }).textContent(), `Daily operations report: ${day}`);
    const headings = () => report.getByRole('heading', { level: 3 }).allTextContents();
    for (const h of ['Overall status', 'Uptime per service', 'Alert summary', 'Open action items']) assert.ok((await headings()).includes(h), `${h} in ${(await headings()).join(', ')}`);
    // Both services in the uptime table, as text.
    await report.getByRole('cell', { name: 'billing', exact: true }).first().waitFor();
    assert.equal(await page.getByRole('link', { name: 'Download as JSON' }).getAttribute('href'), `/api/v1/reports/daily?date=${day}&format=json`);
    const md = await page.request.get(`${server.url}${(await page.getByRole('link', { name: 'Download as Markdown' }).getAttribute('href')) ?? ''}`);
    assert.match(await md.text(), new RegExp(`^# Daily operations report: ${day}\n`));
    assert.deepEqual(await unnamedControls(page), []);
    await page.screenshot({ path: join(shots, 'reports.png'), fullPage: true });
    await page.getByRole('tab', { name: 'Handoff' }).click();
    await page.waitForURL(/\/reports\?kind=handoff$/);
    await report.getByRole('heading', { name: /^Handoff: /, level: 2 }).waitFor({ timeout: 20_000 });
    for (const h of ['Current status of every service', 'Open incidents', 'What to watch']) await report.getByRole('heading', { name: h, exact: true, level: 3 }).waitFor();
    assert.equal(await report.getByRole('heading', { name: 'Uptime per service' }).count(), 0, 'the daily report is gone');
    assert.equal(await page.getByRole('link', { name: 'Download as HTML' }).getAttribute('href'), '/api/v1/reports/handoff?format=html');
    await page.getByRole('tab', { name: 'SLA compliance' }).click();
    await page.getByLabel('Month').fill('2026-01');
    await report.getByRole('heading', { name: 'SLA compliance: 2026-01', level: 2 }).waitFor({ timeout: 20_000 });
    await report.getByRole('heading', { name: 'Compliance per service and SLO', level: 3 }).waitFor();
    await page.waitForURL(/\/reports\?kind=sla&month=2026-01$/);
    assert.deepEqual(errors().slice(before), []);
  });

  test('a lost connection is shown, and clears when Vigil is back', async () => {
    await page.goto(`${server.url}/`);
    await page.getByText('All 2 services are up.').waitFor();
    await server.stop();
    await page.getByTestId('connection-lost').waitFor({ timeout: 15_000 });
    assert.match((await page.getByTestId('connection-lost').textContent()) ?? '', /Connection to Vigil lost/);
    await page.getByRole('status', { name: /Offline/ }).waitFor();
    await page.screenshot({ path: join(shots, 'connection-lost.png') });
    server = await startServer(['--config', config, '--data-dir', join(dir, 'data')], port, {}, { readyTimeoutMs: 120_000, fromDist: true });
    await page.getByTestId('connection-lost').waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByRole('status', { name: /Live/ }).waitFor();
    // A poll that reaches the old server while it shuts down is answered 503 (Fastify's
    // return503OnClosing); the browser logs that like a refused connection. Nothing else may show.
    assert.deepEqual(errors().filter((e) => !/ERR_CONNECTION_REFUSED|Failed to fetch|net::ERR|status of 503 \(Service Unavailable\)/.test(e)), []);
  });
});

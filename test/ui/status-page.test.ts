// The public status page in real Chromium against a real `vigil server`: desktop, a phone
// viewport, dark mode, and with JavaScript off (the subscribe form still works). One server.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { eventually, freePort, webhookReceiver } from '../helpers/services.js';
import { startServer, type ServerProcess } from '../helpers/vigil-process.js';
import { browserSkip, ensureServerBuilt, launchBrowser, screenshotDir, unnamedControls, watchErrors } from '../helpers/browser.js';

const skip = browserSkip();

describe('status page in Chromium: desktop, phone, dark, no JavaScript', { skip }, () => {
  let dir: string;
  let server: ServerProcess;
  let browser: Browser;
  let shots: string;
  let hook: Awaited<ReturnType<typeof webhookReceiver>>;

  before(async () => {
    ensureServerBuilt();
    shots = screenshotDir();
    hook = await webhookReceiver();
    dir = mkdtempSync(join(tmpdir(), 'vigil-ui-status-'));
    const config = join(dir, 'vigil.yml');
    writeFileSync(
      config,
      `services:
  - {name: shop-api}
  - {name: shop-db}
  - {name: search}
receivers:
  - {name: ops, log_configs: [{}]}
route: {receiver: ops, group_wait: 0s}
status_page:
  title: Example Shop status
  description: Checkout, search and accounts of shop.example.com
  components:
    - {service: shop-api, name: Checkout, group: Shop}
    - {service: shop-db, name: Database, group: Shop}
    - {service: search, name: Search}
  subscriptions: {allow_private_webhooks: true}
`,
    );
    const port = await freePort();
    server = await startServer(['--config', config, '--data-dir', join(dir, 'data')], port, {}, { readyTimeoutMs: 120_000, fromDist: true });
    const post = (path: string, body: unknown) => fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await post('/api/v2/alerts', [{ labels: { alertname: 'CheckoutErrors', service: 'shop-api', severity: 'high' } }])).status, 200);
    const id = await eventually('incident', async () => {
      const r = (await (await fetch(`${server.url}/api/v1/incidents`)).json()) as { incidents: Array<{ id: string }> };
      return r.incidents[0]?.id;
    });
    assert.equal((await post(`/api/v1/incidents/${id}/updates`, { status: 'investigating', title: 'Checkout errors', message: 'Some card payments fail. We are looking into it.' })).status, 201);
    assert.equal((await post(`/api/v1/incidents/${id}/updates`, { status: 'identified', message: 'A payment provider times out; we are routing around it.' })).status, 201);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await hook?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('desktop: banner, incident with its updates, components with 90 bars, named controls', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/status`);
    assert.equal(await page.locator('.banner').getAttribute('data-indicator'), 'major');
    assert.equal(await page.locator('.banner').innerText(), 'Partial System Outage');
    assert.match(await page.locator('[data-incident] h3').innerText(), /Checkout errors/);
    assert.equal(await page.locator('[data-incident] .update').count(), 2);
    assert.equal(await page.locator('[data-component="Checkout"] [data-status]').getAttribute('data-status'), 'partial_outage');
    assert.equal(await page.locator('[data-component="Search"] [data-status]').getAttribute('data-status'), 'operational');
    assert.equal(await page.locator('[data-component="Checkout"] .bars span').count(), 90);
    assert.equal(await page.locator('script').count(), 0);
    assert.deepEqual(await unnamedControls(page), []);
    await page.screenshot({ path: join(shots, 'status-page.png'), fullPage: true });
    assert.deepEqual(errors(), []);
  });

  test('phone: fits the width, 30 bars, dark colours when the reader prefers them', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'dark' });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/status`);
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
    const visible = await page.locator('[data-component="Checkout"] .bars span:visible').count();
    assert.equal(visible, 30);
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    assert.equal(bg, 'rgb(17, 21, 28)', 'dark background');
    await page.screenshot({ path: join(shots, 'status-page-phone.png') });
    await ctx.close();
  });

  test('without JavaScript: the page reads and the subscribe form works', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 800, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/status`);
    await page.fill('#sub-address', 'not a url');
    await page.click('button[type=submit]');
    assert.match(await page.locator('.notice-error').innerText(), /is not a URL/);
    assert.equal(await page.inputValue('#sub-address'), 'not a url');
    await page.fill('#sub-address', hook.url);
    await page.click('button[type=submit]');
    assert.match(await page.locator('.notice-ok').innerText(), /Subscribed/);
    await ctx.close();
  });
});

// The web UI in real Chromium against a real `vigil server` with tokens: sign in, a failing
// check turns the overview red, open the incident and acknowledge it, the timeline updates
// live, a viewer sees no buttons it cannot use, a phone can acknowledge, and all of it works
// with the keyboard alone.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { controllableService, freePort } from '../helpers/services.js';
import { startServer, type ServerProcess } from '../helpers/vigil-process.js';
import { publicUpdatesResponseSchema } from '../../src/api/schemas/index.js';
import { browserSkip, ensureServerBuilt, ensureWebBuilt, launchBrowser, screenshotDir, unnamedControls, watchErrors } from '../helpers/browser.js';

const SECRETS = { UI_T_RESPONDER: 'responder-secret-for-ui-tests-0123', UI_T_VIEWER: 'viewer-secret-for-ui-tests-01234' };
const skip = browserSkip();

describe('web UI: respond to an incident', { skip }, () => {
  let dir: string;
  let server: ServerProcess;
  let browser: Browser;
  let shop: Awaited<ReturnType<typeof controllableService>>;
  let payments: Awaited<ReturnType<typeof controllableService>>;
  let shots: string;
  let ctx: BrowserContext;
  let page: Page;
  let errors: () => string[];

  // Generous: on a loaded machine, building the UI and starting a server from sources is slow.
  before(async () => {
    ensureWebBuilt();
    ensureServerBuilt();
    shots = screenshotDir();
    [shop, payments] = await Promise.all([controllableService(), controllableService()]);
    dir = mkdtempSync(join(tmpdir(), 'vigil-ui-respond-'));
    const config = join(dir, 'vigil.yml');
    writeFileSync(
      config,
      `server:
  tokens:
    - {name: alice, role: responder, secret_env: UI_T_RESPONDER}
    - {name: wallboard, role: viewer, secret_env: UI_T_VIEWER}
services:
  - {name: shop, owner: team-shop, description: the web shop}
  - {name: payments, owner: team-pay}
checks:
  - {name: shop-health, service: shop, type: http, url: "${shop.url}", interval: 1s, timeout: 800ms, failure_threshold: 1, severity: critical}
  - {name: payments-health, service: payments, type: http, url: "${payments.url}", interval: 1s, timeout: 800ms, failure_threshold: 1, severity: high}
people:
  - {name: alice, time_zone: Europe/Berlin, contacts: {email: alice@example.com}}
  - {name: bob, time_zone: America/New_York, contacts: {email: bob@example.com}}
schedules:
  - name: shop-primary
    time_zone: Europe/Berlin
    layers:
      - {name: weekly, rotation: weekly, start: "2026-01-05T09:00", members: [alice, bob]}
receivers:
  - {name: console, log_configs: [{}]}
route: {receiver: console, group_wait: 1s}
`,
    );
    server = await startServer(['--config', config, '--data-dir', join(dir, 'data')], await freePort(), SECRETS, { readyTimeoutMs: 120_000, fromDist: true });
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    page = await ctx.newPage();
    errors = watchErrors(page, [/status of 401/, /status of 409 .*\/postmortem/]);
  }, { timeout: 300_000 });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await Promise.all([shop?.close(), payments?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${SECRETS.UI_T_RESPONDER}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });

  test('signing in with a token sets an HttpOnly session cookie and shows the overview', async () => {
    await page.goto(`${server.url}/incidents`);
    await page.waitForURL(/\/sign-in\?next=%2Fincidents/);
    await page.getByLabel('API token').fill('wrong-token-value');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
    await page.screenshot({ path: join(shots, 'sign-in.png') });
    await page.getByLabel('API token').fill(SECRETS.UI_T_RESPONDER);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/incidents$/);
    await page.getByRole('heading', { name: 'Incidents', level: 1 }).waitFor();
    const cookie = (await ctx.cookies()).find((c) => c.name === 'vigil_session');
    assert.ok(cookie, 'session cookie set');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.equal(await page.evaluate<string>('document.cookie'), '', 'scripts cannot read it');
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
    await page.getByText('All 2 services are up.').waitFor({ timeout: 15_000 });
    assert.match((await page.locator('.user-name').textContent()) ?? '', /alice \(responder\)/);
    // Paging is configured: who is on call shows on the overview, and its page is in the menu.
    await page.getByTestId('oncall-now').getByText(/shop-primary: (alice|bob)/).waitFor();
    await page.getByRole('link', { name: 'On-call', exact: true }).click();
    await page.getByRole('heading', { name: 'Upcoming shifts' }).waitFor();
    await page.getByRole('cell', { name: /alice|bob/ }).first().waitFor();
    // A secret calendar URL for calendar apps: made, shown once, works without a header, revoked.
    const cal = page.getByTestId('calendar-url');
    await cal.getByText('No secret calendar URL yet.', { exact: false }).waitFor();
    await cal.getByRole('button', { name: 'Make a calendar URL' }).click();
    const url = await cal.getByLabel(/Subscribe with this URL/).inputValue();
    assert.match(url, /\/calendar\/schedules\/shop-primary\.ics\?token=[A-Za-z0-9_-]{43}$/);
    const secret = new URL(url);
    const secretAt = `${server.url}${secret.pathname}${secret.search}`;
    const feed = await fetch(secretAt);
    assert.equal(feed.status, 200);
    assert.match(await feed.text(), /BEGIN:VCALENDAR/);
    await cal.getByText(/made by alice/).waitFor();
    await page.screenshot({ path: join(shots, 'oncall.png') });
    await cal.getByRole('button', { name: 'Revoke calendar URL' }).click();
    await cal.getByText('No secret calendar URL yet.', { exact: false }).waitFor();
    assert.equal((await fetch(secretAt)).status, 404, 'a revoked URL stops working');
    await page.getByRole('link', { name: 'Overview', exact: true }).click();
  });

  test('a failing check turns the overview red', async () => {
    shop.setHealthy(false);
    await page.locator('[data-testid="overall"][data-state="down"]').waitFor({ timeout: 15_000 });
    const tile = page.getByTestId('service-shop');
    await tile.and(page.locator('[data-state="down"]')).waitFor();
    assert.match((await tile.textContent()) ?? '', /check shop-health down: status 503/);
    assert.equal(await page.getByTestId('service-payments').getAttribute('data-state'), 'up');
    const red = await page.evaluate<string>("getComputedStyle(document.querySelector('[data-testid=overall]')).backgroundColor");
    assert.notEqual(red, 'rgb(255, 255, 255)', 'the status bar is coloured');
    await page.getByRole('heading', { name: /Open incidents/ }).waitFor();
    await page.getByRole('link', { name: /INC-\d{4}-0001/ }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(shots, 'overview-down.png') });
  });

  test('open the incident and acknowledge it; the timeline says who', async () => {
    await page.getByRole('link', { name: /INC-\d{4}-0001/ }).click();
    await page.waitForURL(/\/incidents\/INC-\d{4}-0001$/);
    await page.getByRole('heading', { level: 1, name: /shop-health is failing/ }).waitFor();
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.locator('.status-acknowledged').first().waitFor();
    await page.getByTestId('timeline').getByText('Status triggered → acknowledged by alice').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Acknowledge' }).count(), 0, 'no Acknowledge once acknowledged');
    await page.screenshot({ path: join(shots, 'incident.png'), fullPage: true });
    const here = page.url();
    await page.goto(`${server.url}/incidents`);
    await page.getByRole('table').getByText('shop-health is failing').waitFor();
    await page.screenshot({ path: join(shots, 'incidents.png') });
    await page.goto(`${server.url}/alerts`);
    await page.getByTestId('alert-row').first().waitFor({ timeout: 10_000 });
    assert.match((await page.getByTestId('alert-row').first().textContent()) ?? '', /shop-health/);
    await page.screenshot({ path: join(shots, 'alerts.png') });
    await page.goto(here);
  });

  test('the timeline updates live, without reloading', async () => {
    const id = page.url().split('/').pop() as string;
    const r = await api(`/api/v1/incidents/${id}/notes`, { method: 'POST', body: JSON.stringify({ text: 'rolled back deploy 1234' }) });
    assert.equal(r.status, 201);
    await page.getByTestId('timeline').getByText('rolled back deploy 1234').waitFor({ timeout: 10_000 });
    const assign = await api(`/api/v1/incidents/${id}/assign`, { method: 'POST', body: JSON.stringify({ assignee: 'bob' }) });
    assert.equal(assign.status, 200);
    await page.getByTestId('assignee').getByText('bob').waitFor({ timeout: 10_000 });
  });

  test('a viewer sees no buttons it cannot use', async () => {
    const viewer = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const p = await viewer.newPage();
    await p.goto(`${server.url}/sign-in`);
    await p.getByLabel('API token').fill(SECRETS.UI_T_VIEWER);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('heading', { name: 'Overview' }).waitFor();
    const id = page.url().split('/').pop() as string;
    await p.goto(`${server.url}/incidents/${id}`);
    await p.getByTestId('timeline').waitFor();
    await p.getByText('can view incidents but not act on them').waitFor();
    for (const name of ['Acknowledge', 'Mitigate', 'Resolve…', 'Add note…', 'Assign…', 'Change severity…']) {
      assert.equal(await p.getByRole('button', { name }).count(), 0, `no ${name} for a viewer`);
    }
    await p.goto(`${server.url}/oncall`);
    await p.getByTestId('calendar-url').getByText(/secret calendar URL/).waitFor();
    assert.equal(await p.getByTestId('calendar-url').getByRole('button').count(), 0, 'no calendar URL buttons for a viewer');
    await viewer.close();
  });

  test('on a phone: the menu folds away and an incident can be acknowledged', async () => {
    payments.setHealthy(false);
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    await phone.addCookies((await ctx.cookies()).map((c) => ({ ...c })));
    const p = await phone.newPage();
    await p.goto(server.url);
    const ack = p.getByRole('button', { name: /Acknowledge INC-\d{4}-0002/ });
    await ack.waitFor({ timeout: 15_000 });
    assert.equal(await p.locator('#sidebar').isVisible(), false, 'the sidebar is folded into the menu');
    const box = await ack.boundingBox();
    assert.ok(box && box.height >= 40, `a touch target of ${box?.height}px`);
    await p.screenshot({ path: join(shots, 'phone-overview.png') });
    await ack.tap();
    await p.getByRole('button', { name: /Acknowledge INC-\d{4}-0002/ }).waitFor({ state: 'detached', timeout: 10_000 });
    await p.getByRole('button', { name: 'Menu' }).tap();
    await p.getByRole('link', { name: 'Checks' }).tap();
    await p.getByRole('heading', { name: 'Checks' }).waitFor();
    await phone.close();
  });

  test('everything works with the keyboard alone, with visible focus and named controls', async () => {
    const kb = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await kb.addCookies(await ctx.cookies());
    const p = await kb.newPage();
    const pageErrors = watchErrors(p, [/status of 401/]);
    await p.goto(server.url);
    await p.getByRole('heading', { name: 'Overview' }).waitFor();
    // The skip link comes first.
    await p.keyboard.press('Tab');
    assert.equal(await p.evaluate<string>("document.activeElement?.textContent ?? ''"), 'Skip to content');
    const outline = await p.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle');
    assert.notEqual(outline, 'none', 'focus is visible');
    // `g i` goes to the incidents; Tab reaches the first incident link.
    await p.keyboard.press('Escape');
    await p.locator('body').focus();
    await p.keyboard.press('g');
    await p.keyboard.press('i');
    await p.waitForURL(/\/incidents$/);
    await p.getByRole('link', { name: /INC-\d{4}-0002/ }).waitFor();
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await p.keyboard.press('Tab');
      reached = (await p.evaluate<string>("document.activeElement?.textContent ?? ''")).includes('-0002');
    }
    assert.ok(reached, 'the incident link is reachable with Tab');
    await p.keyboard.press('Enter');
    await p.waitForURL(/INC-\d{4}-0002$/);
    await p.getByTestId('timeline').waitFor();
    // Tab to "Add note…", open it with Enter, type, submit with Enter.
    reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await p.keyboard.press('Tab');
      reached = (await p.evaluate<string>("document.activeElement?.textContent ?? ''")) === 'Add note…';
    }
    assert.ok(reached, '"Add note…" is reachable with Tab');
    await p.keyboard.press('Enter');
    await p.getByRole('dialog', { name: /Add a note/ }).waitFor();
    assert.equal(await p.evaluate<string>("document.activeElement?.id ?? ''"), 'note-text', 'focus moves into the dialog');
    await p.keyboard.type('checked the payment gateway from the keyboard');
    await p.keyboard.press('Tab');
    await p.keyboard.press('Tab');
    assert.equal(await p.evaluate<string>("document.activeElement?.textContent ?? ''"), 'Add note');
    await p.keyboard.press('Enter');
    await p.getByTestId('timeline').getByText('checked the payment gateway from the keyboard').waitFor({ timeout: 10_000 });
    // Tabs move with the arrow keys.
    await p.getByRole('tab', { name: /Timeline/ }).focus();
    await p.keyboard.press('ArrowRight');
    await p.getByRole('tab', { name: /Alerts/, selected: true }).waitFor();
    // `?` lists the shortcuts; Esc closes.
    await p.locator('body').focus();
    await p.keyboard.press('?');
    await p.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await p.keyboard.press('Escape');
    await p.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ state: 'hidden' });
    for (const path of ['/', '/incidents', '/checks']) {
      await p.goto(`${server.url}${path}`);
      await p.getByRole('heading', { level: 1 }).first().waitFor();
      await p.waitForTimeout(300);
      assert.deepEqual(await unnamedControls(p), [], `every control on ${path} has an accessible name`);
    }
    assert.deepEqual(pageErrors(), []);
    await kb.close();
  });

  test('declare an incident, write its post-mortem, add an action item, resolve and reopen it', async () => {
    await page.goto(`${server.url}/incidents`);
    await page.getByRole('button', { name: 'Declare incident…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Declare an incident' });
    await dialog.getByLabel('Title').fill('Customers cannot pay by card');
    await dialog.getByLabel('Severity').selectOption('critical');
    await dialog.getByRole('checkbox', { name: 'payments' }).check();
    await dialog.getByRole('button', { name: 'Declare incident' }).click();
    await page.waitForURL(/\/incidents\/INC-\d{4}-0003$/);
    const id = page.url().split('/').pop() as string;
    await page.getByRole('heading', { level: 1, name: /Customers cannot pay by card/ }).waitFor();
    await page.getByTestId('timeline').getByText(/Incident declared by alice/).waitFor();
    // The post-mortem: the generated draft until saved; a save over someone else's is refused.
    await page.getByRole('tab', { name: 'Post-mortem' }).click();
    await page.getByTestId('postmortem-state').getByText(/nothing is stored until you save/).waitFor();
    await page.getByLabel('Root cause').fill('The card processor certificate expired.');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByTestId('postmortem-state').getByText(/version 1, saved .* by alice/).waitFor();
    const other = await api(`/api/v1/incidents/${id}/postmortem`, { method: 'PUT', body: JSON.stringify({ version: 1, impact: 'Card payments failed for 20 minutes.' }) });
    assert.equal(other.status, 200, await other.text());
    await page.getByLabel('Lessons learned').fill('Watch certificate expiry.');
    await page.getByRole('button', { name: 'Save post-mortem' }).click();
    await page.getByRole('alert').getByText(/someone else/).waitFor();
    await page.getByRole('button', { name: /Load their version/ }).click();
    await page.getByTestId('postmortem-state').getByText(/version 2/).waitFor();
    assert.equal(await page.getByLabel('Impact').inputValue(), 'Card payments failed for 20 minutes.');
    await page.getByRole('form', { name: /Post-mortem of/ }).screenshot({ path: join(shots, 'postmortem.png') });
    // Action items: added with an owner and a past due day (overdue), then started.
    await page.getByRole('tab', { name: 'Action items' }).click();
    await page.getByLabel('What needs doing').fill('Alert 14 days before a certificate expires');
    await page.getByLabel('Owner').fill('alice');
    await page.getByLabel('Due').fill('2026-01-02');
    await page.getByRole('button', { name: 'Add action item' }).click();
    const row = page.locator('[data-testid^="action-item-"]').filter({ hasText: 'Alert 14 days before' });
    await row.getByText('overdue').waitFor();
    await row.getByLabel(/Status of action item/).selectOption('in_progress');
    await row.locator('.ai-in_progress').waitFor();
    // The incident report: the post-mortem and the action item as one document, with downloads.
    await page.getByRole('tab', { name: 'Report' }).click();
    const report = page.getByTestId('report');
    await report.getByRole('heading', { name: new RegExp(`^Incident report: ${id} `), level: 2 }).waitFor({ timeout: 20_000 });
    await report.getByText('Card payments failed for 20 minutes.').waitFor();
    await report.getByRole('cell', { name: 'Alert 14 days before a certificate expires', exact: true }).first().waitFor();
    assert.equal(await page.getByRole('link', { name: 'Download as Markdown' }).getAttribute('href'), `/api/v1/incidents/${encodeURIComponent(id)}/report?format=markdown`);
    // Resolve, then reopen: the fix did not hold.
    await page.getByRole('button', { name: 'Resolve…' }).click();
    await page.getByRole('dialog', { name: `Resolve ${id}` }).getByRole('button', { name: 'Resolve' }).click();
    await page.getByRole('button', { name: 'Reopen…' }).click();
    await page.getByLabel('Why (optional)').fill('errors are back');
    await page.getByRole('button', { name: 'Reopen', exact: true }).click();
    await page.locator('.status-acknowledged').first().waitFor();
    await page.getByRole('tab', { name: /Timeline/ }).click();
    await page.getByTestId('timeline').getByText(/Reopened by alice: errors are back/).waitFor();
    assert.deepEqual(await unnamedControls(page), []);
    // Across incidents: the action items page, and a viewer sees none of the buttons.
    await page.getByRole('link', { name: 'Action items', exact: true }).click();
    await page.getByRole('link', { name: id }).waitFor();
    const viewer = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const p = await viewer.newPage();
    await p.goto(`${server.url}/sign-in?next=${encodeURIComponent(`/incidents/${id}?tab=postmortem`)}`);
    await p.getByLabel('API token').fill(SECRETS.UI_T_VIEWER);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByTestId('postmortem-state').getByText(/version 2/).waitFor();
    await p.getByText('The card processor certificate expired.').waitFor();
    assert.equal(await p.locator('textarea').count(), 0, 'a viewer reads the post-mortem');
    for (const name of ['Save post-mortem', 'Reopen…', 'Resolve…']) assert.equal(await p.getByRole('button', { name }).count(), 0, `no ${name} for a viewer`);
    await p.getByRole('tab', { name: 'Action items' }).click();
    await p.getByText('Alert 14 days before a certificate expires').waitFor();
    assert.equal(await p.getByRole('button', { name: 'Add action item' }).count(), 0);
    assert.equal(await p.getByRole('combobox', { name: /Status of action item/ }).count(), 0);
    await p.goto(`${server.url}/incidents`);
    await p.getByRole('heading', { name: 'Incidents', level: 1 }).waitFor();
    assert.equal(await p.getByRole('button', { name: 'Declare incident…' }).count(), 0);
    await viewer.close();
  });

  test('public updates: post what the status page says about an incident', async () => {
    await page.goto(`${server.url}/incidents`);
    await page.getByRole('link', { name: /INC-\d{4}-0003/ }).click();
    await page.getByRole('tab', { name: 'Public updates' }).click();
    await page.getByText('Nothing posted publicly yet').waitFor();
    await page.getByLabel('Status', { exact: true }).selectOption('identified');
    await page.getByLabel('Public title (optional)').fill('Card payments are failing');
    await page.getByLabel('Message').fill('We found the cause and are renewing a certificate.');
    await page.getByRole('button', { name: 'Post public update' }).click();
    const list = page.getByTestId('public-updates');
    await list.getByText('We found the cause and are renewing a certificate.').waitFor();
    assert.match((await list.textContent()) ?? '', /Identified — Card payments are failing \(by alice\)/);
    assert.equal(await page.getByLabel('Message').inputValue(), '', 'the form is cleared');
    // The UI's types are the API's: the answer parses with the schema they come from, strictly.
    const id = page.url().split('/').pop()?.split('?')[0] as string;
    const parsed = publicUpdatesResponseSchema.parse(await (await api(`/api/v1/incidents/${id}/updates`)).json());
    assert.equal(parsed.updates[0]?.status, 'identified');
    assert.deepEqual(await unnamedControls(page), []);
  });

  test('no script errors on any page visited', () => {
    assert.deepEqual(errors(), []);
  });
});

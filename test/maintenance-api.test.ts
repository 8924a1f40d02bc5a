// Maintenance windows in the real server (in-process, injected clock, real HTTP on 127.0.0.1,
// a real webhook receiver, a real SQLite file): the config's and the API's windows, alerts of
// the services in maintenance muted by the pipeline's maintenance stage (no notification, no
// incident), what is still firing when the window ends reaching people then, and API windows
// surviving a restart.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VigilApp, createLogger } from '../src/app/index.js';
import { loadConfigFile } from '../src/config/index.js';
import { FakeClock } from '../src/model/clock.js';
import { eventually, webhookReceiver } from './helpers/services.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 7, 1, 0, 0);
const iso = (t: number) => new Date(t).toISOString();

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Window {
  id: string;
  services: string[];
  start: string;
  end: string;
  reason: string;
  state: string;
  source: string;
  created_by: string;
  ended_early_by: string | null;
  planned_end: string | null;
}

test('maintenance windows: API and config, muting through the pipeline, no incident until the window ends, persisted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-maint-api-'));
  dirs.push(dir);
  const hook = await webhookReceiver();
  const configPath = join(dir, 'vigil.yml');
  writeFileSync(
    configPath,
    `services:
  - {name: shop-api}
  - {name: shop-db}
maintenance:
  - {services: [shop-db], start: "${iso(T0 + 60 * MIN)}", end: "2026-12-07T04:00:00+01:00", reason: "database upgrade"}
receivers:
  - name: team
    webhook_configs: [{url: ${hook.url}}]
route: {receiver: team, group_by: [alertname, service], group_wait: 10s, group_interval: 1m, repeat_interval: 4h}
`,
  );
  const loaded = loadConfigFile(configPath);
  assert.ok(loaded.ok, JSON.stringify(loaded));
  const clock = new FakeClock(T0);
  const open = async () => {
    const app = await VigilApp.create({ config: loaded.config, configPath, dataDir: join(dir, 'data'), listen: '127.0.0.1:0', env: {}, clock, logger: createLogger('silent') });
    await app.start();
    return app;
  };
  let app = await open();
  // The outbox's worker runs on the injected clock: let it tick while waiting for the real webhook receiver.
  const delivery = async (pred: (r: (typeof hook.received)[number]) => boolean) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      await clock.advance(0);
      const hit = hook.received.find(pred);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`webhook: nothing matching arrived within 30s (got ${hook.received.length})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> => {
    const r = await fetch(`${app.address}${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
    const text = await r.text();
    return { status: r.status, json: (text ? JSON.parse(text) : undefined) as T };
  };
  try {
    // Bad input is refused with the field and the reason.
    const bad = await call<{ message: string }>('POST', '/api/v1/maintenance', { services: ['shop-api'], end: 'tomorrow' });
    assert.equal(bad.status, 400);
    assert.match(bad.json.message, /body\.end: must be an RFC 3339 time/);
    const backwards = await call<{ message: string }>('POST', '/api/v1/maintenance', { services: ['shop-api'], start: iso(T0 + 20 * MIN), end: iso(T0 + 10 * MIN) });
    assert.equal(backwards.status, 400);
    assert.match(backwards.json.message, /end must be after start/);
    assert.equal((await call('GET', '/api/v1/maintenance?state=soon')).status, 400);

    const created = await call<Window>('POST', '/api/v1/maintenance', { services: ['shop-api'], end: iso(T0 + 30 * MIN), reason: 'deploy 4.2' });
    assert.equal(created.status, 201);
    assert.deepEqual({ ...created.json, id: 'x' }, { id: 'x', services: ['shop-api'], start: iso(T0), end: iso(T0 + 30 * MIN), reason: 'deploy 4.2', state: 'active', source: 'api', created_by: 'anonymous', created_at: iso(T0), ended_early_by: null, planned_end: null });
    const id = created.json.id;
    const list = await call<{ maintenance: Window[] }>('GET', '/api/v1/maintenance');
    assert.deepEqual(list.json.maintenance.map((w) => `${w.services.join(',')} ${w.state} ${w.source} ${w.end}`), [`shop-api active api ${iso(T0 + 30 * MIN)}`, `shop-db upcoming config ${iso(T0 + 2 * 60 * MIN)}`]);
    assert.deepEqual((await call<{ maintenance: Window[] }>('GET', '/api/v1/maintenance?state=upcoming&service=shop-db')).json.maintenance.map((w) => w.reason), ['database upgrade']);
    const cfgId = list.json.maintenance[1]?.id ?? '';
    assert.equal((await call('DELETE', `/api/v1/maintenance/${cfgId}`)).status, 409, 'config windows change in the config');
    const services = await call<{ services: Array<{ name: string; state: string; reasons: string[] }> }>('GET', '/api/v1/services');
    assert.deepEqual(services.json.services.find((s) => s.name === 'shop-api'), { ...services.json.services.find((s) => s.name === 'shop-api'), state: 'maintenance', reasons: [`maintenance until ${iso(T0 + 30 * MIN)}: deploy 4.2`] });

    // A critical alert of shop-api during the window: muted by the maintenance stage, no incident, nobody told.
    const alert = { labels: { alertname: 'ApiDown', service: 'shop-api', severity: 'critical' }, annotations: { summary: 'shop-api is down' } };
    const other = { labels: { alertname: 'ApiDown', service: 'shop-web', severity: 'critical' }, annotations: { summary: 'shop-web is down' } };
    assert.equal((await call('POST', '/api/v2/alerts', [alert, other])).status, 200);
    await app.alerts.idle();
    const alerts = await call<Array<{ labels: Record<string, string>; status: { state: string } }>>('GET', '/api/v2/alerts');
    assert.deepEqual(alerts.json.map((a) => `${a.labels['service']} ${a.status.state}`).sort(), ['shop-api suppressed', 'shop-web active']);
    await clock.advance(15_000);
    await app.alerts.idle();
    const delivered = await delivery((r) => JSON.stringify(r.body).includes('shop-web'));
    assert.ok(delivered);
    const incidents = async () => (await call<{ incidents: Array<{ services: string[] }> }>('GET', '/api/v1/incidents')).json.incidents.map((i) => i.services.join(','));
    assert.deepEqual(await incidents(), ['shop-web'], 'the service outside maintenance opens its incident, shop-api none');
    const history = await call<{ entries: Array<{ kind: string; stage?: string; by?: string[]; labels?: Record<string, string> }> }>('GET', '/api/v1/alert-history?limit=100');
    assert.ok(history.json.entries.some((e) => e.kind === 'muted' && e.stage === 'maintenance' && e.by?.[0] === id), JSON.stringify(history.json.entries));

    // Ending the window early (DELETE while active): kept, with who and the planned end; the alert still firing now reaches people.
    await clock.advance(4 * MIN);
    // Still broken: the sender re-sends its alerts (as Prometheus does) before resolve_timeout.
    assert.equal((await call('POST', '/api/v2/alerts', [alert, other])).status, 200);
    await app.alerts.idle();
    assert.deepEqual(await incidents(), ['shop-web']);
    await clock.advance(MIN);
    const ended = await call<Window>('DELETE', `/api/v1/maintenance/${id}`);
    assert.equal(ended.status, 200);
    assert.deepEqual([ended.json.state, ended.json.end, ended.json.planned_end, ended.json.ended_early_by], ['completed', iso(clock.now()), iso(T0 + 30 * MIN), 'anonymous']);
    await app.alerts.idle();
    assert.deepEqual((await incidents()).sort(), ['shop-api', 'shop-web']);
    await clock.advance(MIN);
    await delivery((r) => JSON.stringify(r.body).includes('"service":"shop-api"'));
    assert.equal(hook.received.filter((r) => JSON.stringify(r.body).includes('"service":"shop-api"')).length, 1);

    // An upcoming window is removed by DELETE; unknown ids are 404.
    const later = await call<Window>('POST', '/api/v1/maintenance', { services: ['shop-api', 'shop-db'], start: iso(T0 + 5 * 60 * MIN), end: iso(T0 + 6 * 60 * MIN), reason: 'later' });
    const patched = await call<Window>('PATCH', `/api/v1/maintenance/${later.json.id}`, { reason: 'network work' });
    assert.equal(patched.json.reason, 'network work');
    const laterToo = await call<Window>('POST', '/api/v1/maintenance', { services: ['shop-web'], start: iso(T0 + 7 * 60 * MIN), end: iso(T0 + 8 * 60 * MIN) });
    assert.equal((await call('DELETE', `/api/v1/maintenance/${laterToo.json.id}`)).status, 204);
    assert.equal((await call('GET', `/api/v1/maintenance/${laterToo.json.id}`)).status, 404);

    // Restart on the same data directory: the API windows are still there.
    await app.stop();
    app = await open();
    const again = await call<{ maintenance: Window[] }>('GET', '/api/v1/maintenance');
    assert.deepEqual(again.json.maintenance.map((w) => `${w.reason} ${w.state}`), ['deploy 4.2 completed', 'database upgrade upcoming', 'network work upcoming']);
    // The config window mutes shop-db once it starts (the clock's timer, no request needed).
    await clock.advance(60 * MIN);
    assert.deepEqual(app.maintenance.active().map((w) => w.reason), ['database upgrade']);
    assert.deepEqual(app.maintenance.overlapping(T0, T0 + 10 * MIN).map((w) => w.reason), ['deploy 4.2']);
    assert.deepEqual(app.maintenance.upcoming().map((w) => w.reason), ['network work']);
    await eventually('shop-db in maintenance', async () => ((await call<{ services: Array<{ name: string; state: string }> }>('GET', '/api/v1/services')).json.services.find((s) => s.name === 'shop-db')?.state === 'maintenance' ? true : undefined), 5000);
  } finally {
    await app.stop();
    await hook.close();
  }
});

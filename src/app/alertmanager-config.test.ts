// GET /api/v2/status's config.original against Alertmanager 0.25's own parser (amtool
// check-config, from Debian's prometheus-alertmanager): receivers with their settings and
// time intervals in full, secrets hidden.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseConfigText } from '../config/index.js';
import { alertmanagerConfigText } from './alertmanager-config.js';

const AMTOOL = '/usr/bin/amtool';
function amtoolSkip(): string | undefined {
  if (existsSync(AMTOOL)) return undefined;
  const msg = 'amtool not found (apt-get install prometheus-alertmanager)';
  if (process.env['CI'] === 'true') throw new Error(`${msg}; CI=true requires it`);
  return msg;
}

const CONFIG = `
global:
  smtp_smarthost: smtp.example.com:587
  smtp_from: vigil@example.com
  smtp_auth_password: hunter2-smtp
receivers:
  - name: team
    webhook_configs: [{url: "https://hooks.example.com/T0K3N?key=abc", max_alerts: 5}]
    email_configs: [{to: ops@example.com}]
    slack_configs: [{api_url_env: SLACK_URL, channel: "#ops"}]
    pagerduty_configs: [{routing_key: pd-routing-key-123}]
    opsgenie_configs: [{api_key_file: /etc/vigil/opsgenie}]
    telegram_configs: [{bot_token: tg-bot-token-456, chat_id: 5}]
    discord_configs: [{webhook_url: "https://discord.com/api/webhooks/1/discord-secret"}]
    webex_configs: [{room_id: r, http_config: {authorization: {credentials: webex-cred-789}}}]
    pushover_configs: [{user_key: po-user, token: po-token, retry: 2m}]
  - name: vigil-only
    log_configs: [{}]
    ntfy_configs: [{topic: ops}]
time_intervals:
  - name: business-hours
    time_intervals:
      - times: [{start_time: "09:00", end_time: "17:30"}]
        weekdays: ['monday:friday']
        location: Europe/Berlin
mute_time_intervals:
  - name: month-end
    time_intervals: [{days_of_month: ['-3:-1'], months: [january, 'march:may'], years: ['2026:2027']}]
route:
  receiver: team
  routes:
    - {receiver: vigil-only, matchers: [team="x"], mute_time_intervals: [month-end], active_time_intervals: [business-hours]}
`;

test("config.original: Alertmanager's schema with receivers' settings and whole time intervals; no secret shown", { skip: amtoolSkip() }, () => {
  const r = parseConfigText(CONFIG, 'vigil.yml');
  assert.ok(r.ok, JSON.stringify(r));
  const text = alertmanagerConfigText(r.config);
  for (const secret of ['hunter2-smtp', 'T0K3N', 'key=abc', 'pd-routing-key-123', 'tg-bot-token-456', 'discord-secret', 'webex-cred-789', 'po-user', 'po-token']) assert.ok(!text.includes(secret), `${secret} must not show`);

  const dir = mkdtempSync(join(tmpdir(), 'vigil-amcfg-'));
  try {
    writeFileSync(join(dir, 'am.yml'), text);
    const check = spawnSync(AMTOOL, ['check-config', join(dir, 'am.yml')], { encoding: 'utf8' });
    assert.equal(check.status, 0, `${check.stdout}${check.stderr}\n${text}`);
    const routed = spawnSync(AMTOOL, ['config', 'routes', 'test', `--config.file=${join(dir, 'am.yml')}`, 'team=x'], { encoding: 'utf8' });
    assert.equal(routed.stdout.trim(), 'vigil-only', routed.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const am = parse(text) as {
    global: Record<string, unknown>;
    receivers: Array<Record<string, Array<Record<string, unknown>>> & { name: string }>;
    time_intervals: unknown;
    mute_time_intervals: unknown;
  };
  assert.equal(am.global['smtp_auth_password'], '<secret>');
  const team = am.receivers[0];
  assert.deepEqual(Object.keys(team ?? {}), ['name', 'webhook_configs', 'email_configs', 'slack_configs', 'pagerduty_configs', 'opsgenie_configs', 'telegram_configs', 'discord_configs', 'webex_configs', 'pushover_configs']);
  assert.equal(team?.webhook_configs?.[0]?.['url'], 'https://hooks.example.com/<secret>');
  assert.equal(team?.webhook_configs?.[0]?.['max_alerts'], 5);
  assert.equal(team?.slack_configs?.[0]?.['api_url'], '<secret>', 'set from the environment: shown as set');
  assert.equal(team?.opsgenie_configs?.[0]?.['api_key'], '<secret>');
  assert.equal(team?.pushover_configs?.[0]?.['retry'], '2m');
  assert.deepEqual(am.receivers[1], { name: 'vigil-only' }, "Vigil's own integrations are left out");
  assert.deepEqual(am.time_intervals, [{ name: 'business-hours', time_intervals: [{ times: [{ start_time: '09:00', end_time: '17:30' }], weekdays: ['monday:friday'], location: 'Europe/Berlin' }] }]);
  assert.deepEqual(am.mute_time_intervals, [{ name: 'month-end', time_intervals: [{ days_of_month: ['-3:-1'], months: ['january', 'march:may'], years: ['2026:2027'] }] }]);
});

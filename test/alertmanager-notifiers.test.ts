import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFile } from '../src/config/index.js';
import { fingerprint } from '../src/model/labels.js';
import { goTemplates, Integrations, processSecrets, type NotificationMessage } from '../src/notify/index.js';
import { fakeHttp, json, type FakeHttp, type PeerRequest } from '../src/notify/testing/fake-http.js';
import { fakeSmtp, type FakeSmtp } from '../src/notify/testing/fake-smtp.js';
import { eventually, freePort } from './helpers/services.js';

/**
 * The same alertmanager.yml in the real Alertmanager (Debian's prometheus-alertmanager) and in
 * Vigil, the same alert through both, and the requests each sends to the same fake vendors
 * compared field by field. What differs differs on purpose and is listed (product name, links
 * into Vigil instead of Alertmanager's UI, Slack's default text).
 */
const AM = 'prometheus-alertmanager';
const haveAM = spawnSync('sh', ['-c', `command -v ${AM}`]).status === 0;
const skip = haveAM ? false : `${AM} is not installed (Debian package prometheus-alertmanager; .ci/run installs it)`;

const EXTERNAL = 'http://am.test';
const STARTS = '2026-01-01T10:00:00Z';
const LABELS = { alertname: 'DiskFull', severity: 'critical', instance: 'db1:9100' };
const ANNOTATIONS = { summary: 'disk full on db1', description: 'less than 1% left' };

let dir = '';
let vendor: FakeHttp;
let smtp: FakeSmtp;
let am: ChildProcess | undefined;
let amPort = 0;
/** Requests by source ('am' or 'vigil') and integration. */
const got: Record<'am' | 'vigil', Record<string, PeerRequest[]>> = { am: {}, vigil: {} };
let source: 'am' | 'vigil' = 'am';

function integrationOf(url: string): string {
  return url.split('/')[1] ?? '';
}

function config(v: string): string {
  return `global:
  smtp_smarthost: 127.0.0.1:${smtp.port}
  smtp_from: alertmanager@example.com
  smtp_require_tls: false
route:
  receiver: all
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1m
  repeat_interval: 1h
receivers:
  - name: all
    webhook_configs:
      - url: ${v}/webhook/hook
    slack_configs:
      - api_url: ${v}/slack/services/T0/B0/XXXXXXXX
        channel: '#ops'
    pagerduty_configs:
      - routing_key: R0123456789abcdef0123456789abcde
        url: ${v}/pagerduty/v2/enqueue
    opsgenie_configs:
      - api_key: genie-key
        api_url: ${v}/opsgenie/
    discord_configs:
      - webhook_url: ${v}/discord/api/webhooks/1/tok
    webex_configs:
      - api_url: ${v}/webex/v1/messages
        room_id: room-1
        http_config: {authorization: {credentials: webex-bot}}
    telegram_configs:
      - api_url: ${v}/telegram
        bot_token: '123:abc'
        chat_id: 42
    email_configs:
      - to: ops@example.com
`;
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'vigil-am-compat-'));
  vendor = await fakeHttp((req) => {
    const key = integrationOf(req.url);
    (got[source][key] ??= []).push(req);
    if (key === 'slack') return { status: 200, body: 'ok', contentType: 'text/html' };
    if (key === 'pagerduty') return json({ status: 'success', message: 'Event processed' }, 202);
    if (key === 'opsgenie') return json({ result: 'Request will be processed' }, 202);
    if (key === 'discord') return { status: 204 };
    if (key === 'telegram') return json({ ok: true, result: { message_id: 1, date: 0, chat: { id: 42, type: 'private' }, text: 'x' } });
    return json({});
  });
  smtp = await fakeSmtp();
  writeFileSync(join(dir, 'alertmanager.yml'), config(vendor.url));
  const check = spawnSync('amtool', ['check-config', join(dir, 'alertmanager.yml')], { encoding: 'utf8' });
  assert.equal(check.status, 0, `amtool check-config: ${check.stdout}${check.stderr}`);
  amPort = await freePort();
  am = spawn(AM, [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${amPort}`, `--web.external-url=${EXTERNAL}`, '--cluster.listen-address=', '--log.level=warn'], { stdio: 'ignore' });
  await eventually('alertmanager ready', async () => ((await fetch(`http://127.0.0.1:${amPort}/-/ready`).catch(() => undefined))?.ok ? true : undefined));
});

after(async () => {
  if (skip) return;
  am?.kill('SIGKILL');
  await vendor.close();
  await smtp.close();
  rmSync(dir, { recursive: true, force: true });
});

const body = (key: string, who: 'am' | 'vigil'): Record<string, unknown> => JSON.parse(got[who][key]?.[0]?.body ?? 'null') as Record<string, unknown>;

test('Alertmanager and Vigil send the same notification for the same alertmanager.yml', { skip }, async () => {
  const r = await fetch(`http://127.0.0.1:${amPort}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{ labels: LABELS, annotations: ANNOTATIONS, startsAt: STARTS, generatorURL: 'http://prom.test/graph?g0.expr=disk' }]),
  });
  assert.equal(r.status, 200);
  const keys = ['webhook', 'slack', 'pagerduty', 'opsgenie', 'discord', 'webex', 'telegram'];
  await eventually('every Alertmanager notification', async () => (keys.every((k) => got.am[k]?.length) && smtp.mails.length > 0 ? true : undefined), 60_000);

  // Vigil, from the same file, sending the notification Alertmanager's dispatcher would.
  source = 'vigil';
  const loaded = loadConfigFile(join(dir, 'alertmanager.yml'));
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.errors.join('\n'));
  if (!loaded.ok) return;
  const deps = { externalURL: EXTERNAL, logLine: () => undefined, templates: goTemplates(), secrets: processSecrets };
  const integrations = Integrations.fromConfig(loaded.config.receivers, deps, loaded.config.global);
  const hook = JSON.parse(got.am.webhook?.[0]?.body ?? '{}') as { groupKey: string; alerts: Array<{ fingerprint: string; startsAt: string }> };
  const msg: NotificationMessage = {
    receiver: 'all',
    groupKey: hook.groupKey,
    groupLabels: { alertname: 'DiskFull' },
    alerts: [{ status: 'firing', labels: LABELS, annotations: ANNOTATIONS, startsAt: Date.parse(STARTS), endsAt: 0, generatorURL: 'http://prom.test/graph?g0.expr=disk', fingerprint: fingerprint(LABELS) }],
  };
  assert.equal(hook.alerts[0]?.fingerprint, msg.alerts[0]?.fingerprint, 'the same fingerprint');
  for (const i of integrations.forReceiver('all')) assert.deepEqual(await i.notifier.notify(msg, { signal: new AbortController().signal }), { ok: true }, i.type);

  // Webhook: the whole payload.
  assert.deepEqual(body('webhook', 'vigil'), body('webhook', 'am'));

  // Slack: the same message but for the product name, the link into Vigil, and Vigil's text.
  const slack = (who: 'am' | 'vigil') => {
    const b = body('slack', who) as { attachments: Array<Record<string, unknown>> };
    const a = { ...b.attachments[0] };
    delete a.title_link;
    delete a.fallback;
    delete a.text;
    return { ...b, username: undefined, attachments: [a] };
  };
  assert.deepEqual(slack('vigil'), slack('am'));
  assert.equal((body('slack', 'am') as { username: string }).username, 'Alertmanager');
  assert.equal((body('slack', 'vigil') as { username: string }).username, 'Vigil');

  // PagerDuty: dedup key, summary, severity and the counts the same. The alerts in the
  // details are JSON since Alertmanager 0.27 (Debian's 0.25 sends the text list); Vigil
  // follows the newer one.
  const pd = (who: 'am' | 'vigil') => {
    const b = body('pagerduty', who) as { payload: { custom_details: Record<string, unknown> } & Record<string, unknown> } & Record<string, unknown>;
    return { ...b, client: undefined, client_url: undefined, payload: { ...b.payload, source: undefined, custom_details: { ...b.payload.custom_details, firing: undefined, resolved: undefined } } };
  };
  assert.deepEqual(pd('vigil'), pd('am'));

  // Opsgenie: alias, message, description, details the same; source is the link.
  const og = (who: 'am' | 'vigil') => ({ ...body('opsgenie', who), source: undefined });
  assert.deepEqual(og('vigil'), og('am'));
  assert.equal(got.vigil.opsgenie?.[0]?.headers.authorization, got.am.opsgenie?.[0]?.headers.authorization);

  // Discord, Webex, Telegram: the same texts.
  assert.deepEqual(body('discord', 'vigil'), body('discord', 'am'));
  assert.deepEqual(body('webex', 'vigil'), body('webex', 'am'));
  assert.equal(got.vigil.webex?.[0]?.headers.authorization, got.am.webex?.[0]?.headers.authorization);
  assert.equal(got.vigil.telegram?.[0]?.url, got.am.telegram?.[0]?.url);
  // Alertmanager's Telegram client sends every parameter as a string ("true"); the Bot API
  // takes both, Vigil sends JSON booleans.
  const tg = (who: 'am' | 'vigil') => Object.fromEntries(Object.entries(body('telegram', who)).map(([k, v]) => [k, String(v)]));
  assert.deepEqual(tg('vigil'), tg('am'));

  // Email: the subject line and the addresses.
  await eventually('Vigil’s mail', async () => (smtp.mails.length > 1 ? true : undefined));
  const subject = (data: string) => /^Subject: (.*)$/m.exec(data)?.[1];
  assert.equal(subject(smtp.mails[1]?.data ?? ''), subject(smtp.mails[0]?.data ?? ''));
  assert.deepEqual(smtp.mails[1]?.to, smtp.mails[0]?.to);
});

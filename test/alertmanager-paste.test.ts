import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFile } from '../src/config/index.js';

/**
 * Shapes seen in public alertmanager.yml files, each pasted into a vigil.yml: Vigil must accept
 * what `amtool check-config` (0.25) accepts and reject what it rejects, with an error naming
 * the place — or differ on purpose, as documented (unsupported integrations).
 */
const haveAmtool = spawnSync('sh', ['-c', 'command -v amtool']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'vigil-am-paste-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const RECEIVERS = `receivers:
  - name: ops
    webhook_configs:
      - url: http://127.0.0.1:9/hook
  - name: mail
    email_configs:
      - to: ops@example.org
`;

type Case = { name: string; yaml: string; amtool: boolean; vigil: RegExp | 'ok' };

const CASES: Case[] = [
  {
    name: 'an empty global: takes the defaults',
    yaml: `global:\nroute:\n  receiver: ops\n${RECEIVERS.replace(/  - name: mail[\s\S]*/, '')}`,
    amtool: true,
    vigil: 'ok',
  },
  {
    name: "a child route's empty receiver: inherits its parent's",
    yaml: `global:\n  smtp_smarthost: smtp.example.org:587\n  smtp_from: am@example.org\nroute:\n  receiver: ops\n  group_by:\n  routes:\n    - matchers: [team="db"]\n      receiver:\n      group_by:\n    - matchers: [team="web"]\n      receiver: mail\ninhibit_rules:\n  - source_matchers: [severity="critical"]\n    target_matchers: [severity="warning"]\n    equal:\n${RECEIVERS}`,
    amtool: true,
    vigil: 'ok',
  },
  {
    name: 'an empty secret is an unset one',
    yaml: `global:\n  smtp_smarthost: smtp.example.org:587\n  smtp_from: am@example.org\n  smtp_auth_password: ""\nroute:\n  receiver: mail\n${RECEIVERS.replace('      - to: ops@example.org', '      - to: ops@example.org\n        auth_username: ""\n        auth_password: ""')}`,
    amtool: true,
    vigil: 'ok',
  },
  {
    name: "YAML 1.1's booleans (yes/no/on/off), which Go's YAML reads",
    yaml: `global:\n  smtp_require_tls: no\nroute:\n  receiver: ops\n  routes:\n    - matchers: [team="db"]\n      receiver: ops\n      continue: yes\n${RECEIVERS.replace('url: http://127.0.0.1:9/hook', 'url: http://127.0.0.1:9/hook\n        send_resolved: off').replace(/  - name: mail[\s\S]*/, '')}`,
    amtool: true,
    vigil: 'ok',
  },
  {
    name: 'an empty URL is an error',
    yaml: `route:\n  receiver: ops\n${RECEIVERS.replace('url: http://127.0.0.1:9/hook', 'url: ""').replace(/  - name: mail[\s\S]*/, '')}`,
    amtool: false,
    vigil: /receivers\[0\]\.webhook_configs\[0\]\.url: must not be empty/,
  },
  {
    name: 'global.smtp_smarthost without a port, though no receiver uses it',
    yaml: `global:\n  smtp_smarthost: localhost\nroute:\n  receiver: ops\n${RECEIVERS.replace(/  - name: mail[\s\S]*/, '')}`,
    amtool: false,
    vigil: /global\.smtp_smarthost: address "localhost": expected host:port/,
  },
  {
    name: 'global.slack_api_url that is no URL, though no receiver uses it',
    yaml: `global:\n  slack_api_url: YOUR_SLACK_WEBHOOK_URL\nroute:\n  receiver: ops\n${RECEIVERS.replace(/  - name: mail[\s\S]*/, '')}`,
    amtool: false,
    vigil: /global\.slack_api_url: expected an absolute http:\/\/ or https:\/\/ URL/,
  },
  {
    name: 'an integration Vigil lacks (a documented difference)',
    yaml: `global:\n  wechat_api_corp_id: corp\n  wechat_api_secret: s3cret\nroute:\n  receiver: wx\nreceivers:\n  - name: wx\n    wechat_configs:\n      - agent_id: '1'\n        to_user: '@all'\n`,
    amtool: true,
    vigil: /receivers\[0\]\.wechat_configs: Alertmanager's WeChat integration is not supported by Vigil/,
  },
];

for (const c of CASES) {
  test(`alertmanager.yml pasted: ${c.name}`, () => {
    const file = join(dir, `${CASES.indexOf(c)}.yml`);
    writeFileSync(file, c.yaml);
    if (haveAmtool) {
      const am = spawnSync('amtool', ['check-config', file], { encoding: 'utf8' });
      assert.equal(am.status === 0, c.amtool, `amtool check-config: ${am.stdout}${am.stderr}`);
    }
    const r = loadConfigFile(file);
    if (c.vigil === 'ok') {
      assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
      if (c.name.startsWith('YAML 1.1')) {
        assert.equal(r.config.global.smtp_require_tls, false);
        assert.equal(r.config.route.routes?.[0]?.continue, true);
        assert.equal(r.config.receivers[0]?.webhook_configs?.[0]?.send_resolved, false);
      }
    } else {
      assert.ok(!r.ok, 'Vigil accepted it');
      assert.match(r.errors.join('\n'), c.vigil);
    }
  });
}

test('alertmanager.yml pasted: the WeChat global keys are named as unsupported, not misspelt', () => {
  const file = join(dir, 'wechat-global.yml');
  writeFileSync(file, `global:\n  wechat_api_url: https://qyapi.weixin.qq.com/cgi-bin/\nroute:\n  receiver: ops\nreceivers:\n  - name: ops\n`);
  const r = loadConfigFile(file);
  assert.ok(!r.ok);
  assert.deepEqual(r.errors, [`global.wechat_api_url: Alertmanager's WeChat integration is not supported by Vigil (see "Receivers" in docs/notifications.md; webhook_configs can reach most services)`]);
});

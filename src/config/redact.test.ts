import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfigText } from './load.js';
import { redactConfig } from './redact.js';

test('the config API shows no inline secret: notifiers, global, http_config, remote write', () => {
  const secrets = ['hooks-TOKEN-123', 'smtp-pass-456', 'xoxb-app-789', 'R0123456789abcdef0123456789abcde', 'basic-pw-000', 'genie-key-111', 'bot-tok-222', 'twilio-333', 'bearer-444', 'rw-pass-555'];
  const yaml = `
global:
  smtp_smarthost: smtp.example.com:587
  smtp_from: vigil@example.com
  smtp_auth_username: vigil
  smtp_auth_password: ${secrets[1]}
  slack_app_token: ${secrets[2]}
  twilio_account_sid: AC1
  twilio_auth_token: ${secrets[7]}
  twilio_from: "+15550000000"
receivers:
  - name: ops
    webhook_configs:
      - url: https://hooks.example.com/x/${secrets[0]}
        http_config: {basic_auth: {username: u, password: ${secrets[4]}}}
    pagerduty_configs:
      - routing_key: ${secrets[3]}
    opsgenie_configs:
      - api_key: ${secrets[5]}
    telegram_configs:
      - bot_token: ${secrets[6]}
        chat_id: 1
    email_configs:
      - to: a@example.com
        auth_password_env: SMTP_PASSWORD
    slack_configs:
      - api_url_file: /run/secrets/slack
        channel: "#ops"
        http_config: {bearer_token: ${secrets[8]}}
remote_write:
  - url: https://prom.example.com/api/v1/write
    basic_auth: {username: u, password: ${secrets[9]}}
route:
  receiver: ops
`;
  const r = parseConfigText(yaml);
  assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
  if (!r.ok) return;
  const shown = JSON.stringify(redactConfig(r.config));
  for (const s of secrets) assert.ok(!shown.includes(s), `${s} is shown: ${shown}`);
  assert.match(shown, /"auth_password_env":"SMTP_PASSWORD"/);
  assert.match(shown, /"api_url_file":"\/run\/secrets\/slack"/);
  assert.match(shown, /"routing_key":"<secret>"/);
  assert.match(shown, /"channel":"#ops"/);
});

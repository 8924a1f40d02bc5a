import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { UsageError, type Command, type CliIO } from './command.js';

const usage = `Usage: vigil init [FILE]

Prints a commented starter vigil.yml (or writes it to FILE, which must not exist yet):
a check, people, an on-call schedule, an escalation policy and routes by severity —
critical pages the on-call engineer (a push, an SMS, then a phone call) and escalates;
high goes to email and Slack; medium to Slack; low notifies nobody (API and UI only).
Edit the contacts and secrets, then run \`vigil check-config FILE\`.
`;

/** The starter configuration. test/init.test.ts checks that it passes check-config. */
export const STARTER_CONFIG = `# vigil.yml: a starter configuration. Every key is described in docs/configuration.md;
# people, schedules and escalation in docs/oncall.md. Validate with: vigil check-config vigil.yml

server:
  listen: 127.0.0.1:9797
  # external_url: https://vigil.example.com   # where links in pages and notifications point

services:
  - name: shop-api
    owner: team-shop

checks:
  - name: shop-api-health
    service: shop-api
    type: http
    url: http://127.0.0.1:8080/health
    interval: 30s
    expect: {status: [200]}
    severity: critical          # critical | high | medium | low: decides who is told, below

# How Vigil reaches people and channels. Secrets come from the environment (*_env) or files
# (*_file), never from this file.
global:
  smtp_smarthost: smtp.example.com:587
  smtp_from: vigil@example.com
  smtp_auth_username: vigil@example.com
  smtp_auth_password_env: VIGIL_SMTP_PASSWORD
  slack_app_token_env: VIGIL_SLACK_BOT_TOKEN   # a bot token (xoxb-…): Slack DMs to people
  twilio_account_sid: ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
  twilio_auth_token_env: VIGIL_TWILIO_AUTH_TOKEN
  twilio_from: "+15550000000"                  # the number SMS and calls come from
  pushover_token_env: VIGIL_PUSHOVER_TOKEN     # the Pushover application token: push to phones

people:
  - name: alice
    full_name: Alice Example
    time_zone: Europe/Berlin
    contacts: {email: alice@example.com, slack: U012ABCDE, phone: "+15551230001", pushover: uQiRzpo4DXghDmr9QzzfQu27cmVRsG}
    notification_rules:
      - {after: 0m, via: [pushover, sms]}  # a push to her phone and an SMS at once
      - {after: 5m, via: [voice]}        # a phone call if nobody acknowledged within 5 minutes
  - name: bob
    full_name: Bob Example
    time_zone: America/New_York
    contacts: {email: bob@example.com, slack: U045FGHIJ, phone: "+15551230002", pushover: gznej3rKEVAvPUxu9vvNnqpmZpokzF}
    notification_rules:
      - {after: 0m, via: [pushover, sms]}
      - {after: 5m, via: [voice]}
  - name: carol                          # the engineering manager
    contacts: {email: carol@example.com, phone: "+15551230003"}
    notification_rules:
      - {after: 0m, via: [sms, email]}
      - {after: 5m, via: [voice]}

teams:
  - name: leads
    members: [carol]

schedules:
  - name: primary
    time_zone: Europe/Berlin
    layers:
      - name: weekly
        rotation: weekly                 # daily | weekly | a duration such as 12h
        start: "2026-11-02T09:00"        # first handoff, local time in the schedule's zone
        members: [alice, bob]

escalation_policies:
  - name: critical
    repeat: 2                            # start over from level 1 twice if nobody acknowledges
    ack_timeout: 2h                      # acknowledged but unresolved for 2h: page again
    levels:
      - targets: [{schedule: primary}]   # whoever is on call: 5 minutes to acknowledge
        escalate_after: 5m
      - targets: [{team: leads}]
        escalate_after: 15m

receivers:
  - name: pager                          # critical: pages people through the policy
    escalation_policy: critical
  - name: email-and-slack                # high
    email_configs:
      - to: oncall@example.com
    slack_configs:
      - api_url_env: VIGIL_SLACK_WEBHOOK_URL   # an incoming webhook of #ops
        channel: "#ops"
  - name: slack                          # medium
    slack_configs:
      - api_url_env: VIGIL_SLACK_WEBHOOK_URL
        channel: "#ops"
  - name: nobody                         # low: no notification; visible in the API and UI

route:
  receiver: nobody
  group_by: [alertname, service]
  routes:
    - matchers: ['severity="critical"']
      receiver: pager
      group_wait: 0s                     # page at once
    - matchers: ['severity="high"']
      receiver: email-and-slack
    - matchers: ['severity="medium"']
      receiver: slack
    - matchers: ['severity="low"']
      receiver: nobody

incidents:
  open_for_severities: [critical, high]
`;

async function run(argv: string[], io: CliIO): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  if (positionals.length > 1) throw new UsageError('init takes at most one FILE');
  const file = positionals[0];
  if (!file) {
    io.stdout(STARTER_CONFIG);
    return 0;
  }
  if (existsSync(file)) {
    io.stderr(`vigil init: ${file} already exists; not overwriting it\n`);
    return 1;
  }
  writeFileSync(file, STARTER_CONFIG, { flag: 'wx' });
  io.stdout(`wrote ${file}; edit its contacts and secrets, then run: vigil check-config ${file}\n`);
  return 0;
}

export const initCommand: Command = { name: 'init', summary: 'print (or write) a commented starter vigil.yml', usage, run };

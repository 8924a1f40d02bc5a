/**
 * Alertmanager keys Vigil knows but does not implement. A file pasted from an alertmanager.yml
 * may have them; "unknown key (check the spelling)" would be wrong for them, so the error says
 * what they are instead.
 */
const INTEGRATIONS: Readonly<Record<string, string>> = {
  wechat_configs: 'WeChat',
  sns_configs: 'Amazon SNS',
  victorops_configs: 'VictorOps (Splunk On-Call)',
  msteams_configs: 'Microsoft Teams through an Office 365 connector (use msteamsv2_configs, Workflows)',
  rocketchat_configs: 'Rocket.Chat',
  jira_configs: 'Jira',
};

const GLOBAL_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['wechat_', 'WeChat'],
  ['victorops_', 'VictorOps (Splunk On-Call)'],
  ['rocketchat_', 'Rocket.Chat'],
  ['jira_', 'Jira'],
];

/** The message for an unknown key at `path`, when it is an Alertmanager key Vigil does not support. */
export function unsupportedAlertmanagerKey(path: ReadonlyArray<PropertyKey>, key: string): string | undefined {
  const what =
    path[0] === 'receivers' && path.length === 2
      ? INTEGRATIONS[key]
      : path.length === 1 && path[0] === 'global'
        ? GLOBAL_PREFIXES.find(([p]) => key.startsWith(p))?.[1]
        : undefined;
  return what && `Alertmanager's ${what} integration is not supported by Vigil (see "Receivers" in docs/notifications.md; webhook_configs can reach most services)`;
}

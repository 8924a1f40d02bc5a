import { HTTP_CONFIG_SECRETS } from '../common/http-config.js';
import { hasSecret } from '../common/secrets.js';
import { inheritSecret, withGlobalHttp } from '../global.js';
import type { ConfigProblem, NotifierSpec } from '../spec.js';
import type { SlackConfig } from './config.js';
import { slackConfigSchema } from './config.js';
import { SlackNotifier } from './slack.js';

export const slackSpec = {
  type: 'slack',
  schema: slackConfigSchema,
  secrets: ['api_url', 'app_token', ...HTTP_CONFIG_SECRETS.map((p) => `http_config.${p}`)],
  applyGlobal: (config, g) => {
    const problems: ConfigProblem[] = [];
    let c: SlackConfig = withGlobalHttp({ ...config, app_url: config.app_url ?? g.slack_app_url }, g);
    // The global app token only when the entry has no webhook URL and no authorization of its own.
    if (!hasSecret(c, 'app_token') && !hasSecret(c, 'api_url') && !config.http_config?.authorization) c = inheritSecret(c, 'app_token', g, 'slack_app_token');
    if (!hasSecret(c, 'api_url') && !hasSecret(c, 'app_token')) c = inheritSecret(c, 'api_url', g, 'slack_api_url');
    if (!hasSecret(c, 'api_url') && !hasSecret(c, 'app_token')) {
      problems.push({ path: [], message: 'no Slack API URL nor App token set either inline or in a file (set api_url or app_token here, or global.slack_api_url / global.slack_app_token)' });
    }
    if (hasSecret(c, 'app_token') && c.http_config?.authorization) {
      problems.push({ path: ['http_config', 'authorization'], message: "http authorization can't be set when using Slack App tokens" });
    }
    return { config: c, problems };
  },
  create: (config, deps) => new SlackNotifier(config, deps),
  // A DM: chat.postMessage to the user id (U012ABCDE) with the global app token, in Block Kit.
  contact: {
    channels: ['slack'],
    config: (_channel, address) => ({ channel: address, send_resolved: true, blocks: '{{ template "slack.vigil.blocks" . }}' }),
  },
} satisfies NotifierSpec<typeof slackConfigSchema>;

import { HTTP_CONFIG_SECRETS } from '../common/http-config.js';
import { hasSecret } from '../common/secrets.js';
import { inheritSecret, withGlobalHttp } from '../global.js';
import type { NotifierSpec } from '../spec.js';
import { mattermostConfigSchema } from './config.js';
import { MattermostNotifier } from './mattermost.js';

export const mattermostSpec = {
  type: 'mattermost',
  schema: mattermostConfigSchema,
  secrets: ['webhook_url', ...HTTP_CONFIG_SECRETS.map((p) => `http_config.${p}`)],
  applyGlobal: (config, g) => {
    const c = inheritSecret(withGlobalHttp(config, g), 'webhook_url', g, 'mattermost_webhook_url');
    return { config: c, problems: hasSecret(c, 'webhook_url') ? [] : [{ path: ['webhook_url'], message: 'no global Mattermost Webhook URL set either inline or in a file (set webhook_url here or global.mattermost_webhook_url)' }] };
  },
  create: (config, deps) => new MattermostNotifier(config, deps),
} satisfies NotifierSpec<typeof mattermostConfigSchema>;

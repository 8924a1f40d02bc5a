import { HTTP_CONFIG_SECRETS } from '../common/http-config.js';
import { hasSecret } from '../common/secrets.js';
import { inheritSecret, withGlobalHttp } from '../global.js';
import type { NotifierSpec } from '../spec.js';
import { pushoverConfigSchema } from './config.js';
import { PushoverNotifier } from './pushover.js';

export const pushoverSpec = {
  type: 'pushover',
  schema: pushoverConfigSchema,
  secrets: ['user_key', 'token', ...HTTP_CONFIG_SECRETS.map((p) => `http_config.${p}`)],
  applyGlobal: (config, g) => {
    const c = inheritSecret(withGlobalHttp(config, g), 'token', g, 'pushover_token');
    return { config: c, problems: hasSecret(c, 'token') ? [] : [{ path: ['token'], message: 'one of token or token_file must be configured (or global.pushover_token)' }] };
  },
  create: (config, deps) => new PushoverNotifier(config, deps),
  contact: { channels: ['pushover'], config: (_channel, address) => ({ user_key: address }) },
} satisfies NotifierSpec<typeof pushoverConfigSchema>;

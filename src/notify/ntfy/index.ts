import { HTTP_CONFIG_SECRETS } from '../common/http-config.js';
import { inheritSecret, withGlobalHttp } from '../global.js';
import type { NotifierSpec } from '../spec.js';
import { ntfyConfigSchema } from './config.js';
import { NtfyNotifier } from './ntfy.js';

export const ntfySpec = {
  type: 'ntfy',
  schema: ntfyConfigSchema,
  secrets: ['token', ...HTTP_CONFIG_SECRETS.map((p) => `http_config.${p}`)],
  applyGlobal: (config, g) => ({ config: inheritSecret(withGlobalHttp({ ...config, url: config.url ?? g.ntfy_url }, g), 'token', g, 'ntfy_token'), problems: [] }),
  create: (config, deps) => new NtfyNotifier(config, deps),
  contact: { channels: ['ntfy'], config: (_channel, address) => ({ topic: address }) },
} satisfies NotifierSpec<typeof ntfyConfigSchema>;

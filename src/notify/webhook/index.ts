import type { NotifierSpec } from '../spec.js';
import { HTTP_CONFIG_SECRETS } from '../common/http-config.js';
import { withGlobalHttp } from '../global.js';
import { webhookConfigSchema } from './config.js';
import { WebhookNotifier } from './webhook.js';

export const webhookSpec = {
  type: 'webhook',
  schema: webhookConfigSchema,
  secrets: ['url', ...HTTP_CONFIG_SECRETS.map((p) => `http_config.${p}`)],
  applyGlobal: (config, global) => ({ config: withGlobalHttp(config, global), problems: [] }),
  create: (config, deps) => new WebhookNotifier(config, deps),
  contact: { channels: ['webhook'], config: (_channel, address) => ({ url: address }) },
} satisfies NotifierSpec<typeof webhookConfigSchema>;

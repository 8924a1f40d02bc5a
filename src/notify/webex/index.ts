import { HTTP_CONFIG_SECRETS } from '../common/http-config.js';
import type { NotifierSpec } from '../spec.js';
import { webexConfigSchema } from './config.js';
import { WebexNotifier } from './webex.js';

export const webexSpec = {
  type: 'webex',
  schema: webexConfigSchema,
  secrets: HTTP_CONFIG_SECRETS.map((p) => `http_config.${p}`),
  applyGlobal: (config, g) => ({ config: { ...config, api_url: config.api_url ?? g.webex_api_url }, problems: [] }),
  create: (config, deps) => new WebexNotifier(config, deps),
} satisfies NotifierSpec<typeof webexConfigSchema>;

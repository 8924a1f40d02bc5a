import { HTTP_CONFIG_SECRETS } from '../common/http-config.js';
import { withGlobalHttp } from '../global.js';
import type { NotifierSpec } from '../spec.js';
import { pagerdutyConfigSchema } from './config.js';
import { PagerdutyNotifier } from './pagerduty.js';

export const pagerdutySpec = {
  type: 'pagerduty',
  schema: pagerdutyConfigSchema,
  secrets: ['routing_key', 'service_key', ...HTTP_CONFIG_SECRETS.map((p) => `http_config.${p}`)],
  applyGlobal: (config, g) => ({ config: withGlobalHttp({ ...config, url: config.url ?? g.pagerduty_url }, g), problems: [] }),
  create: (config, deps) => new PagerdutyNotifier(config, deps),
} satisfies NotifierSpec<typeof pagerdutyConfigSchema>;

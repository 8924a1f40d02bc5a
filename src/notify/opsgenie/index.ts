import { HTTP_CONFIG_SECRETS } from '../common/http-config.js';
import { hasSecret } from '../common/secrets.js';
import { inheritSecret, withGlobalHttp } from '../global.js';
import type { NotifierSpec } from '../spec.js';
import { opsgenieConfigSchema } from './config.js';
import { OpsgenieNotifier } from './opsgenie.js';

export const opsgenieSpec = {
  type: 'opsgenie',
  schema: opsgenieConfigSchema,
  secrets: ['api_key', ...HTTP_CONFIG_SECRETS.map((p) => `http_config.${p}`)],
  applyGlobal: (config, g) => {
    const c = inheritSecret(withGlobalHttp({ ...config, api_url: config.api_url ?? g.opsgenie_api_url }, g), 'api_key', g, 'opsgenie_api_key');
    return { config: c, problems: hasSecret(c, 'api_key') ? [] : [{ path: ['api_key'], message: 'no global OpsGenie API Key set either inline or in a file (set api_key here or global.opsgenie_api_key)' }] };
  },
  create: (config, deps) => new OpsgenieNotifier(config, deps),
} satisfies NotifierSpec<typeof opsgenieConfigSchema>;

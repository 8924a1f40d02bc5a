import { HTTP_CONFIG_SECRETS } from '../common/http-config.js';
import { withGlobalHttp } from '../global.js';
import type { NotifierSpec } from '../spec.js';
import { msteamsv2ConfigSchema } from './config.js';
import { Msteamsv2Notifier } from './msteamsv2.js';

export const msteamsv2Spec = {
  type: 'msteamsv2',
  schema: msteamsv2ConfigSchema,
  secrets: ['webhook_url', ...HTTP_CONFIG_SECRETS.map((p) => `http_config.${p}`)],
  applyGlobal: (config, g) => ({ config: withGlobalHttp(config, g), problems: [] }),
  create: (config, deps) => new Msteamsv2Notifier(config, deps),
} satisfies NotifierSpec<typeof msteamsv2ConfigSchema>;

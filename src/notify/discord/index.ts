import { HTTP_CONFIG_SECRETS } from '../common/http-config.js';
import { withGlobalHttp } from '../global.js';
import type { NotifierSpec } from '../spec.js';
import { discordConfigSchema } from './config.js';
import { DiscordNotifier } from './discord.js';

export const discordSpec = {
  type: 'discord',
  schema: discordConfigSchema,
  secrets: ['webhook_url', ...HTTP_CONFIG_SECRETS.map((p) => `http_config.${p}`)],
  applyGlobal: (config, g) => ({ config: withGlobalHttp(config, g), problems: [] }),
  create: (config, deps) => new DiscordNotifier(config, deps),
} satisfies NotifierSpec<typeof discordConfigSchema>;

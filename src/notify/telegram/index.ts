import { HTTP_CONFIG_SECRETS } from '../common/http-config.js';
import { hasSecret } from '../common/secrets.js';
import { inheritSecret, withGlobalHttp } from '../global.js';
import type { NotifierSpec } from '../spec.js';
import { telegramConfigSchema } from './config.js';
import { TelegramNotifier } from './telegram.js';

export const telegramSpec = {
  type: 'telegram',
  schema: telegramConfigSchema,
  secrets: ['bot_token', ...HTTP_CONFIG_SECRETS.map((p) => `http_config.${p}`)],
  applyGlobal: (config, g) => {
    const c = inheritSecret(withGlobalHttp({ ...config, api_url: config.api_url ?? g.telegram_api_url }, g), 'bot_token', g, 'telegram_bot_token');
    return { config: c, problems: hasSecret(c, 'bot_token') ? [] : [{ path: ['bot_token'], message: 'missing bot_token or bot_token_file on telegram_config (or global.telegram_bot_token)' }] };
  },
  create: (config, deps) => new TelegramNotifier(config, deps),
  contact: { channels: ['telegram'], config: (_channel, address) => ({ chat_id: address, send_resolved: true }) },
} satisfies NotifierSpec<typeof telegramConfigSchema>;

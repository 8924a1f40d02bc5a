import { HTTP_CONFIG_SECRETS } from '../common/http-config.js';
import { hasSecret } from '../common/secrets.js';
import { inheritSecret, withGlobalHttp } from '../global.js';
import type { ConfigProblem, NotifierSpec } from '../spec.js';
import type { TwilioConfig } from './config.js';
import { twilioConfigSchema } from './config.js';
import { TwilioNotifier } from './twilio.js';

export const twilioSpec = {
  type: 'twilio',
  schema: twilioConfigSchema,
  secrets: ['auth_token', ...HTTP_CONFIG_SECRETS.map((p) => `http_config.${p}`)],
  applyGlobal: (config, g) => {
    let c: TwilioConfig = withGlobalHttp(
      { ...config, account_sid: config.account_sid ?? g.twilio_account_sid, from: config.from ?? g.twilio_from, api_url: config.api_url ?? g.twilio_api_url },
      g,
    );
    c = inheritSecret(c, 'auth_token', g, 'twilio_auth_token');
    const problems: ConfigProblem[] = [];
    if (!c.account_sid) problems.push({ path: ['account_sid'], message: 'no Twilio account SID set (set account_sid here or global.twilio_account_sid)' });
    if (!hasSecret(c, 'auth_token')) problems.push({ path: ['auth_token'], message: 'no Twilio auth token set (set auth_token, auth_token_file or auth_token_env here or in global.twilio_auth_token*)' });
    if (!c.from && !c.messaging_service_sid) problems.push({ path: ['from'], message: 'no sender set (set from here or global.twilio_from, or messaging_service_sid for SMS)' });
    return { config: c, problems };
  },
  create: (config, deps) => new TwilioNotifier(config, deps),
  contact: { channels: ['sms', 'voice'], config: (channel, address) => ({ mode: channel === 'voice' ? 'voice' : 'sms', to: address, send_resolved: true }) },
} satisfies NotifierSpec<typeof twilioConfigSchema>;

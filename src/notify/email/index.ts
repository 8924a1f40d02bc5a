import { inheritSecret } from '../global.js';
import type { ConfigProblem, NotifierSpec } from '../spec.js';
import type { EmailConfig } from './config.js';
import { emailConfigSchema } from './config.js';
import { EmailNotifier } from './email.js';

export const emailSpec = {
  type: 'email',
  schema: emailConfigSchema,
  secrets: ['auth_password', 'auth_secret', 'tls_config.key'],
  applyGlobal: (config, g) => {
    const problems: ConfigProblem[] = [];
    let c: EmailConfig = {
      ...config,
      smarthost: config.smarthost ?? g.smtp_smarthost,
      from: config.from ?? g.smtp_from,
      hello: config.hello ?? g.smtp_hello,
      auth_username: config.auth_username ?? g.smtp_auth_username,
      auth_identity: config.auth_identity ?? g.smtp_auth_identity,
      require_tls: config.require_tls ?? g.smtp_require_tls,
      tls_config: config.tls_config ?? g.smtp_tls_config,
      force_implicit_tls: config.force_implicit_tls ?? g.smtp_force_implicit_tls,
    };
    c = inheritSecret(c, 'auth_password', g, 'smtp_auth_password');
    c = inheritSecret(c, 'auth_secret', g, 'smtp_auth_secret');
    if (!c.smarthost) problems.push({ path: ['smarthost'], message: 'no global SMTP smarthost set (set smarthost here or global.smtp_smarthost)' });
    if (!c.from) problems.push({ path: ['from'], message: 'no global SMTP from set (set from here or global.smtp_from)' });
    return { config: c, problems };
  },
  create: (config, deps) => new EmailNotifier(config, deps),
  contact: { channels: ['email'], config: (_channel, address) => ({ to: address, send_resolved: true }) },
} satisfies NotifierSpec<typeof emailConfigSchema>;

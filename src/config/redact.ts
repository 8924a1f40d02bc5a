import { redactGlobal, redactReceivers } from '../notify/index.js';
import type { VigilConfig } from './schema.js';

const REDACTED = '<secret>';
/** Keys whose string values are credentials wherever they appear (remote_write auth, http_config of scrapes, …). */
const SECRET_KEYS = /^(password|bearer_token|credentials|client_secret|secret|token|api_key|auth_token|key)$/;

function redactKnownKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactKnownKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = typeof v === 'string' && SECRET_KEYS.test(k) ? REDACTED : redactKnownKeys(v);
    return out;
  }
  return value;
}

/**
 * The effective configuration as the API shows it: every notifier secret given inline is
 * `<secret>` (each notifier declares its secret fields; webhook URLs count, as they hold
 * tokens), credentials under the usual key names elsewhere too, and template files by name
 * only. `_file` and `_env` keys stay: they name where a secret is, not what it is.
 */
export function redactConfig(config: VigilConfig): Record<string, unknown> {
  const { template_files: files, receivers, global, ...rest } = config;
  return {
    ...(redactKnownKeys(rest) as Record<string, unknown>),
    global: redactKnownKeys(redactGlobal(global)),
    receivers: redactKnownKeys(redactReceivers(receivers)),
    template_files: files.map((f) => f.name),
  };
}

import { deliverHttp, guard, isResult, attemptOptions } from '../common/deliver.js';
import { resolveHttpConfig } from '../common/http-config.js';
import { Redactor, readSecret, secretRef, urlSecrets } from '../common/secrets.js';
import { templateData } from '../common/template-data.js';
import { Renderer } from '../common/templates.js';
import type { NotificationMessage } from '../message.js';
import type { Notifier, NotifyResult } from '../notifier.js';
import type { NotifierDeps } from '../spec.js';
import type { WebhookConfig } from './config.js';
import { buildWebhookPayload } from './payload.js';
import { stringifyFlat } from '../../model/flat-json.js';

/**
 * POSTs Alertmanager's webhook payload (version 4). 2xx is success; network errors, timeouts,
 * 5xx and 429 are retryable; other statuses are not. Credentials (URL userinfo, path and
 * query, http_config) never appear in an error: errors name only scheme, host and port.
 */
export class WebhookNotifier implements Notifier {
  constructor(
    private readonly config: WebhookConfig,
    private readonly deps: Pick<NotifierDeps, 'externalURL' | 'userAgent' | 'templates' | 'secrets'>,
  ) {}

  notify(msg: NotificationMessage, ctx: { readonly signal: AbortSignal }): Promise<NotifyResult> {
    const redactor = new Redactor();
    return guard('webhook', redactor, async () => {
      const ref = secretRef(this.config, 'url');
      if (!ref) return { ok: false, retryable: false, error: 'webhook: no url configured' };
      const raw = readSecret(ref, 'url', this.deps.secrets);
      redactor.add(...urlSecrets(raw));
      // Registered with the redactor before anything can fail.
      const http = resolveHttpConfig(this.config.http_config, this.deps.secrets, redactor);
      // The template data holds every alert of the notification: built only for a templated URL.
      let url = raw;
      if (raw.includes('{{')) {
        const r = new Renderer(this.deps.templates, templateData(msg, this.deps.externalURL));
        url = r.text(raw, 'url');
        if (r.error) throw r.error;
      }
      redactor.add(...urlSecrets(url));
      const body = stringifyFlat(buildWebhookPayload(msg, this.deps.externalURL, this.config.max_alerts));
      const res = await deliverHttp({
        type: 'webhook',
        url,
        body,
        http,
        redactor,
        ...attemptOptions(this.config.timeout, ctx, this.deps),
      });
      return isResult(res) ? res : { ok: true };
    });
  }
}

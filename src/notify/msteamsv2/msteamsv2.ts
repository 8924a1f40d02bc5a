import { post, guard, attemptOptions } from '../common/deliver.js';
import { resolveHttpConfig } from '../common/http-config.js';
import { Redactor, readOptionalSecret, urlSecrets } from '../common/secrets.js';
import { templateData } from '../common/template-data.js';
import { Renderer } from '../common/templates.js';
import { truncateBytes } from '../common/truncate.js';
import type { NotificationMessage } from '../message.js';
import type { Notifier, NotifyResult } from '../notifier.js';
import type { NotifierDeps } from '../spec.js';
import type { Msteamsv2Config } from './config.js';

/** Teams refuses messages over about 28 KB; the text block is cut to keep the card under that. */
const MAX_TEXT_BYTES = 24 * 1024;

/**
 * Alertmanager's msteamsv2 message: one Adaptive Card (version 1.2, full width) with the title
 * as a heading coloured by status and the text below. Vigil adds the message's links as
 * `Action.OpenUrl` buttons.
 */
export class Msteamsv2Notifier implements Notifier {
  constructor(
    private readonly config: Msteamsv2Config,
    private readonly deps: NotifierDeps,
  ) {}

  notify(msg: NotificationMessage, ctx: { readonly signal: AbortSignal }): Promise<NotifyResult> {
    const redactor = new Redactor();
    return guard('msteamsv2', redactor, async () => {
      const c = this.config;
      const url = readOptionalSecret(c, 'webhook_url', this.deps.secrets);
      if (!url) return { ok: false, retryable: false, error: 'msteamsv2: no webhook_url configured' };
      redactor.add(...urlSecrets(url));
      // Registered with the redactor before anything can fail.
      const http = resolveHttpConfig(c.http_config, this.deps.secrets, redactor);
      const data = templateData(msg, this.deps.externalURL);
      const r = new Renderer(this.deps.templates, data);
      const title = r.text(c.title, 'title');
      const text = truncateBytes(r.text(c.text, 'text'), MAX_TEXT_BYTES);
      if (text.truncated) this.deps.logger?.warn('msteamsv2: cut the text to fit Teams', { max_bytes: MAX_TEXT_BYTES });
      if (r.error) throw r.error;
      const links = msg.links ?? [];
      const card = {
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            contentUrl: null,
            content: {
              $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
              type: 'AdaptiveCard',
              version: '1.2',
              body: [
                { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true, style: 'heading', color: data.Status === 'firing' ? 'Attention' : 'Good' },
                { type: 'TextBlock', text: text.text, wrap: true },
              ],
              ...(links.length ? { actions: links.map((l) => ({ type: 'Action.OpenUrl', title: l.text, url: l.url })) } : {}),
              msteams: { width: 'full' },
            },
          },
        ],
      };
      return post({
        type: 'msteamsv2',
        url,
        body: JSON.stringify(card),
        http,
        redactor,
        ...attemptOptions(c.timeout, ctx, this.deps),
      });
    });
  }
}

import { guard, post, jsonDetail, attemptOptions } from '../common/deliver.js';
import { resolveHttpConfig } from '../common/http-config.js';
import { Redactor } from '../common/secrets.js';
import { templateData } from '../common/template-data.js';
import { Renderer } from '../common/templates.js';
import { truncateBytes } from '../common/truncate.js';
import type { NotificationMessage } from '../message.js';
import type { Notifier, NotifyResult } from '../notifier.js';
import type { NotifierDeps } from '../spec.js';
import type { WebexConfig } from './config.js';

/** Webex's limit on a message's markdown. */
const MAX_MESSAGE_BYTES = 7439;

/** Alertmanager's Webex message: `{"markdown": …, "roomId": …}` POSTed to the Messages API. */
export class WebexNotifier implements Notifier {
  constructor(
    private readonly config: WebexConfig,
    private readonly deps: NotifierDeps,
  ) {}

  notify(msg: NotificationMessage, ctx: { readonly signal: AbortSignal }): Promise<NotifyResult> {
    const redactor = new Redactor();
    return guard('webex', redactor, async () => {
      const c = this.config;
      const http = resolveHttpConfig(c.http_config, this.deps.secrets, redactor);
      const r = new Renderer(this.deps.templates, templateData(msg, this.deps.externalURL));
      const markdown = truncateBytes(r.text(c.message, 'message'), MAX_MESSAGE_BYTES);
      if (markdown.truncated) this.deps.logger?.warn('webex: truncated the message', { max_bytes: MAX_MESSAGE_BYTES });
      const roomId = r.text(c.room_id, 'room_id');
      if (r.error) throw r.error;
      return post({
        type: 'webex',
        url: c.api_url ?? 'https://webexapis.com/v1/messages',
        body: JSON.stringify({ markdown: markdown.text, ...(roomId ? { roomId } : {}) }),
        http,
        redactor,
        ...attemptOptions(c.timeout, ctx, this.deps),
        detail: webexError,
      });
    });
  }
}

/** `{"message":"…","errors":[{"description":"…"}],"trackingId":"…"}`. */
const webexError = jsonDetail<{ message?: string; trackingId?: string }>((e) => e.message && `${e.message}${e.trackingId ? ` (trackingId ${e.trackingId})` : ''}`);

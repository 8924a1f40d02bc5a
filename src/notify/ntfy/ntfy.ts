import { guard, post, jsonDetail, attemptOptions } from '../common/deliver.js';
import { resolveHttpConfig } from '../common/http-config.js';
import { Redactor, readOptionalSecret } from '../common/secrets.js';
import { templateData } from '../common/template-data.js';
import { Renderer } from '../common/templates.js';
import { truncateBytes } from '../common/truncate.js';
import type { NotificationMessage } from '../message.js';
import type { Notifier, NotifyResult } from '../notifier.js';
import type { NotifierDeps } from '../spec.js';
import type { NtfyConfig } from './config.js';

/** ntfy turns longer messages into attachments; Vigil keeps them a message. */
const MAX_MESSAGE_BYTES = 4096;
const PRIORITIES: Readonly<Record<string, number>> = { min: 1, low: 2, default: 3, high: 4, urgent: 5, max: 5 };

/**
 * Publishes one ntfy message as JSON to the server's root: topic, title, message, priority,
 * tags, a click URL, and the message's links as `view` action buttons (ntfy shows three).
 */
export class NtfyNotifier implements Notifier {
  constructor(
    private readonly config: NtfyConfig,
    private readonly deps: NotifierDeps,
  ) {}

  notify(msg: NotificationMessage, ctx: { readonly signal: AbortSignal }): Promise<NotifyResult> {
    const redactor = new Redactor();
    return guard('ntfy', redactor, async () => {
      const c = this.config;
      const token = readOptionalSecret(c, 'token', this.deps.secrets);
      redactor.add(token);
      const http = resolveHttpConfig(c.http_config, this.deps.secrets, redactor);
      const r = new Renderer(this.deps.templates, templateData(msg, this.deps.externalURL));
      const topic = r.text(c.topic, 'topic').trim();
      const message = truncateBytes(r.text(c.message, 'message').trim(), MAX_MESSAGE_BYTES);
      if (message.truncated) this.deps.logger?.warn('ntfy: truncated the message', { max_bytes: MAX_MESSAGE_BYTES });
      const priorityText = r.text(c.priority, 'priority').trim().toLowerCase();
      const priority = /^[1-5]$/.test(priorityText) ? Number(priorityText) : PRIORITIES[priorityText];
      const tags = r
        .text(c.tags, 'tags')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const click = r.text(c.click, 'click');
      const icon = r.text(c.icon, 'icon');
      const title = r.text(c.title, 'title');
      if (r.error) throw r.error;
      const actions = (msg.links ?? []).slice(0, 3).map((l) => ({ action: 'view', label: l.text, url: l.url, clear: l.rel === 'ack' || l.rel === 'resolve' }));
      const body = {
        topic,
        message: message.text,
        ...(title ? { title } : {}),
        ...(priority ? { priority } : {}),
        ...(tags.length ? { tags } : {}),
        ...(click ? { click } : {}),
        ...(icon ? { icon } : {}),
        ...(c.markdown ? { markdown: true } : {}),
        ...(actions.length ? { actions } : {}),
      };
      const base = (c.url ?? 'https://ntfy.sh').replace(/\/+$/, '');
      return post({
        type: 'ntfy',
        url: `${base}/`,
        body: JSON.stringify(body),
        ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
        http,
        redactor,
        ...attemptOptions(c.timeout, ctx, this.deps),
        detail: ntfyError,
      });
    });
  }
}

/** `{"code":40301,"http":403,"error":"forbidden","link":"https://ntfy.sh/docs/publish/#authentication"}`. */
const ntfyError = jsonDetail<{ code?: number; error?: string }>((e) => e.error && `${e.code !== undefined ? `${e.code} ` : ''}${e.error}`);

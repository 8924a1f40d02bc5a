import { guard, post, jsonDetail, attemptOptions } from '../common/deliver.js';
import { resolveHttpConfig } from '../common/http-config.js';
import { Redactor, readOptionalSecret, urlSecrets } from '../common/secrets.js';
import { templateData } from '../common/template-data.js';
import type { Renderer as RendererType } from '../common/templates.js';
import { Renderer } from '../common/templates.js';
import { truncateRunes } from '../common/truncate.js';
import type { NotificationMessage } from '../message.js';
import type { Notifier, NotifyResult } from '../notifier.js';
import type { NotifierDeps } from '../spec.js';
import type { MattermostConfig } from './config.js';

const MAX_TEXT_RUNES = 16383;
const ATTACHMENT_KEYS = ['fallback', 'color', 'pretext', 'text', 'author_name', 'author_link', 'author_icon', 'title', 'title_link', 'thumb_url', 'footer', 'footer_icon', 'image_url'] as const;
type AttachmentConfig = { readonly [K in (typeof ATTACHMENT_KEYS)[number]]?: string } & { readonly fields: ReadonlyArray<{ title: string; value: string; short?: boolean | undefined }> };

/**
 * Alertmanager's Mattermost message to an incoming webhook: one attachment built from the
 * top-level keys, or the configured `attachments` (then `text` is the post's text). Priority
 * is made valid as Alertmanager makes it: lowercased, `standard` when unknown, no
 * requested_ack on standard, persistent notifications only when urgent.
 */
export class MattermostNotifier implements Notifier {
  constructor(
    private readonly config: MattermostConfig,
    private readonly deps: NotifierDeps,
  ) {}

  notify(msg: NotificationMessage, ctx: { readonly signal: AbortSignal }): Promise<NotifyResult> {
    const redactor = new Redactor();
    return guard('mattermost', redactor, async () => {
      const c = this.config;
      const url = readOptionalSecret(c, 'webhook_url', this.deps.secrets);
      if (!url) return { ok: false, retryable: false, error: 'mattermost: webhook url missing' };
      redactor.add(...urlSecrets(url));
      const http = resolveHttpConfig(c.http_config, this.deps.secrets, redactor);
      const r = new Renderer(this.deps.templates, templateData(msg, this.deps.externalURL));
      const body = this.request(r);
      if (r.error) throw r.error;
      return post({
        type: 'mattermost',
        url,
        body: JSON.stringify(body),
        http,
        redactor,
        ...attemptOptions(c.timeout, ctx, this.deps),
        detail: mattermostError,
      });
    });
  }

  private request(r: RendererType): Record<string, unknown> {
    const c = this.config;
    const opt = (k: string, v: string) => (v ? { [k]: v } : {});
    const text = r.text(c.text, 'text');
    const req: Record<string, unknown> = {
      ...opt('channel', r.text(c.channel, 'channel')),
      ...opt('username', r.text(c.username, 'username')),
      ...opt('icon_url', r.text(c.icon_url, 'icon_url')),
      ...opt('icon_emoji', r.text(c.icon_emoji, 'icon_emoji')),
      ...opt('type', r.text(c.type, 'type')),
    };
    if (c.props?.card) req.props = { card: r.text(c.props.card, 'props.card') };
    const priority = this.priority(r);
    if (priority) req.priority = priority;
    if (c.attachments.length > 0) {
      req.attachments = c.attachments.map((a, i) => attachment(a, r, `attachments[${i}]`));
      const t = truncateRunes(text, MAX_TEXT_RUNES);
      if (t.truncated) this.deps.logger?.warn('mattermost: truncated the text', { max_runes: MAX_TEXT_RUNES });
      if (t.text) req.text = t.text;
    } else {
      req.attachments = [attachment(c, r, '')];
    }
    return req;
  }

  private priority(r: RendererType): Record<string, unknown> | undefined {
    const p = this.config.priority;
    if (!p?.priority) return undefined;
    let level = r.text(p.priority, 'priority.priority').toLowerCase();
    if (!['urgent', 'important', 'standard'].includes(level)) {
      this.deps.logger?.warn('mattermost: priority set to standard because it was not urgent, important or standard', { priority: level });
      level = 'standard';
    }
    const out: Record<string, unknown> = { priority: level };
    if (p.requested_ack && level !== 'standard') out.requested_ack = true;
    if (p.persistent_notifications && level === 'urgent') out.persistent_notifications = true;
    return out;
  }
}

function attachment(a: AttachmentConfig, r: RendererType, at: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ATTACHMENT_KEYS) {
    const v = r.text(a[k], `${at ? `${at}.` : ''}${k}`);
    // Mattermost keeps a post under 16,383 characters; an attachment's text is cut to that too.
    if (v) out[k] = k === 'text' ? truncateRunes(v, MAX_TEXT_RUNES).text : v;
  }
  if (a.fields.length) out.fields = a.fields.map((f, i) => ({ title: r.text(f.title, `${at}fields[${i}].title`), value: r.text(f.value, `${at}fields[${i}].value`), ...(f.short !== undefined ? { short: f.short } : {}) }));
  return out;
}

/** `{"id":"web.incoming_webhook.text.app_error","message":"No text specified.",…}`. */
const mattermostError = jsonDetail<{ message?: string; id?: string }>((e) => e.message && `${e.message}${e.id ? ` (${e.id})` : ''}`);

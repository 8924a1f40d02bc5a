import { guard, post, jsonDetail, attemptOptions } from '../common/deliver.js';
import { resolveHttpConfig } from '../common/http-config.js';
import { Redactor, readOptionalSecret } from '../common/secrets.js';
import { templateData } from '../common/template-data.js';
import { Renderer } from '../common/templates.js';
import { runeCutter } from '../common/truncate.js';
import type { NotificationMessage } from '../message.js';
import type { Notifier, NotifyResult } from '../notifier.js';
import type { NotifierDeps } from '../spec.js';
import type { PushoverConfig } from './config.js';

const MAX_TITLE = 250;
const MAX_MESSAGE = 1024;
const MAX_URL = 512;

/**
 * Pushover's Messages API with Alertmanager's parameters. They go in a form body rather than
 * in the URL's query as Alertmanager puts them (Pushover takes both), so the app token and
 * user key stay out of URLs.
 */
export class PushoverNotifier implements Notifier {
  private readonly cut: (text: string, max: number, field: string) => string;

  constructor(
    private readonly config: PushoverConfig,
    private readonly deps: NotifierDeps,
  ) {
    this.cut = runeCutter('pushover', deps.logger);
  }

  notify(msg: NotificationMessage, ctx: { readonly signal: AbortSignal }): Promise<NotifyResult> {
    const redactor = new Redactor();
    return guard('pushover', redactor, async () => {
      const c = this.config;
      const token = readOptionalSecret(c, 'token', this.deps.secrets);
      const user = readOptionalSecret(c, 'user_key', this.deps.secrets);
      if (!token || !user) return { ok: false, retryable: false, error: 'pushover: no token or user_key configured' };
      redactor.add(token, user);
      const http = resolveHttpConfig(c.http_config, this.deps.secrets, redactor);
      const r = new Renderer(this.deps.templates, templateData(msg, this.deps.externalURL));
      const form = new URLSearchParams();
      form.set('token', r.text(token));
      form.set('user', r.text(user));
      form.set('title', this.cut(r.text(c.title, 'title'), MAX_TITLE, 'title'));
      if (c.html) form.set('html', '1');
      if (c.monospace) form.set('monospace', '1');
      const message = this.cut(c.html ? r.html(c.message, 'message') : r.text(c.message, 'message'), MAX_MESSAGE, 'message').trim();
      form.set('message', message || '(no details)');
      form.set('url', this.cut(r.text(c.url, 'url'), MAX_URL, 'url'));
      form.set('url_title', r.text(c.url_title, 'url_title'));
      form.set('priority', r.text(c.priority, 'priority'));
      form.set('retry', String(Math.floor(c.retry / 1000)));
      form.set('expire', String(Math.floor(c.expire / 1000)));
      form.set('device', r.text(c.device, 'device'));
      form.set('sound', r.text(c.sound, 'sound'));
      if (c.ttl && c.ttl >= 1000) form.set('ttl', String(Math.floor(c.ttl / 1000)));
      const callback = r.text(c.callback, 'callback');
      if (callback) form.set('callback', callback);
      if (r.error) throw r.error;
      return post({
        type: 'pushover',
        url: c.api_url,
        body: form.toString(),
        contentType: 'application/x-www-form-urlencoded',
        http,
        redactor,
        ...attemptOptions(c.timeout, ctx, this.deps),
        detail: pushoverError,
      });
    });
  }

}

/** `{"user":"invalid","errors":["user identifier is invalid"],"status":0,"request":"…"}`. */
const pushoverError = jsonDetail<{ errors?: string[] }>((e) => e.errors?.join('; '));

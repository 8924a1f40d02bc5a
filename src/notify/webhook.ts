import type { WebhookConfig } from './config.js';
import type { NotificationMessage } from './message.js';
import { errorMessage } from './notifier.js';
import type { Notifier, NotifyResult } from './notifier.js';
import { buildWebhookPayload } from './payload.js';

export interface WebhookDeps {
  /** Vigil's external URL, sent as the payload's externalURL. */
  readonly externalURL: string;
  readonly userAgent?: string;
}

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * POSTs Alertmanager's webhook payload (version 4). 2xx is success; network errors, timeouts,
 * 5xx and 429 are retryable; other statuses are not. Credentials (in the URL's userinfo,
 * bearer_token, basic_auth) never appear in an error: errors name only scheme, host and port.
 */
export class WebhookNotifier implements Notifier {
  private readonly target: string;
  private readonly where: string;
  private readonly headers: Record<string, string>;
  private readonly secrets: string[];
  private readonly timeout: number;

  constructor(
    private readonly config: WebhookConfig,
    private readonly deps: WebhookDeps,
  ) {
    const url = new URL(config.url);
    this.secrets = [url.username, url.password, decodeURIComponent(url.password), config.url].filter((s) => s.length >= 3);
    this.headers = { 'content-type': 'application/json', 'user-agent': deps.userAgent ?? 'Vigil' };
    let basic: { username: string; password: string } | undefined;
    // fetch refuses URLs with credentials; send them as Basic auth like Go's http client does.
    if (url.username !== '' || url.password !== '') {
      basic = { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
      url.username = '';
      url.password = '';
    }
    const http = config.http_config;
    if (http?.basic_auth) basic = { username: http.basic_auth.username, password: http.basic_auth.password ?? '' };
    if (basic) {
      this.headers.authorization = `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`;
      this.secrets.push(basic.password);
    }
    if (http?.bearer_token) {
      this.headers.authorization = `Bearer ${http.bearer_token}`;
      this.secrets.push(http.bearer_token);
    }
    if (this.headers.authorization) this.secrets.push(this.headers.authorization);
    this.secrets = this.secrets.filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
    this.target = url.toString();
    this.where = `${url.protocol}//${url.host}`;
    this.timeout = config.timeout ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  }

  async notify(msg: NotificationMessage, ctx: { readonly signal: AbortSignal }): Promise<NotifyResult> {
    try {
      const body = JSON.stringify(buildWebhookPayload(msg, this.deps.externalURL, this.config.max_alerts));
      const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(this.timeout)]);
      const res = await fetch(this.target, { method: 'POST', headers: this.headers, body, signal, redirect: 'manual' });
      const text = await res.text().catch(() => '');
      if (res.status >= 200 && res.status < 300) return { ok: true };
      const retryable = res.status >= 500 || res.status === 429;
      const detail = text.trim().slice(0, 200);
      return this.fail(retryable, `webhook ${this.where} answered ${res.status}${detail ? `: ${detail}` : ''}`);
    } catch (err) {
      const e = err as { name?: string };
      if (e?.name === 'TimeoutError') return this.fail(true, `webhook ${this.where}: timed out after ${this.timeout}ms`);
      if (e?.name === 'AbortError') return this.fail(true, `webhook ${this.where}: aborted`);
      return this.fail(true, `webhook ${this.where}: ${errorMessage(err)}`);
    }
  }

  private fail(retryable: boolean, error: string): NotifyResult {
    let clean = error;
    for (const s of this.secrets) clean = clean.split(s).join('<secret>');
    return { ok: false, retryable, error: clean };
  }
}

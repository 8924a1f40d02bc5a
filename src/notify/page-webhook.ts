import type { NotificationMessage } from './message.js';
import { errorMessage } from './notifier.js';
import type { Notifier, NotifyResult } from './notifier.js';
import { buildWebhookPayload } from './webhook/payload.js';

/**
 * A page to one person's webhook contact: Alertmanager's webhook payload (version 4, so the
 * same consumers parse it) plus what a page adds — `links` (incident, signed acknowledge and
 * resolve links) and `page` (who is paged, over which channel, at which level). 2xx is
 * success; network errors, timeouts, 5xx and 429 are retried; errors name only scheme, host
 * and port (a contact URL may carry a token in its path).
 */
export class PageWebhookNotifier implements Notifier {
  private readonly where: string;

  constructor(
    private readonly url: string,
    private readonly deps: { readonly externalURL: string; readonly userAgent?: string; readonly timeout?: number },
  ) {
    const u = new URL(url);
    this.where = `${u.protocol}//${u.host}`;
  }

  async notify(msg: NotificationMessage, ctx: { readonly signal: AbortSignal }): Promise<NotifyResult> {
    const timeout = this.deps.timeout ?? 10_000;
    try {
      const extra = msg as NotificationMessage & { links?: unknown; page?: unknown };
      const body = JSON.stringify({ ...buildWebhookPayload(msg, this.deps.externalURL, 0), links: extra.links ?? [], page: extra.page ?? null });
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': this.deps.userAgent ?? 'Vigil' },
        body,
        signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(timeout)]),
        redirect: 'manual',
      });
      await res.text().catch(() => '');
      if (res.status >= 200 && res.status < 300) return { ok: true };
      return { ok: false, retryable: res.status >= 500 || res.status === 429, error: `webhook ${this.where} answered ${res.status}` };
    } catch (err) {
      const name = (err as { name?: string })?.name;
      if (name === 'TimeoutError') return { ok: false, retryable: true, error: `webhook ${this.where}: timed out after ${timeout}ms` };
      if (name === 'AbortError') return { ok: false, retryable: true, error: `webhook ${this.where}: aborted` };
      const text = errorMessage(err).split(this.url).join('<url>');
      return { ok: false, retryable: true, error: `webhook ${this.where}: ${text}` };
    }
  }
}

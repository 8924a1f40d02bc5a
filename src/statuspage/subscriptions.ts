import { createHash, createHmac, randomUUID } from 'node:crypto';
import { invalid } from '../model/errors.js';
import type { StatusPageConfig } from './config.js';
import type { NoticeJob, NoticeLog } from './notice-log.js';
import type { Subscriber, SubscriberChannel, SubscriberStore } from './subscriber-store.js';

/** One message to every subscriber: the email's subject and bodies, and the webhook's JSON body. */
export interface Notice {
  /** Groups the outbox jobs of one notice (e.g. `status-page:INC-2026-0001`). */
  readonly groupKey: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Statuspage-shaped body (`page`, `incident` or `scheduled_maintenance`); `meta.unsubscribe` is added per subscriber. */
  readonly webhook: Record<string, unknown>;
}

/** What an outbox job of a status page notice carries (JSON). */
export interface NoticePayload {
  readonly channel: SubscriberChannel;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly unsubscribe: string;
  readonly body?: unknown;
}

export const NOTICE_RECEIVER = 'status-page';
export const NOTICE_TYPES: Record<SubscriberChannel, string> = { email: 'status-email', webhook: 'status-webhook' };

export interface SubscriptionsOptions {
  readonly store: SubscriberStore;
  readonly config: StatusPageConfig['subscriptions'];
  /** Whether email can be sent at all (SMTP configured). */
  readonly emailAvailable: boolean;
  readonly title: string;
  /** The absolute URL of /status. */
  readonly pageURL: string;
  /** A server secret: subscribers' link tokens are derived from it, so none is stored in clear. */
  readonly key: Buffer;
  readonly now: () => number;
  /** Durably queues one job in the outbox. */
  readonly enqueue: (job: NoticeJob) => Promise<void>;
  /** Notices sent once each (`sendOnce`); without it `sendOnce` refuses. */
  readonly log?: NoticeLog;
  /** Why a webhook URL may not be used (private address…), or undefined. */
  readonly checkWebhook?: (url: URL) => Promise<string | undefined>;
}

export type SubscribeResult = { readonly kind: 'email_sent' | 'subscribed'; readonly message: string };

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`|~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** A subscriber's address, normalized, or a clear error. */
export function validAddress(channel: SubscriberChannel, raw: string): string {
  const a = raw.trim();
  if (!a) throw invalid(channel === 'email' ? 'enter an email address' : 'enter a webhook URL');
  if (channel === 'email') {
    if (a.length > 254 || !EMAIL.test(a)) throw invalid(`${JSON.stringify(a.slice(0, 100))} is not an email address like name@example.com`);
    return a.toLowerCase();
  }
  if (a.length > 2000) throw invalid('the webhook URL is longer than 2000 characters');
  let u: URL;
  try {
    u = new URL(a);
  } catch {
    throw invalid(`${JSON.stringify(a.slice(0, 100))} is not a URL like https://example.com/hook`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw invalid('the webhook URL must start with https:// or http://');
  return u.toString();
}

/** A sliding one-hour window of attempts per client address, bounded in memory. */
class HourlyLimiter {
  private readonly hits = new Map<string, number[]>();
  constructor(private readonly limit: number) {}
  allow(key: string, now: number): boolean {
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - 3600_000);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.hits.delete(key);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.hits.delete(this.hits.keys().next().value as string);
    return true;
  }
}

export class TooManyRequests extends Error {
  override name = 'TooManyRequests';
}

/**
 * Status page subscribers: email with double opt-in (a confirmation link; nothing is sent to an
 * address until it is followed) and webhooks; each notice goes to every confirmed subscriber
 * through the durable outbox, with its own unsubscribe link. The public form is rate limited
 * per client address and bounded in unconfirmed subscriptions; answers never reveal whether
 * an address is already subscribed.
 */
export class Subscriptions {
  private readonly limiter: HourlyLimiter;

  constructor(private readonly opts: SubscriptionsOptions) {
    this.limiter = new HourlyLimiter(opts.config.per_address_per_hour);
  }

  get channels(): { email: boolean; webhook: boolean } {
    return { email: this.emailEnabled, webhook: this.opts.config.webhook };
  }

  private get emailEnabled(): boolean {
    return (this.opts.config.email ?? true) && this.opts.emailAvailable;
  }

  /** The token in a subscriber's links, derived from its id (stored only as a hash). */
  token(id: string): string {
    return createHmac('sha256', this.opts.key).update(`status-subscriber:${id}`).digest('base64url');
  }

  private static hash(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }

  private link(kind: 'confirm' | 'unsubscribe', id: string): string {
    return `${this.opts.pageURL}/subscriptions/${kind}?token=${this.token(id)}`;
  }

  /** `trusted`: added by a responder through the API (no rate limit; private webhooks allowed). */
  async subscribe(channelRaw: string, addressRaw: string, client: string, trusted = false): Promise<SubscribeResult> {
    if (channelRaw !== 'email' && channelRaw !== 'webhook') throw invalid('channel must be email or webhook');
    const channel: SubscriberChannel = channelRaw;
    if (channel === 'email' && !this.emailEnabled) throw invalid(this.opts.emailAvailable ? 'email subscriptions are switched off here' : 'email subscriptions need SMTP (global.smtp_smarthost and smtp_from)');
    if (channel === 'webhook' && !this.opts.config.webhook && !trusted) throw invalid('webhook subscriptions are switched off here');
    const address = validAddress(channel, addressRaw);
    if (channel === 'webhook' && !trusted && !this.opts.config.allow_private_webhooks) {
      const why = await this.opts.checkWebhook?.(new URL(address));
      if (why) throw invalid(why);
    }
    const now = this.opts.now();
    if (!trusted && !this.limiter.allow(client, now)) throw new TooManyRequests('too many subscribe requests from your address; try again in an hour');
    const existing = await this.opts.store.get(channel, address);
    if (channel === 'webhook') {
      if (!existing) {
        const id = randomUUID();
        await this.opts.store.put({ id, channel, address, tokenHash: Subscriptions.hash(this.token(id)), createdAt: now, confirmedAt: now });
      }
      return { kind: 'subscribed', message: 'Subscribed: the webhook receives every update, each with its unsubscribe link.' };
    }
    const sent: SubscribeResult = { kind: 'email_sent', message: `We sent a confirmation link to ${address}. Follow it to start receiving updates.` };
    if (existing?.confirmedAt != null) return sent;
    if (!existing && (await this.opts.store.pendingCount()) >= this.opts.config.max_pending) throw new TooManyRequests('too many subscriptions are waiting for confirmation; try again later');
    const id = randomUUID();
    await this.opts.store.put({ id, channel, address, tokenHash: Subscriptions.hash(this.token(id)), createdAt: now, confirmedAt: null });
    const confirm = this.link('confirm', id);
    const text = `Someone, hopefully you, asked to receive updates from ${this.opts.title} (${this.opts.pageURL}) at this address.\n\nConfirm: ${confirm}\n\nIf it was not you, ignore this mail: nothing more will be sent.`;
    await this.enqueue({ id, channel, address }, `status-page:confirm:${id}`, {
      subject: `Confirm your subscription to ${this.opts.title}`,
      text,
      html: `<p>Someone, hopefully you, asked to receive updates from <a href="${attr(this.opts.pageURL)}">${attr(this.opts.title)}</a> at this address.</p><p><a href="${attr(confirm)}">Confirm the subscription</a></p><p>If it was not you, ignore this mail: nothing more will be sent.</p>`,
    });
    return sent;
  }

  /** The subscriber a link's token names, if any. */
  async byToken(token: string): Promise<Subscriber | undefined> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
    return this.opts.store.byToken(Subscriptions.hash(token));
  }

  async confirm(token: string): Promise<Subscriber | undefined> {
    const s = await this.byToken(token);
    if (!s) return undefined;
    if (s.confirmedAt === null) await this.opts.store.put({ ...s, confirmedAt: this.opts.now() });
    return s;
  }

  async unsubscribe(token: string): Promise<Subscriber | undefined> {
    const s = await this.byToken(token);
    if (s) await this.opts.store.remove(s.id);
    return s;
  }

  /** Queues a notice to every confirmed subscriber. */
  async send(n: Notice): Promise<number> {
    const all = await this.opts.store.confirmed();
    for (const s of all) {
      if (s.channel === 'email' && !this.emailEnabled) continue;
      await this.enqueue(s, n.groupKey, n);
    }
    return all.length;
  }

  /**
   * Queues a notice to every confirmed subscriber unless a notice with this `key` was queued
   * before (recorded with its jobs in one transaction). `subject`: what it is about (a
   * maintenance window's id). True when queued now.
   */
  sendOnce(key: string, subject: string, n: Notice): Promise<boolean> {
    const log = this.opts.log;
    if (!log) throw new Error('Subscriptions.sendOnce needs a notice log');
    return log.once(key, subject, this.opts.now(), (confirmed) => confirmed.filter((s) => s.channel !== 'email' || this.emailEnabled).map((s) => this.job(s, n.groupKey, n)));
  }

  /** Whether any once-only notice about `subject` went out. */
  sentAbout(subject: string): Promise<boolean> {
    return this.opts.log?.sentAbout(subject) ?? Promise.resolve(false);
  }

  /** Every subscriber, oldest first (the admin API; token hashes stay inside). */
  list(): Promise<Subscriber[]> {
    return this.opts.store.all();
  }

  /** Removes a subscriber by id (the admin API); the removed one, or undefined. */
  async remove(id: string): Promise<Subscriber | undefined> {
    const s = await this.opts.store.byId(id);
    if (s) await this.opts.store.remove(s.id);
    return s;
  }

  private async enqueue(s: Pick<Subscriber, 'id' | 'channel' | 'address'>, groupKey: string, n: Pick<Notice, 'subject' | 'text' | 'html'> & { webhook?: Record<string, unknown> }): Promise<void> {
    await this.opts.enqueue(this.job(s, groupKey, n));
  }

  private job(s: Pick<Subscriber, 'id' | 'channel' | 'address'>, groupKey: string, n: Pick<Notice, 'subject' | 'text' | 'html'> & { webhook?: Record<string, unknown> }): NoticeJob {
    const unsubscribe = this.link('unsubscribe', s.id);
    const footer = `\n\n--\n${this.opts.title}: ${this.opts.pageURL}\nUnsubscribe: ${unsubscribe}`;
    const payload: NoticePayload = {
      channel: s.channel,
      to: s.address,
      subject: n.subject,
      text: n.text + footer,
      html: `${n.html}<hr><p style="font-size:small"><a href="${attr(this.opts.pageURL)}">${attr(this.opts.title)}</a> · <a href="${attr(unsubscribe)}">Unsubscribe</a></p>`,
      unsubscribe,
      ...(n.webhook ? { body: { meta: { unsubscribe }, ...n.webhook } } : {}),
    };
    return { receiver: NOTICE_RECEIVER, integrationType: NOTICE_TYPES[s.channel], integrationIndex: 0, groupKey, fingerprints: [], payload: JSON.stringify(payload), createdAt: this.opts.now() };
  }
}

function attr(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

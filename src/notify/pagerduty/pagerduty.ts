import { createHash } from 'node:crypto';
import { deliverHttp, guard, isResult, jsonDetail, attemptOptions } from '../common/deliver.js';
import { resolveHttpConfig } from '../common/http-config.js';
import { Redactor, readOptionalSecret } from '../common/secrets.js';
import { templateData } from '../common/template-data.js';
import { Renderer, renderDeep } from '../common/templates.js';
import { truncateRunes } from '../common/truncate.js';
import type { NotificationMessage } from '../message.js';
import type { Notifier, NotifyResult } from '../notifier.js';
import type { NotifierDeps } from '../spec.js';
import type { PagerdutyConfig } from './config.js';

const V1_URL = 'https://events.pagerduty.com/generic/2010-04-15/create_event.json';
/** PagerDuty refuses events over 512 KB; Alertmanager then drops the custom details. */
export const MAX_EVENT_BYTES = 512_000;
const MAX_SUMMARY_RUNES = 1024;

/** Alertmanager's dedup key: the SHA-256 of the group key, so one alert group is one PagerDuty incident. */
export function dedupKey(groupKey: string): string {
  return createHash('sha256').update(groupKey).digest('hex');
}

/**
 * One PagerDuty event per notification: `trigger` while alerts fire, `resolve` once all have
 * resolved, and `acknowledge` when Vigil's incident was acknowledged (a Vigil addition), all
 * with the same dedup key. The message's links are appended to the configured `links`.
 * Events API v2 retries 429 and 5xx; the v1 API also retries 403, its rate limit answer.
 */
export class PagerdutyNotifier implements Notifier {
  constructor(
    private readonly config: PagerdutyConfig,
    private readonly deps: NotifierDeps,
  ) {}

  notify(msg: NotificationMessage, ctx: { readonly signal: AbortSignal }): Promise<NotifyResult> {
    const redactor = new Redactor();
    return guard('pagerduty', redactor, async () => {
      const c = this.config;
      const routingKey = readOptionalSecret(c, 'routing_key', this.deps.secrets);
      const serviceKey = readOptionalSecret(c, 'service_key', this.deps.secrets);
      redactor.add(routingKey, serviceKey);
      // Registered with the redactor before anything can fail.
      const http = resolveHttpConfig(c.http_config, this.deps.secrets, redactor);
      const data = templateData(msg, this.deps.externalURL);
      const r = new Renderer(this.deps.templates, data);
      const action = data.Status === 'resolved' ? 'resolve' : msg.acknowledged ? 'acknowledge' : 'trigger';
      const details = renderDeep(c.details, r, 'details') as Record<string, unknown>;
      const summary = this.cut(r.text(c.description, 'description'));
      const key = dedupKey(msg.groupKey);
      let event: Record<string, unknown>;
      if (serviceKey !== undefined) {
        const sk = r.text(serviceKey);
        event = {
          service_key: sk,
          event_type: action,
          incident_key: key,
          description: summary,
          ...(action === 'trigger' ? { client: r.text(c.client, 'client'), client_url: r.text(c.client_url, 'client_url') } : {}),
          details,
        };
        if (!sk) return { ok: false, retryable: false, error: 'pagerduty: service key cannot be empty' };
      } else {
        const rk = r.text(routingKey);
        const links = [
          ...c.links.map((l, i) => ({ href: r.text(l.href, `links[${i}].href`), text: r.text(l.text, `links[${i}].text`) })),
          ...(msg.links ?? []).map((l) => ({ href: l.url, text: l.text })),
        ].filter((l) => l.href);
        const images = c.images.map((im, i) => ({ src: r.text(im.src, `images[${i}].src`), alt: r.text(im.alt, `images[${i}].alt`), href: r.text(im.href, `images[${i}].href`) })).filter((im) => im.src);
        event = {
          routing_key: rk,
          dedup_key: key,
          event_action: action,
          payload: {
            summary,
            source: r.text(c.source, 'source'),
            severity: r.text(c.severity, 'severity'),
            ...nonEmpty('class', r.text(c.class, 'class')),
            ...nonEmpty('component', r.text(c.component, 'component')),
            ...nonEmpty('group', r.text(c.group, 'group')),
            custom_details: details,
          },
          ...nonEmpty('client', r.text(c.client, 'client')),
          ...nonEmpty('client_url', r.text(c.client_url, 'client_url')),
          // Empty lists are left out, as Go's omitempty leaves them out.
          ...(images.length ? { images } : {}),
          ...(links.length ? { links } : {}),
        };
        if (!rk) return { ok: false, retryable: false, error: 'pagerduty: routing key cannot be empty' };
      }
      if (r.error) throw r.error;
      const body = this.fit(event, serviceKey !== undefined);
      const res = await deliverHttp({
        type: 'pagerduty',
        url: serviceKey !== undefined ? V1_URL.replace('https://events.pagerduty.com', originOf(c.url)) : (c.url ?? 'https://events.pagerduty.com/v2/enqueue'),
        body,
        http,
        redactor,
        ...attemptOptions(c.timeout, ctx, this.deps),
        retryStatuses: serviceKey !== undefined ? [403] : [],
        detail: pagerdutyError,
      });
      return isResult(res) ? res : { ok: true };
    });
  }

  /** The event as JSON; one over 512 KB loses its custom details, as in Alertmanager. */
  private fit(event: Record<string, unknown>, v1: boolean): string {
    const body = JSON.stringify(event);
    if (Buffer.byteLength(body) <= MAX_EVENT_BYTES) return body;
    const note = { error: `Custom details have been removed because the original event exceeds the maximum size of 512KB` };
    this.deps.logger?.warn('pagerduty: dropped the custom details of an event over 512 KB', { bytes: Buffer.byteLength(body) });
    if (v1) return JSON.stringify({ ...event, details: note });
    return JSON.stringify({ ...event, payload: { ...(event.payload as object), custom_details: note } });
  }

  private cut(text: string): string {
    const t = truncateRunes(text, MAX_SUMMARY_RUNES);
    if (t.truncated) this.deps.logger?.warn('pagerduty: truncated the summary', { max_runes: MAX_SUMMARY_RUNES });
    return t.text;
  }
}

function nonEmpty<K extends string>(key: K, value: string): { [P in K]?: string } {
  return (value ? { [key]: value } : {}) as { [P in K]?: string };
}

/** The v1 API lives on the same host as the configured v2 URL (events.pagerduty.com unless changed). */
function originOf(url: string | undefined): string {
  if (!url) return 'https://events.pagerduty.com';
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}

/** PagerDuty's 400 answer: `{"status":"invalid event","message":"…","errors":["…"]}`. */
const pagerdutyError = jsonDetail<{ message?: string; errors?: string[] }>((e) => e.message && `${e.message}${e.errors?.length ? `: ${e.errors.join(',')}` : ''}`);

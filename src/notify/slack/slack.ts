import { deliverHttp, guard, isResult, attemptOptions } from '../common/deliver.js';
import type { HttpResponse } from '../common/http-client.js';
import { resolveHttpConfig } from '../common/http-config.js';
import { Redactor, readOptionalSecret, urlSecrets } from '../common/secrets.js';
import { templateData } from '../common/template-data.js';
import type { MessageLink } from '../message.js';
import { Renderer, TemplateError } from '../common/templates.js';
import { runeCutter } from '../common/truncate.js';
import type { NotificationMessage } from '../message.js';
import type { Notifier, NotifyResult } from '../notifier.js';
import type { NotifierDeps } from '../spec.js';
import type { SlackConfig } from './config.js';

const MAX_TITLE_RUNES = 1024;
/** Slack truncates message text past 40,000 characters; Vigil cuts each text to that first. */
const MAX_TEXT_RUNES = 40_000;

/**
 * Posts Alertmanager's Slack message (one attachment with title, text, fields, actions) to an
 * incoming webhook, or with a bot token to chat.postMessage (a channel or a user id for a DM).
 * The message's links become link buttons when the config has no `actions`. With `blocks`
 * the message is Block Kit instead (`text` is its notification fallback).
 *
 * chat.postMessage answers 200 with `{"ok":false,"error":…}` for refused messages: that is a
 * permanent failure, as are webhook statuses 4xx (invalid_payload, channel_not_found); 5xx,
 * 429 (rate limited) and network errors are retried.
 */
export class SlackNotifier implements Notifier {
  private readonly cut: (text: string, max: number, field: string) => string;

  constructor(
    private readonly config: SlackConfig,
    private readonly deps: NotifierDeps,
  ) {
    this.cut = runeCutter('slack', deps.logger);
  }

  notify(msg: NotificationMessage, ctx: { readonly signal: AbortSignal }): Promise<NotifyResult> {
    const redactor = new Redactor();
    return guard('slack', redactor, async () => {
      const c = this.config;
      const token = readOptionalSecret(c, 'app_token', this.deps.secrets);
      const webhook = readOptionalSecret(c, 'api_url', this.deps.secrets);
      redactor.add(token, webhook, ...urlSecrets(webhook));
      // Registered with the redactor before anything can fail.
      const http = resolveHttpConfig(c.http_config, this.deps.secrets, redactor);
      const r = new Renderer(this.deps.templates, templateData(msg, this.deps.externalURL));
      const url = token !== undefined ? (c.app_url ?? 'https://slack.com/api/chat.postMessage') : r.text(webhook, 'api_url');
      if (!url) return { ok: false, retryable: false, error: 'slack: no api_url or app_token configured' };
      redactor.add(...urlSecrets(url));
      const body = this.payload(r, msg.links ?? []);
      if (r.error) throw r.error;
      const res = await deliverHttp({
        type: 'slack',
        url,
        body: JSON.stringify(body),
        http,
        redactor,
        ...(token !== undefined ? { headers: { authorization: `Bearer ${token}` } } : {}),
        ...attemptOptions(c.timeout, ctx, this.deps),
        accept: (res) => slackAnswer(res, body.channel),
      });
      return isResult(res) ? res : { ok: true };
    });
  }

  private payload(r: Renderer, links: readonly MessageLink[]): SlackRequest {
    const c = this.config;
    const head = {
      ...nonEmpty('channel', r.text(c.channel, 'channel')),
      ...nonEmpty('username', r.text(c.username, 'username')),
      ...nonEmpty('icon_emoji', r.text(c.icon_emoji, 'icon_emoji')),
      ...nonEmpty('icon_url', r.text(c.icon_url, 'icon_url')),
      ...(c.link_names ? { link_names: true } : {}),
    };
    const title = this.cut(r.text(c.title, 'title'), MAX_TITLE_RUNES, 'title');
    if (c.blocks !== undefined) {
      const blocks = parseBlocks(r.text(c.blocks, 'blocks'));
      if (blocks.length > 0) return { ...head, text: this.cut(r.text(c.message_text, 'message_text') || title, MAX_TEXT_RUNES, 'text'), blocks };
    }
    const attachment: SlackAttachment = {
      ...nonEmpty('title', title),
      ...nonEmpty('title_link', r.text(c.title_link, 'title_link')),
      ...nonEmpty('pretext', this.cut(r.text(c.pretext, 'pretext'), MAX_TEXT_RUNES, 'pretext')),
      text: this.cut(r.text(c.text, 'text'), MAX_TEXT_RUNES, 'text'),
      fallback: this.cut(r.text(c.fallback, 'fallback'), MAX_TEXT_RUNES, 'fallback'),
      callback_id: r.text(c.callback_id, 'callback_id'),
      ...(c.fields.length
        ? { fields: c.fields.map((f, i) => ({ title: r.text(f.title, `fields[${i}].title`), value: r.text(f.value, `fields[${i}].value`), short: f.short ?? c.short_fields })) }
        : {}),
      ...this.actions(r, links),
      ...nonEmpty('image_url', r.text(c.image_url, 'image_url')),
      ...nonEmpty('thumb_url', r.text(c.thumb_url, 'thumb_url')),
      footer: r.text(c.footer, 'footer'),
      ...nonEmpty('color', r.text(c.color, 'color')),
      mrkdwn_in: c.mrkdwn_in.length ? c.mrkdwn_in : ['fallback', 'pretext', 'text'],
    };
    return { ...head, ...nonEmpty('text', this.cut(r.text(c.message_text, 'message_text'), MAX_TEXT_RUNES, 'message_text')), attachments: [attachment] };
  }

  /** Configured actions, or else one link button per message link (acknowledge, resolve, incident). */
  private actions(r: Renderer, links: readonly MessageLink[]): { actions?: SlackAction[] } {
    const c = this.config;
    if (c.actions.length > 0) {
      return {
        actions: c.actions.map((a, i) => {
          const at = (k: string) => `actions[${i}].${k}`;
          const out: SlackAction = { type: r.text(a.type, at('type')), text: r.text(a.text, at('text')) };
          for (const k of ['url', 'style', 'name', 'value'] as const) {
            const v = r.text((a as unknown as Record<string, string | undefined>)[k], at(k));
            if (v) out[k] = v;
          }
          if ('confirm' in a && a.confirm) {
            out.confirm = {
              text: r.text(a.confirm.text, at('confirm.text')),
              ...nonEmpty('title', r.text(a.confirm.title, at('confirm.title'))),
              ...nonEmpty('ok_text', r.text(a.confirm.ok_text, at('confirm.ok_text'))),
              ...nonEmpty('dismiss_text', r.text(a.confirm.dismiss_text, at('confirm.dismiss_text'))),
            };
          }
          return out;
        }),
      };
    }
    if (links.length === 0) return {};
    return { actions: links.slice(0, 5).map((l) => ({ type: 'button', text: l.text, url: l.url, ...(LINK_STYLE[l.rel] ? { style: LINK_STYLE[l.rel] as string } : {}) })) };
  }

}

const LINK_STYLE: Readonly<Record<string, string>> = { ack: 'primary', resolve: 'danger' };

interface SlackAction {
  type: string;
  text: string;
  url?: string;
  style?: string;
  name?: string;
  value?: string;
  confirm?: { text: string; title?: string; ok_text?: string; dismiss_text?: string };
}

interface SlackAttachment {
  title?: string;
  text: string;
  fallback: string;
  callback_id: string;
  footer: string;
  [k: string]: unknown;
}

interface SlackRequest {
  channel?: string;
  text?: string;
  attachments?: SlackAttachment[];
  blocks?: unknown[];
  [k: string]: unknown;
}

function nonEmpty<K extends string>(key: K, value: string): { [P in K]?: string } {
  return (value ? { [key]: value } : {}) as { [P in K]?: string };
}

function parseBlocks(text: string): unknown[] {
  if (text.trim() === '') return [];
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new TemplateError(`template blocks: not JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(v)) throw new TemplateError('template blocks: expected a JSON array of Block Kit blocks');
  return v;
}

/** Slack answers 200 with `ok` (webhooks) or `{"ok":true}` (Web API); anything else is refused. */
function slackAnswer(res: HttpResponse, channel: string | undefined): NotifyResult {
  const where = channel ? `channel ${JSON.stringify(channel)}: ` : '';
  const type = String(res.headers['content-type'] ?? '');
  if (!type.startsWith('application/json')) {
    return res.body === 'ok' ? { ok: true } : { ok: false, retryable: false, error: `${where}received an error response from Slack: ${res.body.slice(0, 200)}` };
  }
  let data: { ok?: boolean; error?: string };
  try {
    data = JSON.parse(res.body) as { ok?: boolean; error?: string };
  } catch {
    return { ok: false, retryable: true, error: `${where}could not parse Slack's JSON answer: ${res.body.slice(0, 200)}` };
  }
  if (data.ok) return { ok: true };
  return { ok: false, retryable: data.error === 'ratelimited', error: `${where}error response from Slack: ${data.error ?? 'unknown'}` };
}

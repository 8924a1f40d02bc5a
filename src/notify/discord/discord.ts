import { guard, post, jsonDetail, attemptOptions } from '../common/deliver.js';
import { resolveHttpConfig } from '../common/http-config.js';
import { Redactor, readOptionalSecret, urlSecrets } from '../common/secrets.js';
import { templateData } from '../common/template-data.js';
import { Renderer } from '../common/templates.js';
import { runeCutter } from '../common/truncate.js';
import type { NotificationMessage } from '../message.js';
import type { Notifier, NotifyResult } from '../notifier.js';
import type { NotifierDeps } from '../spec.js';
import type { DiscordConfig } from './config.js';

const MAX_TITLE = 256;
const MAX_DESCRIPTION = 4096;
const MAX_CONTENT = 2000;
const COLOUR = { firing: 0x992d22, resolved: 0x2ecc71 } as const;

/**
 * Alertmanager's Discord message: `content` plus one embed (title, description, red while
 * firing and green once resolved), cut to Discord's limits. Vigil links the embed's title to
 * the incident when the message has one.
 */
export class DiscordNotifier implements Notifier {
  private readonly cut: (text: string, max: number, field: string) => string;

  constructor(
    private readonly config: DiscordConfig,
    private readonly deps: NotifierDeps,
  ) {
    this.cut = runeCutter('discord', deps.logger);
  }

  notify(msg: NotificationMessage, ctx: { readonly signal: AbortSignal }): Promise<NotifyResult> {
    const redactor = new Redactor();
    return guard('discord', redactor, async () => {
      const c = this.config;
      const url = readOptionalSecret(c, 'webhook_url', this.deps.secrets);
      if (!url) return { ok: false, retryable: false, error: 'discord: no webhook_url configured' };
      redactor.add(...urlSecrets(url));
      // Registered with the redactor before anything can fail.
      const http = resolveHttpConfig(c.http_config, this.deps.secrets, redactor);
      const data = templateData(msg, this.deps.externalURL);
      const r = new Renderer(this.deps.templates, data);
      const embed = {
        title: this.cut(r.text(c.title, 'title'), MAX_TITLE, 'title'),
        description: this.cut(r.text(c.message, 'message'), MAX_DESCRIPTION, 'message'),
        color: COLOUR[data.Status],
        ...(data.IncidentURL ? { url: data.IncidentURL } : {}),
      };
      const content = this.cut(r.text(c.content, 'content'), MAX_CONTENT, 'content');
      if (r.error) throw r.error;
      const avatar = c.avatar_url && URL.canParse(c.avatar_url) ? c.avatar_url : undefined;
      const body = { content, embeds: [embed], ...(c.username ? { username: c.username } : {}), ...(avatar ? { avatar_url: avatar } : {}) };
      return post({
        type: 'discord',
        url,
        body: JSON.stringify(body),
        http,
        redactor,
        ...attemptOptions(c.timeout, ctx, this.deps),
        detail: discordError,
      });
    });
  }

}

/** `{"code": 50006, "message": "Cannot send an empty message"}` or `{"message":"You are being rate limited.","retry_after":0.5}`. */
const discordError = jsonDetail<{ message?: string; code?: number; retry_after?: number }>((e) => e.message && `${e.code !== undefined ? `${e.code} ` : ''}${e.message}${e.retry_after !== undefined ? ` (retry after ${e.retry_after}s)` : ''}`);

import { deliverHttp, guard, isResult, jsonDetail, attemptOptions } from '../common/deliver.js';
import { resolveHttpConfig } from '../common/http-config.js';
import { Redactor, readOptionalSecret, SecretError } from '../common/secrets.js';
import { templateData } from '../common/template-data.js';
import { Renderer } from '../common/templates.js';
import { truncateRunes } from '../common/truncate.js';
import type { NotificationMessage } from '../message.js';
import type { Notifier, NotifyResult } from '../notifier.js';
import type { NotifierDeps } from '../spec.js';
import type { TelegramConfig } from './config.js';

const MAX_MESSAGE_RUNES = 4096;

/**
 * The Bot API's sendMessage, as Alertmanager sends it: the chat, the text (rendered as HTML
 * with values escaped when parse_mode is HTML, the default), link previews off. An HTML text
 * over Telegram's 4,096 characters cannot be cut safely and is replaced by a notice saying so;
 * other texts are cut. Telegram's `{"ok":false,"description":…}` is quoted in the failure.
 */
export class TelegramNotifier implements Notifier {
  constructor(
    private readonly config: TelegramConfig,
    private readonly deps: NotifierDeps,
  ) {}

  notify(msg: NotificationMessage, ctx: { readonly signal: AbortSignal }): Promise<NotifyResult> {
    const redactor = new Redactor();
    return guard('telegram', redactor, async () => {
      const c = this.config;
      const token = readOptionalSecret(c, 'bot_token', this.deps.secrets);
      if (!token) return { ok: false, retryable: false, error: 'telegram: no bot_token configured' };
      redactor.add(token, `bot${token}`);
      // Registered with the redactor before anything can fail.
      const http = resolveHttpConfig(c.http_config, this.deps.secrets, redactor);
      const r = new Renderer(this.deps.templates, templateData(msg, this.deps.externalURL));
      let text: string;
      if (c.parse_mode === 'HTML') {
        text = r.html(c.message, 'message');
        if ([...text].length > MAX_MESSAGE_RUNES) {
          this.deps.logger?.warn('telegram: the HTML message is longer than Telegram allows; sent a notice instead', { max_runes: MAX_MESSAGE_RUNES });
          text = 'Vigil notification could not be sent: message length exceeds Telegram limits.\nPlease check the template used for producing the message content.';
        }
      } else {
        const t = truncateRunes(r.text(c.message, 'message'), MAX_MESSAGE_RUNES);
        if (t.truncated) this.deps.logger?.warn('telegram: truncated the message', { max_runes: MAX_MESSAGE_RUNES });
        text = t.text;
      }
      if (r.error) throw r.error;
      const body = {
        // A string, as Alertmanager's client sends it (the Bot API takes both).
        chat_id: String(this.chatId()),
        text,
        ...(c.parse_mode ? { parse_mode: c.parse_mode } : {}),
        ...(c.message_thread_id ? { message_thread_id: c.message_thread_id } : {}),
        ...(c.disable_notifications ? { disable_notification: true } : {}),
        disable_web_page_preview: true,
      };
      const base = (c.api_url ?? 'https://api.telegram.org').replace(/\/+$/, '');
      const res = await deliverHttp({
        type: 'telegram',
        url: `${base}/bot${token}/sendMessage`,
        body: JSON.stringify(body),
        http,
        redactor,
        ...attemptOptions(c.timeout, ctx, this.deps),
        detail: telegramError,
        accept: (res) => (/"ok"\s*:\s*false/.test(res.body) ? { ok: false, retryable: false, error: telegramError(res) } : { ok: true }),
      });
      return isResult(res) ? res : { ok: true };
    });
  }

  private chatId(): number {
    const c = this.config;
    if (c.chat_id_file === undefined) return c.chat_id ?? 0;
    let text: string;
    try {
      text = this.deps.secrets.readFile(c.chat_id_file).trim();
    } catch (err) {
      throw new SecretError(`chat_id_file: cannot read ${c.chat_id_file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (!/^-?\d+$/.test(text)) throw new SecretError(`chat_id_file: ${c.chat_id_file} does not hold a chat id`);
    return Number(text);
  }
}

/** `{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`. */
const telegramError = jsonDetail<{ description?: string; parameters?: { retry_after?: number } }>((e) => e.description && `${e.description}${e.parameters?.retry_after ? ` (retry after ${e.parameters.retry_after}s)` : ''}`);

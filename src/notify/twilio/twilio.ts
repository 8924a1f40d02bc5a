import { deliverHttp, guard, isResult, jsonDetail, attemptOptions } from '../common/deliver.js';
import { resolveHttpConfig } from '../common/http-config.js';
import { Redactor, readOptionalSecret } from '../common/secrets.js';
import { templateData } from '../common/template-data.js';
import { Renderer } from '../common/templates.js';
import { runeCutter } from '../common/truncate.js';
import type { NotificationMessage } from '../message.js';
import type { Notifier, NotifyResult } from '../notifier.js';
import type { NotifierDeps } from '../spec.js';
import type { TwilioConfig } from './config.js';

/** Twilio refuses message bodies over 1,600 characters. */
const MAX_SMS = 1600;
/** …and a Twiml parameter over 4,000. */
const MAX_TWIML = 4000;

export function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);
}

/**
 * One SMS (Messages resource) or one phone call (Calls resource, with inline TwiML that reads
 * the text out `say_loop` times) per notification. Basic auth with the account SID and auth
 * token; the body is form-encoded, as Twilio's API takes it. Twilio's error answer
 * (`{"code":21211,"message":…}`) is quoted in the failure.
 */
export class TwilioNotifier implements Notifier {
  private readonly cut: (text: string, max: number, field: string) => string;

  constructor(
    private readonly config: TwilioConfig,
    private readonly deps: NotifierDeps,
  ) {
    this.cut = runeCutter('twilio', deps.logger);
  }

  notify(msg: NotificationMessage, ctx: { readonly signal: AbortSignal }): Promise<NotifyResult> {
    const redactor = new Redactor();
    return guard('twilio', redactor, async () => {
      const c = this.config;
      const token = readOptionalSecret(c, 'auth_token', this.deps.secrets);
      if (!c.account_sid || token === undefined) return { ok: false, retryable: false, error: 'twilio: no account_sid or auth_token configured (see global.twilio_*)' };
      redactor.add(token);
      // Registered with the redactor before anything can fail.
      const http = resolveHttpConfig(c.http_config, this.deps.secrets, redactor);
      const r = new Renderer(this.deps.templates, templateData(msg, this.deps.externalURL));
      const to = r.text(c.to, 'to').trim();
      const from = r.text(c.from, 'from').trim();
      const form = new URLSearchParams({ To: to });
      if (c.messaging_service_sid && c.mode === 'sms') form.set('MessagingServiceSid', c.messaging_service_sid);
      else form.set('From', from);
      let resource: 'Messages' | 'Calls';
      if (c.mode === 'sms') {
        resource = 'Messages';
        form.set('Body', this.cut(r.text(c.message, 'message'), MAX_SMS, 'message'));
      } else {
        resource = 'Calls';
        form.set('Twiml', this.twiml(r.text(c.voice_message, 'voice_message')));
      }
      if (r.error) throw r.error;
      const basic = `Basic ${Buffer.from(`${c.account_sid}:${token}`).toString('base64')}`;
      redactor.add(basic);
      const base = (c.api_url ?? 'https://api.twilio.com').replace(/\/+$/, '');
      const res = await deliverHttp({
        type: 'twilio',
        url: `${base}/2010-04-01/Accounts/${encodeURIComponent(c.account_sid)}/${resource}.json`,
        body: form.toString(),
        contentType: 'application/x-www-form-urlencoded',
        headers: { authorization: basic, accept: 'application/json' },
        http,
        redactor,
        ...attemptOptions(c.timeout, ctx, this.deps),
        detail: twilioError,
      });
      return isResult(res) ? res : { ok: true };
    });
  }

  /** `<Response><Say …>text</Say></Response>`, the text cut so the whole fits Twilio's limit. */
  private twiml(text: string): string {
    const c = this.config;
    const attrs = [c.say_voice && `voice="${xmlEscape(c.say_voice)}"`, c.say_language && `language="${xmlEscape(c.say_language)}"`, c.say_loop !== 1 && `loop="${c.say_loop}"`]
      .filter(Boolean)
      .join(' ');
    const open = `<?xml version="1.0" encoding="UTF-8"?><Response><Say${attrs ? ` ${attrs}` : ''}>`;
    const close = '</Say></Response>';
    let said = xmlEscape(text.replace(/\s+/g, ' ').trim());
    const room = MAX_TWIML - open.length - close.length;
    if (said.length > room) {
      this.deps.logger?.warn('twilio: cut the spoken text to fit Twilio', { max_chars: MAX_TWIML });
      said = said.slice(0, room).replace(/&[a-z]*$/, '');
    }
    return `${open}${said}${close}`;
  }

}

/** Twilio's error body: `{"code": 21211, "message": "…", "more_info": "…", "status": 400}`. */
const twilioError = jsonDetail<{ code?: number; message?: string }>((e) => e.message && `${e.code !== undefined ? `${e.code} ` : ''}${e.message}`);

import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { guard } from '../common/deliver.js';
import { resolveTls } from '../common/http-config.js';
import { DEFAULT_TIMEOUT_MS } from '../common/schema.js';
import { Redactor, readOptionalSecret } from '../common/secrets.js';
import { templateData } from '../common/template-data.js';
import { Renderer } from '../common/templates.js';
import type { NotificationMessage } from '../message.js';
import type { Notifier, NotifyResult } from '../notifier.js';
import type { NotifierDeps } from '../spec.js';
import type { EmailConfig } from './config.js';

/**
 * Sends one mail per notification over SMTP, as Alertmanager's email notifier does: implicit
 * TLS when force_implicit_tls is set (or, unset, on port 465), otherwise STARTTLS when
 * require_tls (refusing a server that does not offer it) and plain SMTP when not; AUTH only
 * when the server offers it and auth_username is set (PLAIN or LOGIN with auth_password,
 * CRAM-MD5 with auth_secret). The body is multipart/alternative with the text and HTML parts.
 *
 * Failures: SMTP 4xx replies and network errors are retryable, 5xx replies (a refused
 * recipient, failed authentication) are not.
 */
export class EmailNotifier implements Notifier {
  constructor(
    private readonly config: EmailConfig,
    private readonly deps: NotifierDeps,
  ) {}

  notify(msg: NotificationMessage, ctx: { readonly signal: AbortSignal }): Promise<NotifyResult> {
    const redactor = new Redactor();
    return guard('email', redactor, async () => {
      const c = this.config;
      if (!c.smarthost || !c.from) return { ok: false, retryable: false, error: 'email: no smarthost or from address configured (see global.smtp_*)' };
      if (ctx.signal.aborted) return { ok: false, retryable: true, error: 'email: aborted' };
      const password = readOptionalSecret(c, 'auth_password', this.deps.secrets);
      const secret = readOptionalSecret(c, 'auth_secret', this.deps.secrets);
      redactor.add(password, secret);
      const r = new Renderer(this.deps.templates, templateData(msg, this.deps.externalURL));
      const from = r.text(c.from, 'from');
      const to = r.text(c.to, 'to');
      const headers: Record<string, string> = { Subject: '{{ template "email.default.subject" . }}', To: c.to, From: c.from, ...c.headers };
      const rendered: Record<string, string> = {};
      for (const [name, value] of Object.entries(headers)) rendered[name] = r.text(value, `headers.${name}`).replace(/[\r\n]+/g, ' ');
      const text = r.text(c.text, 'text');
      const html = r.html(c.html, 'html');
      if (r.error) throw r.error;

      const { Subject: subject = '', To: toHeader, From: fromHeader, ...extra } = rendered;
      if (c.threading?.enabled) {
        const key = createHash('sha256').update(msg.groupKey).digest('hex').slice(0, 16);
        const day = c.threading.thread_by_date === 'none' ? '' : new Date(this.now()).toISOString().slice(0, 10);
        extra['References'] = extra['In-Reply-To'] = `<alert-${key}-${day}@vigil>`;
      }
      const timeout = c.timeout ?? DEFAULT_TIMEOUT_MS;
      const [host, port] = splitHostPort(c.smarthost);
      const implicit = c.force_implicit_tls ?? port === 465;
      const auth = c.auth_username ? { user: c.auth_username, pass: password ?? secret ?? '', ...(password === undefined && secret !== undefined ? { method: 'CRAM-MD5' } : {}) } : undefined;
      const options: SMTPTransport.Options = {
        host,
        port,
        secure: implicit,
        requireTLS: !implicit && c.require_tls !== false,
        ignoreTLS: !implicit && c.require_tls === false,
        name: c.hello ?? 'localhost',
        ...(auth ? { auth } : {}),
        tls: { ...(isIP(host) ? {} : { servername: host }), ...(c.tls_config ? resolveTls(c.tls_config, this.deps.secrets, redactor) : {}) },
        connectionTimeout: timeout || undefined,
        greetingTimeout: timeout || undefined,
        socketTimeout: timeout || undefined,
        disableFileAccess: true,
        disableUrlAccess: true,
      };
      // Loaded with the first mail: a server that never sends one does not hold nodemailer (~2 MiB).
      const { default: nodemailer } = await import('nodemailer');
      const transport = nodemailer.createTransport(options);
      const abort = new Promise<NotifyResult>((resolve) => {
        const onAbort = (): void => {
          transport.close();
          resolve({ ok: false, retryable: true, error: 'email: aborted' });
        };
        if (ctx.signal.aborted) onAbort();
        else ctx.signal.addEventListener('abort', onAbort, { once: true });
      });
      const send = transport
        .sendMail({
          from: fromHeader ?? from,
          to: toHeader ?? to,
          envelope: { from: addresses(from)[0] ?? from, to: addresses(to) },
          subject,
          ...(text ? { text } : {}),
          ...(html ? { html } : {}),
          headers: extra,
          date: new Date(this.now()),
          ...(this.deps.hostname ? { messageId: `<${this.now()}.${Math.random().toString(36).slice(2)}@${this.deps.hostname}>` } : {}),
        })
        .then(
          (): NotifyResult => ({ ok: true }),
          (err: unknown): NotifyResult => smtpFailure(err, c.smarthost as string),
        )
        .finally(() => transport.close());
      return Promise.race([send, abort]);
    });
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }
}

function splitHostPort(hp: string): [string, number] {
  const i = hp.lastIndexOf(':');
  return [hp.slice(0, i).replace(/^\[|\]$/g, ''), Number(hp.slice(i + 1))];
}

/** The bare addresses of an address list (`Ops <ops@example.com>, b@example.com`). */
export function addresses(list: string): string[] {
  const out: string[] = [];
  for (const part of list.split(',')) {
    const m = /<([^>]+)>/.exec(part);
    const a = (m ? m[1] : part)?.trim();
    if (a) out.push(a);
  }
  return out;
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
}

/** SMTP 4xx and connection problems are worth retrying; 5xx replies are final. */
function smtpFailure(err: unknown, smarthost: string): NotifyResult {
  const e = (err ?? {}) as SmtpError;
  const code = e.responseCode;
  // A server that cannot do STARTTLS may be fixed server-side; Alertmanager retries it too.
  const starttls = /STARTTLS/i.test(`${e.command ?? ''} ${e.message ?? ''}`);
  const retryable = starttls || (code !== undefined ? code < 500 : e.code !== 'EENVELOPE' && e.code !== 'EMESSAGE');
  const what = e.command ? `${e.command}: ` : '';
  const detail = (starttls && e.command === 'STARTTLS' ? `the server does not offer STARTTLS, which require_tls asks for (${e.response ?? e.message})` : (e.response ?? e.message ?? String(err))).replace(/\s+/g, ' ').slice(0, 300);
  const timedOut = e.code === 'ETIMEDOUT' || /timeout/i.test(e.message ?? '');
  return { ok: false, retryable, error: `email: ${smarthost}: ${timedOut ? 'timed out: ' : ''}${what}${detail}` };
}

import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerOptions } from 'smtp-server';

/** One mail a fake SMTP server accepted (or was offered). */
export interface ReceivedMail {
  /** `user:password` when the client authenticated. */
  readonly auth?: string;
  readonly method?: string;
  readonly from: string;
  readonly to: readonly string[];
  /** Whether the session ran over TLS (STARTTLS or implicit). */
  readonly secure: boolean;
  /** The raw message: headers and MIME body. */
  readonly data: string;
}

/** What the server replies to the next RCPT TO: accept, an SMTP error code with text, or nothing ever. */
export type SmtpAnswer = { readonly kind: 'accept' } | { readonly kind: 'reject'; readonly code: number; readonly text: string } | { readonly kind: 'hang' };

export interface FakeSmtp {
  readonly host: string;
  readonly port: number;
  readonly mails: ReceivedMail[];
  /** Everything the server was told, also from sessions that did not end in a mail. */
  readonly sessions: string[];
  answer(a: SmtpAnswer): void;
  close(): Promise<void>;
}

export interface FakeSmtpOptions {
  /** PEM key and certificate: offers STARTTLS (or implicit TLS with `secure`). */
  readonly tls?: { readonly key: string; readonly cert: string };
  readonly secure?: boolean;
  /** Requires AUTH with these methods (PLAIN, LOGIN, CRAM-MD5) before MAIL. */
  readonly auth?: readonly string[];
  /** The password AUTH accepts; any non-empty password when unset. */
  readonly password?: string;
}

/** A real SMTP server (smtp-server) on 127.0.0.1, for tests of the email notifier. */
export async function fakeSmtp(opts: FakeSmtpOptions = {}): Promise<FakeSmtp> {
  const mails: ReceivedMail[] = [];
  const sessions: string[] = [];
  let next: SmtpAnswer = { kind: 'accept' };
  const auths = new Map<string, { auth: string; method: string }>();
  const options: SMTPServerOptions = {
    secure: opts.secure ?? false,
    ...(opts.tls ? { key: opts.tls.key, cert: opts.tls.cert } : {}),
    authMethods: [...(opts.auth ?? ['PLAIN', 'LOGIN'])],
    authOptional: opts.auth === undefined,
    allowInsecureAuth: opts.tls === undefined,
    disabledCommands: [...(opts.auth === undefined ? ['AUTH'] : []), ...(opts.tls === undefined ? ['STARTTLS'] : [])],
    logger: false,
    onAuth(auth, session, cb) {
      const ok = auth.method === 'CRAM-MD5' ? auth.validatePassword(opts.password ?? '') : opts.password === undefined ? (auth.password ?? '') !== '' : auth.password === opts.password;
      const record = `AUTH ${auth.method} ${auth.username}:${auth.password ?? '(challenge)'}`;
      sessions.push(record);
      if (!ok) {
        cb(Object.assign(new Error(`Invalid username or password for ${auth.username}:${auth.password ?? ''}`), { responseCode: 535 }));
        return;
      }
      auths.set(session.id, { auth: `${auth.username}:${auth.password ?? ''}`, method: auth.method });
      cb(null, { user: auth.username });
    },
    onRcptTo(address, session, cb) {
      sessions.push(`RCPT ${address.address}`);
      const a = next;
      if (a.kind === 'hang') return;
      if (a.kind === 'reject') {
        cb(Object.assign(new Error(a.text), { responseCode: a.code }));
        return;
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const data = Buffer.concat(chunks).toString('utf8');
        sessions.push(data);
        const a = auths.get(session.id);
        mails.push({
          ...(a ? { auth: a.auth, method: a.method } : {}),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
          data,
        });
        cb();
      });
    },
  };
  const server = new SMTPServer(options);
  server.on('error', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    mails,
    sessions,
    answer: (a) => {
      next = a;
    },
    close: () =>
      new Promise<void>((r) => {
        const s = server as unknown as { connections?: Set<{ close(): void }> };
        for (const c of s.connections ?? []) c.close();
        server.close(() => r());
      }),
  };
}

/** Decodes a quoted-printable MIME part body. */
export function decodeQuotedPrintable(s: string): string {
  const bytes = s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from 'selfsigned';
import { describeNotifier, SAMPLE_MESSAGE } from '../describe-notifier.js';
import type { Peer } from '../describe-notifier.js';
import { globalSchema } from '../global.js';
import { testDeps } from '../testing/deps.js';
import { decodeQuotedPrintable, fakeSmtp } from '../testing/fake-smtp.js';
import type { FakeSmtp, FakeSmtpOptions } from '../testing/fake-smtp.js';
import { emailConfigSchema } from './config.js';
import { emailSpec } from './index.js';

let pems: { key: string; cert: string };
before(async () => {
  const p = await generate([{ name: 'commonName', value: 'localhost' }], { keyType: 'ec', algorithm: 'sha256' });
  pems = { key: p.private, cert: p.cert };
});

/** The conformance suite's peer as an SMTP server with STARTTLS and AUTH: HTTP-like statuses become SMTP replies. */
async function smtpPeer(): Promise<Peer & { smtp: FakeSmtp }> {
  const smtp = await fakeSmtp({ tls: pems, auth: ['PLAIN', 'LOGIN'] });
  return {
    url: `${smtp.host}:${smtp.port}`,
    port: smtp.port,
    smtp,
    received: () => smtp.sessions,
    answer: (a) => {
      if (a.kind === 'ok') smtp.answer({ kind: 'accept' });
      else if (a.kind === 'hang') smtp.answer({ kind: 'hang' });
      else {
        const transient = a.status >= 500 || a.status === 429;
        const echo = a.kind === 'echo' ? ` ${smtp.sessions.join(' ')}` : '';
        smtp.answer({ kind: 'reject', code: transient ? 451 : 550, text: `mailbox unavailable${echo}` });
      }
    },
    close: () => smtp.close(),
  };
}

const tlsToLocalhost = () => ({ ca: pems.cert, server_name: 'localhost' });

describeNotifier({
  name: 'email',
  spec: emailSpec,
  peer: smtpPeer,
  config: (peer, secret) => ({
    to: 'oncall@example.com',
    from: 'vigil@example.com',
    smarthost: peer.url,
    auth_username: 'vigil',
    ...secret('auth_password'),
    tls_config: tlsToLocalhost(),
  }),
  maxBodyBytes: 10 * 1024 * 1024,
});

const signal = () => new AbortController().signal;

function build(cfg: Record<string, unknown>, global: Record<string, unknown> = {}) {
  const parsed = emailConfigSchema.parse(cfg);
  const { config, problems } = emailSpec.applyGlobal(parsed, globalSchema.parse(global));
  assert.deepEqual(problems, []);
  return emailSpec.create(config, testDeps());
}

/** The decoded text and HTML parts of a multipart/alternative mail. */
function parts(data: string): { text: string; html: string; headers: string } {
  const headers = data.slice(0, data.indexOf('\r\n\r\n'));
  const boundary = /boundary="?([^";\r\n]+)"?/.exec(headers)?.[1] ?? '';
  const out = { text: '', html: '', headers };
  for (const part of data.split(`--${boundary}`)) {
    const i = part.indexOf('\r\n\r\n');
    const body = /quoted-printable/i.test(part.slice(0, i)) ? decodeQuotedPrintable(part.slice(i + 4)) : part.slice(i + 4);
    if (/Content-Type: text\/plain/i.test(part)) out.text = body;
    if (/Content-Type: text\/html/i.test(part)) out.html = body;
  }
  return out;
}

async function withSmtp(opts: FakeSmtpOptions, fn: (s: FakeSmtp) => Promise<void>): Promise<void> {
  const s = await fakeSmtp(opts);
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

test('STARTTLS and AUTH PLAIN against a real SMTP server: text and HTML parts, subject, links', () =>
  withSmtp({ tls: pems, auth: ['PLAIN'], password: 'pw-1234' }, async (s) => {
    const n = build({
      to: 'Alice <alice@example.com>, bob@example.com',
      from: 'Vigil <vigil@example.com>',
      smarthost: `${s.host}:${s.port}`,
      auth_username: 'vigil',
      auth_password: 'pw-1234',
      tls_config: tlsToLocalhost(),
      headers: { 'x-team': 'shop', 'reply-to': 'ops@example.com' },
    });
    assert.deepEqual(await n.notify(SAMPLE_MESSAGE, { signal: signal() }), { ok: true });
    const [mail] = s.mails;
    assert.ok(mail);
    assert.equal(mail.secure, true, 'STARTTLS was used');
    assert.equal(mail.auth, 'vigil:pw-1234');
    assert.equal(mail.from, 'vigil@example.com');
    assert.deepEqual(mail.to, ['alice@example.com', 'bob@example.com']);
    const { text, html, headers } = parts(mail.data);
    assert.match(headers, /^Subject: \[FIRING:1\] Conformance \(critical\)$/m);
    assert.match(headers, /^To: Alice <alice@example.com>, bob@example.com$/m);
    assert.match(headers, /^X-Team: shop$/m);
    assert.match(headers, /^Reply-To: ops@example.com$/m);
    assert.match(headers, /^Content-Type: multipart\/alternative/m);
    assert.match(headers, /^Date: Thu, 01 Jan 2026 12:00:00 \+0000$/m);
    assert.match(text, /Alerts Firing:\r?\nLabels:\r?\n - alertname = Conformance\r?\n - severity = critical/);
    assert.match(text, /Acknowledge: http:\/\/vigil.test\/ack\/tok1/);
    assert.match(html, /<a href="http:\/\/vigil.test\/ack\/tok1"[^>]*>Acknowledge<\/a>/);
    assert.match(html, /<a href="http:\/\/vigil.test\/incidents\/7"[^>]*>View in Vigil<\/a>/);
    assert.match(html, /1 alert for alertname=Conformance/);
  }));

test('values are HTML-escaped in the HTML part and left alone in the text part', () =>
  withSmtp({}, async (s) => {
    const n = build({ to: 'a@example.com', from: 'v@example.com', smarthost: `${s.host}:${s.port}`, require_tls: false });
    const msg = { ...SAMPLE_MESSAGE, alerts: [{ ...SAMPLE_MESSAGE.alerts[0]!, annotations: { summary: '<b>x</b> & "y"' } }] };
    assert.deepEqual(await n.notify(msg, { signal: signal() }), { ok: true });
    const { text, html } = parts(s.mails[0]?.data ?? '');
    assert.match(text, / - summary = <b>x<\/b> & "y"/);
    assert.match(html, /&lt;b&gt;x&lt;\/b&gt; &amp; &#34;y&#34;/);
    assert.ok(!html.includes('<b>x</b>'));
  }));

test('require_tls (the default) refuses a server without STARTTLS, retryably; require_tls: false sends in plain', () =>
  withSmtp({}, async (s) => {
    const strict = build({ to: 'a@example.com', from: 'v@example.com', smarthost: `${s.host}:${s.port}` });
    const r = await strict.notify(SAMPLE_MESSAGE, { signal: signal() });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.retryable, true);
      assert.match(r.error, /^email: 127\.0\.0\.1:\d+: .*STARTTLS/);
    }
    assert.equal(s.mails.length, 0);
    const plain = build({ to: 'a@example.com', from: 'v@example.com', smarthost: `${s.host}:${s.port}`, require_tls: false });
    assert.deepEqual(await plain.notify(SAMPLE_MESSAGE, { signal: signal() }), { ok: true });
    assert.equal(s.mails[0]?.secure, false);
  }));

test('implicit TLS with force_implicit_tls', () =>
  withSmtp({ tls: pems, secure: true, auth: ['LOGIN'] }, async (s) => {
    const n = build({ to: 'a@example.com', from: 'v@example.com', smarthost: `${s.host}:${s.port}`, force_implicit_tls: true, auth_username: 'u', auth_password: 'p4ss', tls_config: tlsToLocalhost() });
    assert.deepEqual(await n.notify(SAMPLE_MESSAGE, { signal: signal() }), { ok: true });
    assert.equal(s.mails[0]?.secure, true);
    assert.equal(s.mails[0]?.method, 'LOGIN');
  }));

test('CRAM-MD5 with auth_secret', () =>
  withSmtp({ tls: pems, auth: ['CRAM-MD5'], password: 'cram-secret' }, async (s) => {
    const n = build({ to: 'a@example.com', from: 'v@example.com', smarthost: `${s.host}:${s.port}`, auth_username: 'u', auth_secret: 'cram-secret', tls_config: tlsToLocalhost() });
    assert.deepEqual(await n.notify(SAMPLE_MESSAGE, { signal: signal() }), { ok: true });
    assert.equal(s.mails[0]?.method, 'CRAM-MD5');
  }));

test('a wrong password is a permanent failure that does not show the password', () =>
  withSmtp({ tls: pems, auth: ['PLAIN'], password: 'right-one' }, async (s) => {
    const n = build({ to: 'a@example.com', from: 'v@example.com', smarthost: `${s.host}:${s.port}`, auth_username: 'u', auth_password: 'wrong-pass', tls_config: tlsToLocalhost() });
    const r = await n.notify(SAMPLE_MESSAGE, { signal: signal() });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.retryable, false, r.error);
      assert.match(r.error, /535/);
      assert.ok(!r.error.includes('wrong-pass'), r.error);
    }
  }));

test('global smtp_* settings fill what the entry leaves unset; none anywhere is a config problem', () =>
  withSmtp({ tls: pems, auth: ['PLAIN'] }, async (s) => {
    const global = { smtp_smarthost: `${s.host}:${s.port}`, smtp_from: 'alerts@example.com', smtp_auth_username: 'g', smtp_auth_password: 'gpass', smtp_tls_config: tlsToLocalhost(), smtp_hello: 'vigil.example.com' };
    const n = build({ to: 'a@example.com' }, global);
    assert.deepEqual(await n.notify(SAMPLE_MESSAGE, { signal: signal() }), { ok: true });
    assert.equal(s.mails[0]?.auth, 'g:gpass');
    assert.equal(s.mails[0]?.from, 'alerts@example.com');
    const { problems } = emailSpec.applyGlobal(emailConfigSchema.parse({ to: 'a@example.com' }), globalSchema.parse({}));
    assert.deepEqual(
      problems.map((p) => p.message),
      ['no global SMTP smarthost set (set smarthost here or global.smtp_smarthost)', 'no global SMTP from set (set from here or global.smtp_from)'],
    );
  }));

test('threading: References and In-Reply-To name the alert group, by day unless thread_by_date is none', () =>
  withSmtp({}, async (s) => {
    const base = { to: 'a@example.com', from: 'v@example.com', smarthost: `${s.host}:${s.port}`, require_tls: false };
    await build({ ...base, threading: { enabled: true } }).notify(SAMPLE_MESSAGE, { signal: signal() });
    await build({ ...base, threading: { enabled: true, thread_by_date: 'none' } }).notify(SAMPLE_MESSAGE, { signal: signal() });
    assert.match(s.mails[0]?.data ?? '', /^References: <alert-[0-9a-f]{16}-2026-01-01@vigil>$/m);
    assert.match(s.mails[0]?.data ?? '', /^In-Reply-To: <alert-[0-9a-f]{16}-2026-01-01@vigil>$/m);
    assert.match(s.mails[1]?.data ?? '', /^References: <alert-[0-9a-f]{16}-@vigil>$/m);
  }));

test('config: to is required, header names collide case-insensitively, threading conflicts with References', () => {
  assert.match(emailConfigSchema.safeParse({}).error?.issues[0]?.message ?? '', /missing to address/);
  assert.match(emailConfigSchema.safeParse({ to: 'a', headers: { subject: 'a', Subject: 'b' } }).error?.issues[0]?.message ?? '', /duplicate header "Subject"/);
  assert.match(emailConfigSchema.safeParse({ to: 'a', headers: { references: 'x' }, threading: { enabled: true } }).error?.issues[0]?.message ?? '', /conflicts with custom References/);
  assert.match(emailConfigSchema.safeParse({ to: 'a', smarthost: 'nohost' }).error?.issues[0]?.message ?? '', /expected host:port/);
  assert.match(emailConfigSchema.safeParse({ to: 'a', auth_password: 'x', auth_password_env: 'Y' }).error?.issues[0]?.message ?? '', /at most one of auth_password/);
});

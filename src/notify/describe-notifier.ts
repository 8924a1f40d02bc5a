import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { z } from 'zod';
import { TemplateError } from './common/templates.js';
import { redactReceivers } from './check.js';
import type { ReceiverConfig } from './config.js';
import { globalSchema } from './global.js';
import { NOTIFIERS, NOTIFIER_KEYS } from './registry.js';
import type { NotificationMessage } from './message.js';
import type { Notifier, NotifyResult } from './notifier.js';
import type { NotifierDeps, NotifierSpec } from './spec.js';
import { fakeSecrets, testDeps, TEST_SECRET_ENV, TEST_SECRET_FILE } from './testing/deps.js';
import { fakeHttp } from './testing/fake-http.js';
import type { Answer } from './testing/fake-http.js';

/**
 * The contract every notifier's test runs (Alertmanager's notify/test does the same with
 * RetryTests and AssertNotifyLeaksNoSecret):
 * - success is `{ok: true}`, and each secret works given inline, as `_file` and as `_env`;
 * - 5xx, 429 and network errors are retryable, other 4xx are not;
 * - a peer that never answers is cut off by `timeout` (retryable), and an aborted delivery
 *   resolves at once; notify() never throws, a failing template included;
 * - no secret appears in an error (even when the peer echoes the whole request back), in a
 *   logged warning, or in the config the API shows;
 * - a notification far larger than the vendor accepts is cut to fit.
 */
export const SAMPLE_MESSAGE: NotificationMessage = {
  receiver: 'conformance',
  groupKey: '{}:{alertname="Conformance"}',
  groupLabels: { alertname: 'Conformance' },
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'Conformance', severity: 'critical' },
      annotations: { summary: 'conformance test' },
      startsAt: Date.UTC(2026, 0, 1),
      endsAt: 0,
      generatorURL: 'http://vigil.test/graph',
      fingerprint: '0123456789abcdef',
    },
  ],
  links: [
    { rel: 'ack', url: 'http://vigil.test/ack/tok1', text: 'Acknowledge' },
    { rel: 'incident', url: 'http://vigil.test/incidents/7', text: 'Open incident' },
  ],
};

/** How the fake vendor answers the next delivery. */
export type PeerAnswer = { readonly kind: 'ok' } | { readonly kind: 'status'; readonly status: number } | { readonly kind: 'echo'; readonly status: number } | { readonly kind: 'hang' };

/** The fake vendor a harness's notifier talks to. The default is an HTTP server on 127.0.0.1. */
export interface Peer {
  /** `http://127.0.0.1:port` (HTTP peers) or `127.0.0.1:port`. */
  readonly url: string;
  readonly port: number;
  /** Everything received so far, one string per request (method, path, headers and body). */
  received(): string[];
  answer(a: PeerAnswer): void;
  close(): Promise<void>;
}

/** How a secret is given in the config under test. */
export type SecretMode = 'inline' | 'file' | 'env';

export interface NotifierHarness<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly spec: NotifierSpec<S>;
  /**
   * A config entry that delivers to the peer. `secret('api_key')` returns the fields that give
   * the test secret for that key in the mode under test (`{api_key: …}`, `{api_key_file: …}`,
   * `{api_key_env: …}`); use it for every secret the config has. A secret that must have a
   * shape (a URL) is made from the test secret by `value`.
   */
  config(peer: Peer, secret: (key: string, value?: (secret: string) => string) => Record<string, string>): z.input<S>;
  /** The HTTP answer of a successful delivery (Slack: `{"ok":true}` as JSON). Default 200 "ok". */
  readonly ok?: Answer;
  /** A non-HTTP peer (SMTP). */
  peer?(): Promise<Peer>;
  /** Deps the notifier needs to reach its peer (the log notifier's writer). */
  deps?(peer: Peer): Partial<NotifierDeps>;
  /** The vendor's limit of one request body, in bytes. */
  readonly maxBodyBytes: number;
  /** Statuses besides 5xx and 429 this vendor's notifier retries (PagerDuty's v1 API: 403). */
  readonly retryStatuses?: readonly number[];
  /** Whether the peer can answer with statuses (false for a notifier that has none). */
  readonly statuses?: boolean;
  /** Whether the notifier renders templates (false: the failing-template test is skipped). */
  readonly templated?: boolean;
}

const SECRET = 's3cr3t-Token-Xy9';

/** Builds the secret fields of a config in one mode, and the files and variables they point at. */
function secretSource(mode: SecretMode) {
  const env: Record<string, string> = {};
  const files: Record<string, string> = {};
  const fields = (key: string, value: (secret: string) => string = (x) => x): Record<string, string> => {
    const v = value(SECRET);
    const name = key.replace(/[^a-z0-9]/gi, '_').toUpperCase();
    if (mode === 'inline') return { [key]: v };
    if (mode === 'file') {
      files[`${TEST_SECRET_FILE}/${name}`] = `${v}\n`;
      return { [`${key}_file`]: `${TEST_SECRET_FILE}/${name}` };
    }
    env[`${TEST_SECRET_ENV}_${name}`] = v;
    return { [`${key}_env`]: `${TEST_SECRET_ENV}_${name}` };
  };
  return { fields, reader: () => fakeSecrets(env, files) };
}

/** The default peer: an HTTP server whose next answer the suite sets. */
export async function httpPeer(ok: Answer = { status: 200, body: 'ok' }): Promise<Peer> {
  let next: PeerAnswer = { kind: 'ok' };
  const server = await fakeHttp((req) => {
    switch (next.kind) {
      case 'ok':
        return ok;
      case 'status':
        return { status: next.status, body: 'vendor error' };
      case 'echo':
        return { status: next.status, body: `${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n${req.body}`, contentType: 'application/json' };
      case 'hang':
        return 'hang';
    }
  });
  return {
    url: server.url,
    port: server.port,
    received: () => server.requests.map((r) => `${r.method} ${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`),
    answer: (a) => {
      next = a;
    },
    close: () => server.close(),
  };
}

export function bigMessage(alerts = 400, annotationBytes = 2000): NotificationMessage {
  const text = 'x'.repeat(annotationBytes);
  return {
    ...SAMPLE_MESSAGE,
    alerts: Array.from({ length: alerts }, (_, i) => ({
      ...(SAMPLE_MESSAGE.alerts[0] as NotificationMessage['alerts'][number]),
      labels: { alertname: 'Conformance', severity: 'critical', instance: `host-${i}` },
      annotations: { summary: `alert ${i}`, description: text },
      fingerprint: i.toString(16).padStart(16, '0'),
    })),
  };
}

export function describeNotifier<S extends z.ZodType>(harness: NotifierHarness<S>): void {
  const spec = harness.spec as unknown as NotifierSpec;
  const build = (peer: Peer, mode: SecretMode, extra: Record<string, unknown> = {}, deps: Partial<NotifierDeps> = {}) => {
    const source = secretSource(mode);
    const raw = { ...(harness.config(peer, source.fields) as object), ...extra };
    const config = spec.schema.parse(raw);
    const { config: full, problems } = spec.applyGlobal ? spec.applyGlobal(config, globalSchema.parse({})) : { config, problems: [] };
    assert.deepEqual(problems, [], 'the harness config is complete');
    const d = testDeps({ secrets: source.reader(), ...harness.deps?.(peer), ...deps });
    return { notifier: spec.create(full, d) as Notifier, deps: d, raw };
  };
  const withPeer = async <T>(fn: (peer: Peer) => Promise<T>): Promise<T> => {
    const peer = harness.peer ? await harness.peer() : await httpPeer(harness.ok);
    try {
      return await fn(peer);
    } finally {
      await peer.close();
    }
  };
  const signal = () => new AbortController().signal;
  const noSecret = (r: NotifyResult, logs: readonly string[]) => {
    if (!r.ok) assert.ok(!r.error.includes(SECRET), `error leaks the secret: ${r.error}`);
    for (const l of logs) assert.ok(!l.includes(SECRET), `log leaks the secret: ${l}`);
  };

  describe(`notifier conformance: ${harness.name}`, () => {
    for (const mode of ['inline', 'file', 'env'] as const) {
      test(`delivers, with secrets given ${mode}`, () =>
        withPeer(async (peer) => {
          const { notifier, deps } = build(peer, mode);
          const r = await notifier.notify(SAMPLE_MESSAGE, { signal: signal() });
          assert.deepEqual(r, { ok: true });
          // Basic credentials are decoded so a secret sent as a password counts as used.
          const sent = peer.received().join('\n');
          const got = sent + [...sent.matchAll(/Basic ([A-Za-z0-9+/=]+)/g)].map((m) => Buffer.from(m[1] as string, 'base64').toString('utf8')).join('\n');
          assert.ok(got.length > 0, 'the peer received the notification');
          if (spec.secrets.length > 0) assert.ok(got.includes(SECRET) || got.includes(encodeURIComponent(SECRET)), 'the secret was used');
          noSecret(r, deps.logs);
        }),
      );
    }

    if (harness.statuses !== false) {
      test('5xx and 429 are retryable, other 4xx are not; errors carry no secret', () =>
        withPeer(async (peer) => {
          for (const status of [400, 401, 403, 404, 413, 422, 429, 500, 502, 503, 504]) {
            peer.answer({ kind: 'status', status });
            const { notifier, deps } = build(peer, 'inline');
            const r = await notifier.notify(SAMPLE_MESSAGE, { signal: signal() });
            assert.equal(r.ok, false, `status ${status}`);
            if (r.ok) continue;
            const retryable = status >= 500 || status === 429 || (harness.retryStatuses?.includes(status) ?? false);
            assert.equal(r.retryable, retryable, `retryable for ${status}: ${r.error}`);
            assert.ok(r.error.startsWith(`${spec.type}: `), `error names the integration: ${r.error}`);
            noSecret(r, deps.logs);
          }
        }),
      );

      test('a peer that echoes the whole request back gets no secret into the error', () =>
        withPeer(async (peer) => {
          for (const status of [400, 500]) {
            peer.answer({ kind: 'echo', status });
            const { notifier, deps } = build(peer, 'inline');
            const r = await notifier.notify(SAMPLE_MESSAGE, { signal: signal() });
            assert.equal(r.ok, false);
            noSecret(r, deps.logs);
          }
        }),
      );

      test('a peer that never answers is cut off by timeout, retryably', () =>
        withPeer(async (peer) => {
          peer.answer({ kind: 'hang' });
          const { notifier, deps } = build(peer, 'inline', { timeout: '300ms' });
          const started = Date.now();
          const r = await notifier.notify(SAMPLE_MESSAGE, { signal: signal() });
          assert.ok(Date.now() - started < 10_000, 'resolved long before the test timeout');
          assert.equal(r.ok, false);
          if (!r.ok) {
            assert.equal(r.retryable, true, r.error);
            assert.match(r.error, /timed out|timeout/i);
          }
          noSecret(r, deps.logs);
        }),
      );

      test('a refused connection is retryable', async () => {
        const peer = harness.peer ? await harness.peer() : await httpPeer(harness.ok);
        await peer.close();
        const { notifier, deps } = build(peer, 'inline');
        const r = await notifier.notify(SAMPLE_MESSAGE, { signal: signal() });
        assert.equal(r.ok, false);
        if (!r.ok) assert.equal(r.retryable, true, r.error);
        noSecret(r, deps.logs);
      });
    }

    test('an aborted delivery resolves, retryably, without a secret', () =>
      withPeer(async (peer) => {
        const ac = new AbortController();
        ac.abort();
        const { notifier, deps } = build(peer, 'inline');
        const r = await notifier.notify(SAMPLE_MESSAGE, { signal: ac.signal });
        if (!r.ok) assert.equal(r.retryable, true, r.error);
        noSecret(r, deps.logs);
      }),
    );

    if (harness.templated !== false) {
      test('a template that fails is a permanent failure, not a throw', () =>
        withPeer(async (peer) => {
          const failing = {
            check: () => undefined,
            text: () => {
              throw new TemplateError(`boom ${SECRET}`);
            },
            html: () => {
              throw new TemplateError('boom');
            },
          };
          const { notifier } = build(peer, 'inline', {}, { templates: failing });
          const r = await notifier.notify(SAMPLE_MESSAGE, { signal: signal() });
          assert.equal(r.ok, false);
          if (!r.ok) {
            assert.equal(r.retryable, false, r.error);
            assert.ok(!r.error.includes(SECRET), r.error);
          }
        }),
      );
    }

    test(`a huge notification is cut to the vendor's limit (${harness.maxBodyBytes} bytes)`, () =>
      withPeer(async (peer) => {
        const { notifier } = build(peer, 'inline');
        const r = await notifier.notify(bigMessage(), { signal: signal() });
        assert.deepEqual(r, { ok: true });
        for (const req of peer.received()) {
          const body = req.slice(req.indexOf('\n', req.indexOf('\n') + 1) + 1);
          assert.ok(Buffer.byteLength(body) <= harness.maxBodyBytes, `request body of ${Buffer.byteLength(body)} bytes`);
        }
      }),
    );

    test('the config API shows no inline secret', () =>
      withPeer(async (peer) => {
        const { raw } = build(peer, 'inline');
        const key = NOTIFIER_KEYS.find((k) => NOTIFIERS[k].type === spec.type) ?? `${spec.type}_configs`;
        const parsed = spec.schema.parse(raw);
        const shown = JSON.stringify(redactReceivers([{ name: 'r', [key]: [parsed] } as unknown as ReceiverConfig]));
        assert.ok(!shown.includes(SECRET), shown);
        const fromFile = spec.schema.parse(build(peer, 'file').raw);
        const shownFile = JSON.stringify(redactReceivers([{ name: 'r', [key]: [fromFile] } as unknown as ReceiverConfig]));
        if (spec.secrets.length > 0) assert.ok(shownFile.includes(TEST_SECRET_FILE), 'file paths are shown');
      }),
    );
  });
}

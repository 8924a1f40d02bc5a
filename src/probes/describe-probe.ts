import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock } from '../model/clock.js';
import type { Probe, ProbeResult } from './probe.js';
import { ProbeTimeoutError } from './probe.js';

/** Raw (unparsed) options for each situation the contract covers; servers already listening. */
export interface ProbeFixtures {
  /** A healthy target: the run succeeds. */
  readonly ok: Record<string, unknown>;
  /** A target that fails quickly (refused, mismatch): success false, never a rejection. */
  readonly failing: Record<string, unknown>;
  /** A target that accepts and never answers: only the timeout ends the run. */
  readonly hanging: Record<string, unknown>;
  /** A failing run whose message must not contain `secret` (e.g. a URL password). */
  readonly secret?: { readonly options: Record<string, unknown>; readonly secret: string };
  readonly teardown?: () => Promise<void> | void;
}

const TIMEOUT_MS = 300;

function assertWellFormed(r: ProbeResult): void {
  assert.equal(typeof r.success, 'boolean');
  assert.ok(Number.isFinite(r.durationMs) && r.durationMs >= 0, `durationMs ${r.durationMs}`);
  assert.ok(typeof r.message === 'string' && r.message.length > 0, 'a message is required');
  for (const [name, v] of Object.entries(r.metrics)) {
    assert.match(name, /^[a-zA-Z_:][a-zA-Z0-9_:]*$/, `metric name ${name}`);
    assert.equal(typeof v, 'number', `metric ${name}`);
  }
}

/**
 * The conformance suite every probe's test runs: strict options, well-formed results,
 * failures as results (never rejections), prompt return on timeout and abort, no secrets.
 */
export function describeProbe<S extends Probe>(probe: S, setup: () => Promise<ProbeFixtures>): void {
  describe(`probe conformance: ${probe.type}`, () => {
    let fx: ProbeFixtures;
    before(async () => {
      fx = await setup();
    });
    after(async () => {
      await fx?.teardown?.();
    });
    const parse = (raw: Record<string, unknown>) => probe.optionsSchema.parse(raw);
    const run = (raw: Record<string, unknown>, signal: AbortSignal, timeoutMs = TIMEOUT_MS) =>
      probe.run(parse(raw), { signal, timeoutMs, clock: systemClock });

    test('its options schema rejects unknown keys', () => {
      const r = probe.optionsSchema.safeParse({ ...fx.ok, no_such_option: 1 });
      assert.equal(r.success, false);
      assert.ok(r.error?.issues.some((i) => i.code === 'unrecognized_keys'));
    });

    test('succeeds against a healthy target with a well-formed result', async () => {
      const r = await run(fx.ok, new AbortController().signal, 5000);
      assertWellFormed(r);
      assert.equal(r.success, true, r.message);
    });

    test('reports a failing target as a result, not a rejection', async () => {
      const r = await run(fx.failing, new AbortController().signal, 5000);
      assertWellFormed(r);
      assert.equal(r.success, false);
    });

    test('returns promptly with "timeout after" when its timeout aborts it', async () => {
      const c = new AbortController();
      const t = setTimeout(() => c.abort(new ProbeTimeoutError(TIMEOUT_MS)), TIMEOUT_MS);
      const started = performance.now();
      const r = await run(fx.hanging, c.signal);
      clearTimeout(t);
      const took = performance.now() - started;
      assertWellFormed(r);
      assert.equal(r.success, false);
      assert.equal(r.message.startsWith(`timeout after ${TIMEOUT_MS}ms`), true, r.message);
      assert.ok(took < TIMEOUT_MS + 1500, `took ${took}ms`);
      assert.ok(r.durationMs >= TIMEOUT_MS - 50, `durationMs ${r.durationMs}`);
    });

    test('returns at once when already aborted', async () => {
      const c = new AbortController();
      c.abort(new Error('shutting down'));
      const r = await run(fx.ok, c.signal);
      assertWellFormed(r);
      assert.equal(r.success, false);
      assert.equal(r.message, 'aborted');
    });

    test('keeps secrets out of its message', async (t) => {
      if (!fx.secret) return t.skip('no secret fixture');
      const r = await run(fx.secret.options, new AbortController().signal, 5000);
      assertWellFormed(r);
      assert.ok(!r.message.includes(fx.secret.secret), r.message);
    });
  });
}

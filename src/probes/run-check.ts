import type { Clock } from '../model/clock.js';
import type { CheckConfig } from './config.js';
import type { ProbeResult } from './probe.js';
import { ProbeTimeoutError, abortMessage, failure, stopwatch } from './probe.js';
import { probeFor } from './registry.js';

/**
 * Runs one check's probe under `signal`, which the caller aborts on timeout and cancel (the
 * Scheduler does, from its one timer): no timer, controller or race of its own.
 */
export function runProbe(check: CheckConfig, clock: Clock, signal: AbortSignal): Promise<ProbeResult> {
  const probe = probeFor(check.type);
  if (!probe) return Promise.resolve(failure(0, `unknown probe type ${JSON.stringify(check.type)}`));
  return probe.run(check, { signal, timeoutMs: check.timeout, clock });
}

/**
 * Runs one check with its probe, bounded by `check.timeout` (on `clock`) and by `signal`
 * when given. Resolves with the first of: the probe's result, the abort. Never rejects.
 */
export function runCheck(check: CheckConfig, opts: { clock: Clock; signal?: AbortSignal }): Promise<ProbeResult> {
  const probe = probeFor(check.type);
  if (!probe) return Promise.resolve(failure(0, `unknown probe type ${JSON.stringify(check.type)}`));
  const { clock } = opts;
  const elapsed = stopwatch();
  const controller = new AbortController();
  const signal = controller.signal;
  const onOuterAbort = () => controller.abort(opts.signal?.reason);
  if (opts.signal?.aborted) onOuterAbort();
  else opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const timer = clock.setTimeout(() => controller.abort(new ProbeTimeoutError(check.timeout)), check.timeout);
  const work = Promise.resolve()
    .then(() => probe.run(check, { signal, timeoutMs: check.timeout, clock }))
    .catch((err: unknown) => failure(elapsed(), `probe error: ${err instanceof Error ? err.message : String(err)}`));
  const aborted = new Promise<ProbeResult>((resolve) => {
    const onAbort = () => resolve(failure(elapsed(), abortMessage(signal, check.timeout)));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => {
    clock.clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onOuterAbort);
  });
}

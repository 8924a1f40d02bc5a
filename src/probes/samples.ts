import type { Appendable, Appender } from '../storage/appender.js';
import type { ProbeResult } from './probe.js';

/** One result to write as samples. */
export interface ResultSamples {
  readonly check: { readonly name: string; readonly service: string };
  readonly result: ProbeResult;
  readonly t: number;
}

function appendResult(app: Appender, { check, result, t }: ResultSamples): void {
  const base = { check: check.name, service: check.service };
  app.append({ __name__: 'probe_success', ...base }, t, result.success ? 1 : 0);
  app.append({ __name__: 'probe_duration_seconds', ...base }, t, result.durationMs / 1000);
  for (const [name, v] of Object.entries(result.metrics)) {
    if (name === 'probe_success' || name === 'probe_duration_seconds') continue;
    app.append({ __name__: name, ...base }, t, v);
  }
}

/**
 * Writes results as blackbox_exporter-named samples (probe_success, probe_duration_seconds,
 * plus the probe's own metrics), labelled only {check, service}: never a URL or target, so
 * nothing secret reaches the store. All of `batch` in one commit (one WAL write for a whole
 * event-loop turn of results); a failed commit is rolled back and rethrown.
 */
export async function writeResultsSamples(sink: Appendable, batch: readonly ResultSamples[]): Promise<void> {
  if (batch.length === 0) return;
  const app = sink.appender();
  try {
    for (const r of batch) appendResult(app, r);
    await app.commit();
  } catch (err) {
    app.rollback();
    throw err;
  }
}

/** One result's samples in a commit of their own (see writeResultsSamples). */
export function writeResultSamples(sink: Appendable, check: ResultSamples['check'], result: ProbeResult, t: number): Promise<void> {
  return writeResultsSamples(sink, [{ check, result, t }]);
}

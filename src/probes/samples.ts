import type { Appendable } from '../storage/appender.js';
import type { ProbeResult } from './probe.js';

/**
 * Writes one result as blackbox_exporter-named samples (probe_success, probe_duration_seconds,
 * plus the probe's own metrics), labelled only {check, service}: never a URL or target, so
 * nothing secret reaches the store. One commit per result; a failed commit is rolled back
 * and rethrown.
 */
export async function writeResultSamples(
  sink: Appendable,
  check: { readonly name: string; readonly service: string },
  result: ProbeResult,
  t: number,
): Promise<void> {
  const app = sink.appender();
  const base = { check: check.name, service: check.service };
  try {
    app.append({ __name__: 'probe_success', ...base }, t, result.success ? 1 : 0);
    app.append({ __name__: 'probe_duration_seconds', ...base }, t, result.durationMs / 1000);
    for (const [name, v] of Object.entries(result.metrics)) {
      if (name === 'probe_success' || name === 'probe_duration_seconds') continue;
      app.append({ __name__: name, ...base }, t, v);
    }
    await app.commit();
  } catch (err) {
    app.rollback();
    throw err;
  }
}

import type { Labels } from '../model/labels.js';
import type { Appendable, Appender } from '../storage/appender.js';
import type { ProbeResult } from './probe.js';

/** One result to write as samples. */
export interface ResultSamples {
  readonly check: { readonly name: string; readonly service: string };
  readonly result: ProbeResult;
  readonly t: number;
}

/**
 * Each check's label set per metric name, built once: stores key their series by the label
 * object (label sets are immutable), so the same object is found again without building and
 * hashing a key for every sample of every result.
 */
const labelSets = new WeakMap<ResultSamples['check'], Map<string, Labels>>();

function labelsOf(check: ResultSamples['check'], name: string): Labels {
  let byName = labelSets.get(check);
  if (byName === undefined) labelSets.set(check, (byName = new Map()));
  let labels = byName.get(name);
  if (labels === undefined) byName.set(name, (labels = Object.freeze({ __name__: name, check: check.name, service: check.service })));
  return labels;
}

function appendResult(app: Appender, { check, result, t }: ResultSamples): void {
  app.append(labelsOf(check, 'probe_success'), t, result.success ? 1 : 0);
  app.append(labelsOf(check, 'probe_duration_seconds'), t, result.durationMs / 1000);
  const metrics = result.metrics;
  for (const name in metrics) {
    if (name === 'probe_success' || name === 'probe_duration_seconds') continue;
    app.append(labelsOf(check, name), t, metrics[name] as number);
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

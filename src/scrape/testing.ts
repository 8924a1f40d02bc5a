import { formatLabels, type Labels } from '../model/labels.js';
import { isStaleNaN } from '../model/sample.js';
import type { Appendable, Appender } from '../storage/appender.js';
import { pushAll } from '../model/arrays.js';

/** A committed sample as RecordingAppendable keeps it; `stale` is read from the NaN bits at append time. */
export interface RecordedSample {
  readonly labels: Labels;
  readonly t: number;
  readonly v: number;
  readonly stale: boolean;
}

/**
 * An Appendable for tests: keeps committed samples in order and can refuse some appends
 * (the way the tsdb refuses out-of-order samples) through `reject`.
 */
export class RecordingAppendable implements Appendable {
  readonly samples: RecordedSample[] = [];
  commits = 0;
  rollbacks = 0;
  reject: ((labels: Labels, t: number, v: number) => Error | undefined) | undefined;

  appender(): Appender {
    let pending: RecordedSample[] = [];
    return {
      append: (labels, t, v) => {
        const err = this.reject?.(labels, t, v);
        if (err) throw err;
        pending.push({ labels: { ...labels }, t, v, stale: isStaleNaN(v) });
      },
      commit: async () => {
        pushAll(this.samples, pending);
        pending = [];
        this.commits++;
      },
      rollback: () => {
        pending = [];
        this.rollbacks++;
      },
    };
  }

  /** Samples of series whose labels include all of `match`. */
  find(match: Labels): RecordedSample[] {
    return this.samples.filter((s) => Object.entries(match).every(([k, v]) => s.labels[k] === v));
  }

  /** The latest sample of the series with exactly these labels. */
  last(labels: Labels): RecordedSample | undefined {
    const key = formatLabels(labels);
    return this.samples.filter((s) => formatLabels(s.labels) === key).at(-1);
  }
}

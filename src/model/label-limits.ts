import type { Labels } from './labels.js';

/**
 * Bounds on one series' (or log stream's) labels, as Mimir's and Loki's max_label_name_length,
 * max_label_value_length and max_label_names_per_series (Prometheus's per-scrape
 * label_name_length_limit, label_value_length_limit and label_limit). Lengths are UTF-8
 * bytes, as those count them. 0 = no limit.
 */
export interface LabelLimits {
  readonly maxNameLength: number;
  readonly maxValueLength: number;
  readonly maxLabels: number;
}

/** The config keys that set each limit, for messages that tell the reader what to change. */
export interface LabelLimitKeys {
  readonly name: string;
  readonly value: string;
  readonly count: string;
}

export const NO_LABEL_LIMITS: LabelLimits = { maxNameLength: 0, maxValueLength: 0, maxLabels: 0 };

/** Mimir's defaults (metrics). */
export const METRIC_LABEL_LIMITS: LabelLimits = { maxNameLength: 1024, maxValueLength: 2048, maxLabels: 30 };

/** Loki's defaults (log streams). */
export const LOG_LABEL_LIMITS: LabelLimits = { maxNameLength: 1024, maxValueLength: 2048, maxLabels: 15 };

/** Whether `s` is longer than `limit` UTF-8 bytes, without encoding it when its length decides. */
export function longerThan(s: string, limit: number): boolean {
  if (limit <= 0 || s.length * 3 <= limit) return false;
  if (s.length > limit) return true;
  return Buffer.byteLength(s, 'utf8') > limit;
}

const n = (x: number): string => x.toLocaleString('en-US');

/** A label value cut for a message: a 10 MB value must not come back 10 MB long in the error. */
export function brief(s: string, max = 64): string {
  return s.length <= max ? s : `${s.slice(0, max)}…(${n(Buffer.byteLength(s, 'utf8'))} bytes)`;
}

/** `{__name__="x", path="aaaa…(10,485,760 bytes)"}`: a label set for an error message, long names and values cut. */
export function briefLabels(labels: Labels | ReadonlyArray<{ readonly name: string; readonly value: string }>): string {
  const pairs: Array<[string, string]> = Array.isArray(labels)
    ? (labels as ReadonlyArray<{ name: string; value: string }>).map((l) => [l.name, l.value])
    : Object.keys(labels as Labels)
        .sort()
        .map((k) => [k, (labels as Labels)[k] as string]);
  const shown = pairs.slice(0, 40).map(([k, v]) => `${brief(k)}=${JSON.stringify(brief(v))}`);
  if (pairs.length > 40) shown.push(`…(${n(pairs.length)} labels)`);
  return `{${shown.join(', ')}}`;
}

/**
 * Why `labels` break `limits`, as a sentence naming the label and the key to change; undefined
 * when they do not. Takes name/value pairs so decoders can check before building objects.
 */
export function labelLimitProblem(
  pairs: ReadonlyArray<{ readonly name: string; readonly value: string }> | Labels,
  limits: LabelLimits,
  keys: LabelLimitKeys,
): string | undefined {
  if (Array.isArray(pairs)) {
    const list = pairs as ReadonlyArray<{ name: string; value: string }>;
    if (limits.maxLabels > 0 && list.length > limits.maxLabels) return tooMany(list.length, limits, keys);
    for (const l of list) {
      const problem = labelProblem(l.name, l.value, limits, keys);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  // A label set object: read in place (for-in), no array of pairs per call (every new series is checked).
  const labels = pairs as Labels;
  let count = 0;
  for (const name in labels) {
    count++;
    const problem = labelProblem(name, labels[name] as string, limits, keys);
    if (problem !== undefined && !(limits.maxLabels > 0 && countLabels(labels) > limits.maxLabels)) return problem;
  }
  if (limits.maxLabels > 0 && count > limits.maxLabels) return tooMany(count, limits, keys);
  return undefined;
}

function countLabels(labels: Labels): number {
  let count = 0;
  for (const _ in labels) count++;
  return count;
}

function tooMany(count: number, limits: LabelLimits, keys: LabelLimitKeys): string {
  return `${n(count)} labels, more than the limit of ${n(limits.maxLabels)} (${keys.count})`;
}

function labelProblem(name: string, value: string, limits: LabelLimits, keys: LabelLimitKeys): string | undefined {
  if (longerThan(name, limits.maxNameLength)) {
    return `label name "${brief(name)}" is ${n(Buffer.byteLength(name, 'utf8'))} bytes long, longer than the limit of ${n(limits.maxNameLength)} (${keys.name})`;
  }
  if (longerThan(value, limits.maxValueLength)) {
    return `the value of label "${brief(name)}" is ${n(Buffer.byteLength(value, 'utf8'))} bytes long, longer than the limit of ${n(limits.maxValueLength)} (${keys.value})`;
  }
  return undefined;
}

export const METRIC_LIMIT_KEYS: LabelLimitKeys = {
  name: 'metrics.max_label_name_length',
  value: 'metrics.max_label_value_length',
  count: 'metrics.max_label_names_per_series',
};

export const LOG_LIMIT_KEYS: LabelLimitKeys = {
  name: 'logs.max_label_name_length',
  value: 'logs.max_label_value_length',
  count: 'logs.max_label_names_per_series',
};

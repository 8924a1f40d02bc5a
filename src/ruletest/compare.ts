import type { Labels } from '../model/labels.js';
import { compareLabels, labelsString } from '../rules/index.js';
import { formatFloat } from '../template/index.js';

/** How promtool prints and compares what a test expected and what it got. */

export interface LabelsAndAnnotations {
  readonly labels: Labels;
  readonly annotations: Labels;
}


export function sortAlerts(xs: LabelsAndAnnotations[]): LabelsAndAnnotations[] {
  return xs.sort((a, b) => compareLabels(a.labels, b.labels) || compareLabels(a.annotations, b.annotations));
}

function sameLabels(a: Labels, b: Labels): boolean {
  return labelsString(a) === labelsString(b);
}

export function alertsEqual(a: readonly LabelsAndAnnotations[], b: readonly LabelsAndAnnotations[]): boolean {
  return a.length === b.length && a.every((x, i) => sameLabels(x.labels, (b[i] as LabelsAndAnnotations).labels) && sameLabels(x.annotations, (b[i] as LabelsAndAnnotations).annotations));
}

/** indentLines: every line after the first prefixed with `indent`. */
export function indentLines(lines: string, indent: string): string {
  return lines.split('\n').join(`\n${indent}`);
}

/** labelsAndAnnotations.String(). */
export function alertsString(xs: readonly LabelsAndAnnotations[]): string {
  if (xs.length === 0) return '[]';
  const one = (x: LabelsAndAnnotations) => indentLines(`\nLabels:${labelsString(x.labels)}\nAnnotations:${labelsString(x.annotations)}`, '  ');
  return `[\n${xs.map((x, i) => `${i}:${one(x)}`).join(',\n')}\n]`;
}

export interface ParsedSample {
  readonly labels: Labels;
  readonly value: number;
  /** TestExpression of a native histogram; '' for a float. */
  readonly histogram: string;
}

export function sortSamples(xs: ParsedSample[]): ParsedSample[] {
  return xs.sort((a, b) => compareLabels(a.labels, b.labels));
}

/** x == y, or with fuzzy_compare within one ulp (math.Nextafter either way). */
export function floatsEqual(x: number, y: number, fuzzy: boolean): boolean {
  if (x === y) return true;
  if (!fuzzy || !Number.isFinite(x) || !Number.isFinite(y)) return false;
  return nextAfter(x, -Infinity) === y || nextAfter(x, Infinity) === y;
}

const buf = new DataView(new ArrayBuffer(8));
function nextAfter(x: number, toward: number): number {
  if (x === toward) return x;
  if (x === 0) return toward > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE;
  buf.setFloat64(0, x);
  let bits = buf.getBigUint64(0);
  bits += (toward > x) === (x > 0) ? 1n : -1n;
  buf.setBigUint64(0, bits);
  return buf.getFloat64(0);
}

export function samplesEqual(a: readonly ParsedSample[], b: readonly ParsedSample[], fuzzy: boolean): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i] as ParsedSample;
      return sameLabels(x.labels, y.labels) && x.histogram === y.histogram && floatsEqual(x.value, y.value, fuzzy);
    })
  );
}

/** parsedSample.String(): labels and the value as strconv 'E' -1 (`1E+00`), or the histogram. */
export function samplesString(xs: readonly ParsedSample[]): string {
  if (xs.length === 0) return 'nil';
  return xs.map((s) => `${labelsString(s.labels)} ${s.histogram !== '' ? s.histogram : formatFloat(s.value, 'E', -1)}`).join(', ');
}

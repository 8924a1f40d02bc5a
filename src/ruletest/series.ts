import { pushAll } from '../model/arrays.js';
import type { Labels } from '../model/labels.js';
import { staleNaN } from '../model/sample.js';
import { parseExpr } from '../promql/index.js';
import { addHistograms, parseHistogram, type TestHistogram } from './histogram.js';

/**
 * promtool's input_series notation: a series selector (`up{job="a"}`) and its values, one per
 * interval — `1 2 3`, `1+2x10` (11 values: 1, 3, …, 21), `5x3` (four 5s), `_` and `_x3`
 * (missing), `stale`, and native histograms `{{…}}`, `{{…}}x3`, `{{…}}+{{…}}x3`.
 */
export type SeqValue = { kind: 'float'; v: number } | { kind: 'histogram'; h: TestHistogram } | { kind: 'omitted' };

const UNSIGNED = String.raw`(?:Inf|NaN|inf|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)`;
const FLOAT_ITEM = new RegExp(String.raw`^([+-]?${UNSIGNED})(?:([+-]${UNSIGNED})?x(\d+))?$`);

function number(s: string): number {
  const t = s.replace(/^\+/, '');
  if (/^-?inf$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(t)) return NaN;
  return Number(t);
}

/** Labels of a series selector with only `=` matchers (`metric{a="b"}` or `{__name__="m"}`). */
export function parseSeriesLabels(text: string): Labels {
  const t = text.trim();
  if (t === '' || t === '{}') return {};
  const e = parseExpr(t);
  if (e.type !== 'VectorSelector' || e.offset !== undefined || e.at !== undefined) throw new Error(`${JSON.stringify(text)} is not a series description (a metric name and labels)`);
  const out: Record<string, string> = {};
  for (const m of e.matchers) {
    if (m.type !== '=') throw new Error(`${JSON.stringify(text)}: series labels must use =, not ${m.type}`);
    out[m.name] = m.value;
  }
  return out;
}

/** Splits values at spaces outside `{{ }}`. */
function tokens(values: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (let i = 0; i < values.length; i++) {
    const c = values[i] as string;
    if (values.startsWith('{{', i)) {
      depth++;
      cur += '{{';
      i++;
      continue;
    }
    if (values.startsWith('}}', i) && depth > 0) {
      depth--;
      cur += '}}';
      i++;
      continue;
    }
    if (/\s/.test(c) && depth === 0) {
      if (cur) out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  if (depth > 0) throw new Error('unclosed {{ in histogram');
  if (cur) out.push(cur);
  return out;
}

function histogramItem(tok: string): SeqValue[] {
  const m = /^(\{\{.*?\}\})(?:([+-])(\{\{.*?\}\}))?(?:x(\d+))?$/s.exec(tok);
  if (!m) throw new Error(`unexpected ${JSON.stringify(tok)} in series values`);
  const base = parseHistogram(m[1] as string);
  if (m[2] === undefined) {
    if (m[4] === undefined) return [{ kind: 'histogram', h: base }];
    return Array.from({ length: Number(m[4]) + 1 }, () => ({ kind: 'histogram' as const, h: base }));
  }
  if (m[4] === undefined) throw new Error(`expected xN after ${JSON.stringify(tok)}`);
  const inc = parseHistogram(m[3] as string);
  const out: SeqValue[] = [{ kind: 'histogram', h: base }];
  let cur = base;
  for (let i = 1; i <= Number(m[4]); i++) {
    cur = addHistograms(cur, inc, m[2] === '-' ? -1 : 1);
    out.push({ kind: 'histogram', h: cur });
  }
  return out;
}

/** Expands a values string into one value per interval. Throws with the reason. */
export function parseSeriesValues(values: string): SeqValue[] {
  const out: SeqValue[] = [];
  for (const tok of tokens(values)) {
    if (tok === '_') {
      out.push({ kind: 'omitted' });
      continue;
    }
    const blank = /^_x(\d+)$/.exec(tok);
    if (blank) {
      for (let i = 0; i < Number(blank[1]); i++) out.push({ kind: 'omitted' });
      continue;
    }
    if (tok === 'stale') {
      out.push({ kind: 'float', v: staleNaN() });
      continue;
    }
    if (tok.startsWith('{{')) {
      pushAll(out, histogramItem(tok));
      continue;
    }
    const m = FLOAT_ITEM.exec(tok);
    if (!m) throw new Error(`unexpected ${JSON.stringify(tok)} in series values, expected a number, "stale", "_" or a histogram`);
    let v = number(m[1] as string);
    if (m[3] === undefined) {
      out.push({ kind: 'float', v });
      continue;
    }
    const step = m[2] === undefined ? 0 : number(m[2]);
    for (let i = 0; i <= Number(m[3]); i++) {
      out.push({ kind: 'float', v });
      v += step;
    }
  }
  return out;
}

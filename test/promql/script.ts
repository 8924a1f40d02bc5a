import type { Labels } from '../../src/model/labels.js';
import { parseDurationLiteral } from '../../src/promql/duration-expr.js';
import { parseExpr } from '../../src/promql/index.js';

/** One value slot of the series notation: a float, a stale marker, an omitted slot or a native histogram. */
export type SeqValue = { kind: 'float'; v: number } | { kind: 'stale' } | { kind: 'omitted' } | { kind: 'histogram' };

export interface SeriesSpec {
  readonly labels: Labels;
  readonly values: SeqValue[];
  /** Start-timestamp offsets (ms, relative to each sample's time) from a preceding `@st` line; undefined = none. */
  readonly startOffsets?: Array<number | undefined>;
}

export interface LoadCommand {
  readonly type: 'load';
  readonly line: number;
  readonly stepMs: number;
  readonly series: SeriesSpec[];
}

export interface EvalCommand {
  readonly type: 'eval';
  readonly line: number;
  readonly kind: 'instant' | 'range';
  readonly query: string;
  readonly at: number;
  readonly start: number;
  readonly end: number;
  readonly step: number;
  readonly fail: { readonly msg?: string; readonly regex?: string } | undefined;
  readonly ordered: boolean;
  readonly annotations: ReadonlyArray<{ readonly type: 'warn' | 'info'; readonly msg?: string; readonly regex?: string }>;
  readonly noAnnotations: ReadonlyArray<'warn' | 'info'>;
  readonly expectedSeries: SeriesSpec[];
  readonly expectedScalar: number | undefined;
  readonly expectedString: string | undefined;
  readonly rangeVector: { readonly from: number; readonly to: number; readonly step: number } | undefined;
}

export type Command = LoadCommand | { readonly type: 'clear'; readonly line: number } | EvalCommand;

export class ScriptError extends Error {
  constructor(file: string, line: number, msg: string) {
    super(`${file}:${line}: ${msg}`);
  }
}

export function parseDuration(s: string): number {
  const neg = s.startsWith('-');
  const body = neg ? s.slice(1) : s;
  if (body === '0') return 0;
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(body)) throw new Error(`bad duration ${JSON.stringify(s)}`);
  const ms = parseDurationLiteral(body);
  return neg ? -ms : ms;
}

const NUM = String.raw`[+-]?(?:[iI]nf|NaN|nan|0x[0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)`;
const UNSIGNED = String.raw`(?:[iI]nf|NaN|nan|0x[0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)`;
const RE_NUM = new RegExp(`^(${NUM})$`);
const RE_TIMES = new RegExp(`^(${NUM})x(\\d+)$`);
const RE_SEQ = new RegExp(`^(${NUM})([+-])(${UNSIGNED})x(\\d+)$`);

export function parseNumber(s: string): number {
  const sign = s.startsWith('-') ? -1 : 1;
  const body = s.replace(/^[+-]/, '');
  const low = body.toLowerCase();
  if (low === 'inf') return sign * Infinity;
  if (low === 'nan') return NaN;
  if (/^0x/i.test(body)) return sign * parseInt(body, 16);
  return sign * Number(body);
}

/** Splits a value list, keeping `{{ … }}` histogram literals (with their expansions) as one item. */
function splitItems(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i] as string)) {
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && !/\s/.test(text[j] as string)) {
      if (text.startsWith('{{', j)) {
        const close = text.indexOf('}}', j);
        j = close < 0 ? text.length : close + 2;
      } else j++;
    }
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
}

export function parseValues(text: string): SeqValue[] {
  const out: SeqValue[] = [];
  for (const item of splitItems(text)) {
    if (item.includes('{{')) {
      const m = /x(\d+)$/.exec(item);
      const n = m && item.endsWith(`}}x${m[1]}`) ? Number(m[1]) + 1 : 1;
      for (let k = 0; k < n; k++) out.push({ kind: 'histogram' });
      continue;
    }
    if (item === '_') {
      out.push({ kind: 'omitted' });
      continue;
    }
    let m = /^_x(\d+)$/.exec(item);
    if (m) {
      for (let k = 0; k < Number(m[1]); k++) out.push({ kind: 'omitted' });
      continue;
    }
    if (item === 'stale') {
      out.push({ kind: 'stale' });
      continue;
    }
    m = /^([+-]?\d+)x(\d+)$/.exec(item) ?? (RE_NUM.test(item) ? null : RE_TIMES.exec(item));
    if (!m && RE_NUM.test(item)) {
      out.push({ kind: 'float', v: parseNumber(item) });
      continue;
    }
    if (m) {
      const v = parseNumber(m[1] as string);
      for (let k = 0; k <= Number(m[2]); k++) out.push({ kind: 'float', v });
      continue;
    }
    m = RE_SEQ.exec(item);
    if (m) {
      let v = parseNumber(m[1] as string);
      const inc = parseNumber(m[3] as string) * (m[2] === '-' ? -1 : 1);
      for (let k = 0; k <= Number(m[4]); k++) {
        out.push({ kind: 'float', v });
        v += inc;
      }
      continue;
    }
    throw new Error(`bad series value ${JSON.stringify(item)}`);
  }
  return out;
}

/** Splits `<selector> <values>` where the selector may contain spaces inside braces. */
export function splitSeriesLine(line: string): [string, string] {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return [line.slice(0, i + 1), line.slice(i + 1)];
    } else if (/\s/.test(c) && depth === 0) return [line.slice(0, i), line.slice(i)];
  }
  return [line, ''];
}

export function parseSeriesLabels(sel: string): Labels {
  if (/^\{\s*\}$/.test(sel)) return {};
  const e = parseExpr(sel);
  if (e.type !== 'VectorSelector') throw new Error(`not a series selector: ${sel}`);
  const out: Record<string, string> = {};
  for (const m of e.matchers) {
    if (m.type !== '=') throw new Error(`series description needs = matchers: ${sel}`);
    if (m.value !== '') out[m.name] = m.value;
  }
  return out;
}

export function parseScript(file: string, text: string): Command[] {
  const lines = text.split('\n').map((l) => l.trim());
  const cmds: Command[] = [];
  let i = 0;
  const body = (): Array<{ text: string; line: number }> => {
    const out: Array<{ text: string; line: number }> = [];
    while (i < lines.length && lines[i] !== '' && !(lines[i] as string).startsWith('#')) {
      out.push({ text: lines[i] as string, line: i + 1 });
      i++;
    }
    return out;
  };
  while (i < lines.length) {
    const raw = lines[i] as string;
    const lineNo = i + 1;
    if (raw === '' || raw.startsWith('#')) {
      i++;
      continue;
    }
    i++;
    const word = (raw.split(/\s+/)[0] as string).toLowerCase();
    try {
      if (word === 'clear') cmds.push({ type: 'clear', line: lineNo });
      else if (word.startsWith('load')) cmds.push(parseLoad(raw, lineNo, body()));
      else if (word.startsWith('eval')) cmds.push(parseEval(raw, lineNo, body()));
      else throw new Error(`unknown command ${word}`);
    } catch (e) {
      throw new ScriptError(file, lineNo, (e as Error).message);
    }
  }
  return cmds;
}

function parseLoad(header: string, line: number, lines: Array<{ text: string }>): LoadCommand {
  const parts = header.split(/\s+/);
  const stepMs = parseDuration(parts[1] as string);
  const series: SeriesSpec[] = [];
  let pending: { labels: Labels; offsets: Array<number | undefined> } | undefined;
  for (const l of lines) {
    const [sel, vals] = splitSeriesLine(l.text);
    if (sel.endsWith('@st')) {
      pending = { labels: parseSeriesLabels(sel.slice(0, -3)), offsets: parseStartOffsets(vals) };
      continue;
    }
    if (vals.trimStart().startsWith('@st')) {
      pending = { labels: parseSeriesLabels(sel), offsets: parseStartOffsets(vals.trimStart().slice(3)) };
      continue;
    }
    const labels = parseSeriesLabels(sel);
    const values = parseValues(vals);
    if (pending) {
      if (JSON.stringify(pending.labels) !== JSON.stringify(labels)) throw new Error(`@st line must precede the samples of the same series: ${sel}`);
      if (pending.offsets.length !== values.length) throw new Error(`@st line has ${pending.offsets.length} items, samples have ${values.length}`);
      series.push({ labels, values, startOffsets: pending.offsets });
      pending = undefined;
    } else series.push({ labels, values });
  }
  return { type: 'load', line, stepMs, series };
}

function parseEval(header: string, line: number, lines: Array<{ text: string; line: number }>): EvalCommand {
  const m = /^(eval(?:_fail|_warn|_info|_ordered)?)\s+(instant|range)\s+(.*)$/i.exec(header);
  if (!m) throw new Error(`bad eval header: ${header}`);
  const prefix = (m[1] as string).toLowerCase();
  const kind = (m[2] as string).toLowerCase() as 'instant' | 'range';
  let rest = m[3] as string;
  let at = 0;
  let start = 0;
  let end = 0;
  let step = 0;
  if (kind === 'instant') {
    const im = /^at\s+(\S+)\s+(.*)$/.exec(rest);
    if (!im) throw new Error(`bad instant eval: ${header}`);
    at = parseDuration(im[1] as string);
    rest = im[2] as string;
  } else {
    const rm = /^from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)\s+(.*)$/.exec(rest);
    if (!rm) throw new Error(`bad range eval: ${header}`);
    start = parseDuration(rm[1] as string);
    end = parseDuration(rm[2] as string);
    step = parseDuration(rm[3] as string);
    rest = rm[4] as string;
  }
  let fail: EvalCommand['fail'] = prefix === 'eval_fail' ? {} : undefined;
  let ordered = prefix === 'eval_ordered';
  const annotations: Array<{ type: 'warn' | 'info'; msg?: string; regex?: string }> = [];
  const noAnnotations: Array<'warn' | 'info'> = [];
  if (prefix === 'eval_warn') annotations.push({ type: 'warn' });
  if (prefix === 'eval_info') annotations.push({ type: 'info' });
  const expectedSeries: SeriesSpec[] = [];
  let expectedScalar: number | undefined;
  let expectedString: string | undefined;
  let rangeVector: EvalCommand['rangeVector'];
  for (const l of lines) {
    const t = l.text;
    const em = /^expect\s+(\w+)\s*(.*)$/.exec(t);
    if (em) {
      const type = em[1] as string;
      const arg = (em[2] as string).trim();
      const mm = /^(msg|regex):\s?(.*)$/.exec(arg);
      const spec = mm ? (mm[1] === 'msg' ? { msg: (mm[2] as string).trim() } : { regex: mm[2] as string }) : {};
      if (type === 'fail') fail = spec;
      else if (type === 'ordered') ordered = true;
      else if (type === 'warn' || type === 'info') annotations.push({ type, ...spec });
      else if (type === 'no_warn') noAnnotations.push('warn');
      else if (type === 'no_info') noAnnotations.push('info');
      else if (type === 'range') {
        const rm = /^vector\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)$/.exec(arg);
        if (!rm) throw new Error(`bad expect range vector: ${t}`);
        rangeVector = { from: parseDuration(rm[1] as string), to: parseDuration(rm[2] as string), step: parseDuration(rm[3] as string) };
      } else if (type === 'string') {
        expectedString = parseGoString(arg);
      } else throw new Error(`unknown expect ${type}`);
      continue;
    }
    if (/^expected_fail_(message|regexp)\s/.test(t)) {
      const sp = t.indexOf(' ');
      fail = t.startsWith('expected_fail_message') ? { msg: t.slice(sp + 1).trim() } : { regex: t.slice(sp + 1).trim() };
      continue;
    }
    if (RE_NUM.test(t)) {
      expectedScalar = parseNumber(t);
      continue;
    }
    const [sel, vals] = splitSeriesLine(t);
    expectedSeries.push({ labels: parseSeriesLabels(sel), values: parseValues(vals) });
  }
  if (rangeVector) at = rangeVector.to;
  return { type: 'eval', line, kind, query: rest, at, start, end, step, fail, ordered, annotations, noAnnotations, expectedSeries, expectedScalar, expectedString, rangeVector };
}

const DUR = String.raw`[+-]?(?:0|(?:\d+(?:ms|s|m|h|d|w|y))+)`;
const RE_ST = new RegExp(`^(${DUR})(?:([+-])(${DUR.slice(5)}))?(?:x(\\d+))?$`);

/** `@st` items: `_`, `_xN`, `<dur>`, `<dur>xN`, `<dur>±<dur>xN` (offsets from each sample's timestamp). */
export function parseStartOffsets(text: string): Array<number | undefined> {
  const out: Array<number | undefined> = [];
  for (const item of text.trim().split(/\s+/).filter(Boolean)) {
    if (item === '_') {
      out.push(undefined);
      continue;
    }
    const blank = /^_x(\d+)$/.exec(item);
    if (blank) {
      for (let k = 0; k < Number(blank[1]); k++) out.push(undefined);
      continue;
    }
    const m = RE_ST.exec(item);
    if (!m) throw new Error(`bad start-timestamp item ${JSON.stringify(item)}`);
    let v = parseSignedDuration(m[1] as string);
    const inc = m[3] === undefined ? 0 : parseSignedDuration(m[3]) * (m[2] === '-' ? -1 : 1);
    const n = m[4] === undefined ? 0 : Number(m[4]);
    for (let k = 0; k <= n; k++) {
      out.push(v);
      v += inc;
    }
  }
  return out;
}

function parseSignedDuration(s: string): number {
  const body = s.replace(/^[+-]/, '');
  const ms = body === '0' ? 0 : parseDurationLiteral(body);
  return s.startsWith('-') ? -ms : ms;
}

function parseGoString(s: string): string {
  if (s.startsWith('`')) return s.slice(1, -1);
  return JSON.parse(s) as string;
}

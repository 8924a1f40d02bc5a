import { fileURLToPath } from 'node:url';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RE2JS } from 're2js';
import { labelsEqual, type Labels } from '../../src/model/labels.js';
import { staleNaN, isStaleNaN } from '../../src/model/sample.js';
import { MemoryQueryable } from '../../src/storage/memory.js';
import { Engine, formatExpr, parseExpr, type Expr, type QueryResult } from '../../src/promql/index.js';
import { formatLabels } from '../../src/model/labels.js';
import { parseScript, type EvalCommand, type SeqValue, type SeriesSpec } from './script.js';

/** Prometheus's test scripts, in the shared folder beside the checkout (override: PROMQL_CONFORMANCE_DIR). */
export const CONFORMANCE_DIR =
  process.env['PROMQL_CONFORMANCE_DIR'] ?? fileURLToPath(new URL('../../../shared/conformance/promql', import.meta.url));

export type Status = 'pass' | 'fail' | 'skip';
export interface EvalOutcome {
  readonly id: string;
  readonly status: Status;
  readonly reason?: string;
  readonly query: string;
}

export interface IndexRow {
  readonly floatLoose: boolean;
  readonly features: string;
}

export function readIndex(dir = CONFORMANCE_DIR): Map<string, IndexRow> {
  const rows = readFileSync(join(dir, 'eval-index.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
  const out = new Map<string, IndexRow>();
  for (const r of rows) {
    const c = r.split('\t');
    out.set(`${c[0]}:${c[1]}`, { floatLoose: c[4] === '1', features: c[6] ?? '-' });
  }
  return out;
}

/** Engine settings the upstream scripts assume (promqltest.NewTestEngine). */
export function testEngine(): Engine {
  return new Engine({ lookbackDeltaMs: 300_000, maxSamples: 10_000, timeoutMs: 100_000, subqueryStepMs: 60_000 });
}

function almostEqual(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) && isStaleNaN(a) === isStaleNaN(b);
  if (a === b) return true;
  const minNormal = 2.2250738585072014e-308;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < minNormal) return diff < 1e-6 * minNormal;
  return diff / Math.min(absSum, Number.MAX_VALUE) < 1e-6;
}

function expectedFloat(v: SeqValue): number | undefined {
  if (v.kind === 'float') return v.v;
  if (v.kind === 'stale') return staleNaN();
  return undefined;
}

class Mismatch extends Error {}

function fmt(l: Labels): string {
  return formatLabels(l);
}

/** Checks an instant-query result against the expectation; `atT` picks one step out of a range result. */
function checkResult(cmd: EvalCommand, res: QueryResult, mode: 'instant' | 'range' | 'crosscheck'): void {
  if (cmd.expectedString !== undefined) {
    if (res.resultType !== 'string' || res.result.v !== cmd.expectedString) throw new Mismatch(`expected string ${JSON.stringify(cmd.expectedString)}`);
    return;
  }
  if (cmd.expectedScalar !== undefined) {
    let v: number | undefined;
    if (res.resultType === 'scalar') v = res.result.v;
    else if (mode === 'crosscheck' && res.resultType === 'matrix') v = res.result[0]?.points.find((p) => p.t === cmd.at)?.v;
    else throw new Mismatch(`expected scalar, got ${res.resultType}`);
    if (v === undefined || !almostEqual(v, cmd.expectedScalar)) throw new Mismatch(`expected scalar ${cmd.expectedScalar}, got ${v}`);
    return;
  }
  if (mode === 'range' || cmd.rangeVector) {
    if (res.resultType !== 'matrix') throw new Mismatch(`expected matrix, got ${res.resultType}`);
    const start = cmd.rangeVector ? cmd.rangeVector.from : cmd.start;
    const step = cmd.rangeVector ? cmd.rangeVector.step : cmd.step;
    if (res.result.length !== cmd.expectedSeries.length) throw new Mismatch(`expected ${cmd.expectedSeries.length} series, got ${res.result.length}: ${res.result.map((s) => fmt(s.labels)).join(' ')}`);
    for (const exp of cmd.expectedSeries) {
      const got = res.result.find((s) => labelsEqual(s.labels, exp.labels));
      if (!got) throw new Mismatch(`missing series ${fmt(exp.labels)}; got ${res.result.map((s) => fmt(s.labels)).join(' ')}`);
      const want: Array<{ t: number; v: number }> = [];
      exp.values.forEach((v, i) => {
        const f = expectedFloat(v);
        if (f !== undefined) want.push({ t: start + i * step, v: f });
      });
      if (want.length !== got.points.length) throw new Mismatch(`series ${fmt(exp.labels)}: expected ${want.length} points, got ${got.points.length}: ${JSON.stringify(got.points)}`);
      want.forEach((w, i) => {
        const p = got.points[i] as { t: number; v: number };
        if (p.t !== w.t || !almostEqual(p.v, w.v)) throw new Mismatch(`series ${fmt(exp.labels)}: expected ${w.v}@${w.t}, got ${p.v}@${p.t}`);
      });
    }
    for (let i = 1; i < res.result.length; i++) {
      if (fmt((res.result[i - 1] as { labels: Labels }).labels) === fmt((res.result[i] as { labels: Labels }).labels)) throw new Mismatch('duplicate series in matrix');
    }
    return;
  }
  let got: Array<{ labels: Labels; v: number }>;
  if (mode === 'crosscheck') {
    if (res.resultType !== 'matrix') throw new Mismatch(`range cross-check: expected matrix, got ${res.resultType}`);
    got = [];
    for (const s of res.result) {
      const p = s.points.find((x) => x.t === cmd.at);
      if (p) got.push({ labels: s.labels, v: p.v });
    }
  } else {
    if (res.resultType !== 'vector') throw new Mismatch(`expected vector, got ${res.resultType}`);
    got = res.result.map((s) => ({ labels: s.labels, v: s.v }));
  }
  const prefix = mode === 'crosscheck' ? 'range cross-check: ' : '';
  if (got.length !== cmd.expectedSeries.length) throw new Mismatch(`${prefix}expected ${cmd.expectedSeries.length} samples, got ${got.length}: ${got.map((s) => `${fmt(s.labels)} ${s.v}`).join(', ')}`);
  cmd.expectedSeries.forEach((exp, i) => {
    const want = exp.values.length === 1 ? expectedFloat(exp.values[0] as SeqValue) : undefined;
    if (want === undefined) throw new Mismatch(`expected exactly one float value for ${fmt(exp.labels)}`);
    const g = cmd.ordered && mode === 'instant' ? got[i] : got.find((s) => labelsEqual(s.labels, exp.labels));
    if (!g || !labelsEqual(g.labels, exp.labels)) throw new Mismatch(`${prefix}missing ${fmt(exp.labels)} (position ${i}); got ${got.map((s) => fmt(s.labels)).join(' ')}`);
    if (!almostEqual(g.v, want)) throw new Mismatch(`${prefix}${fmt(exp.labels)}: expected ${want}, got ${g.v}`);
  });
}

function errorMatches(cmd: EvalCommand, err: Error): void {
  const f = cmd.fail;
  if (!f) throw new Mismatch(`unexpected error: ${err.message}`);
  const msg = err.message.replace(/^\d+:\d+: parse error: /, '');
  if (f.msg !== undefined && msg.trim() !== f.msg && err.message.trim() !== f.msg) throw new Mismatch(`error ${JSON.stringify(err.message)} != ${JSON.stringify(f.msg)}`);
  if (f.regex !== undefined && !RE2JS.compile(f.regex).matcher(err.message).find()) throw new Mismatch(`error ${JSON.stringify(err.message)} !~ ${f.regex}`);
}

function annotationMatches(line: { msg?: string; regex?: string }, text: string): boolean {
  if (line.msg !== undefined) return text.trim() === line.msg;
  if (line.regex !== undefined) return RE2JS.compile(line.regex).matcher(text).find();
  return true;
}

function checkAnnotations(cmd: EvalCommand, type: 'warn' | 'info', actual: readonly string[]): void {
  if (cmd.noAnnotations.includes(type) && actual.length > 0) throw new Mismatch(`expected no ${type} annotations, got ${JSON.stringify(actual)}`);
  const lines = cmd.annotations.filter((a) => a.type === type);
  if (lines.length === 0) return;
  if (actual.length === 0) throw new Mismatch(`expected ${type} annotations, got none`);
  for (const l of lines) {
    if (!actual.some((a) => annotationMatches(l, a))) throw new Mismatch(`no ${type} annotation matches ${JSON.stringify(l)}; got ${JSON.stringify(actual)}`);
  }
  for (const a of actual) {
    if (!lines.some((l) => annotationMatches(l, a))) throw new Mismatch(`unexpected ${type} annotation ${JSON.stringify(a)}`);
  }
}

const NO_CROSSCHECK = /\b(start|end|range|step)\s*\(\s*\)/i;

async function runEval(engine: Engine, store: MemoryQueryable, cmd: EvalCommand): Promise<void> {
  if (cmd.kind === 'range') return runOne(engine, store, cmd);
  await runOne(engine, store, cmd);
  // @ invariance (promqltest's atModifierTestCases): pin every selector to @ T and evaluate elsewhere.
  const variant = atInvariantQuery(cmd.query, cmd.at);
  if (variant === undefined) return;
  const times = cmd.at === 0 ? [-1000, 0, 1000] : [-10 * cmd.at, 0, Math.trunc(cmd.at / 5), cmd.at, 10 * cmd.at];
  for (const t of times) {
    try {
      await runOne(engine, store, { ...cmd, query: variant, at: t, ...(cmd.rangeVector ? {} : {}) });
    } catch (e) {
      throw new Mismatch(`@ invariance (${variant} at ${t}ms): ${(e as Error).message}`);
    }
  }
}

const AT_UNSAFE = new Set(['days_in_month', 'day_of_month', 'day_of_week', 'day_of_year', 'end', 'hour', 'minute', 'month', 'year', 'predict_linear', 'range', 'start', 'step', 'time', 'timestamp']);

/** The query with `@ T` on every selector and subquery not inside a subquery, or undefined when not applicable. */
export function atInvariantQuery(query: string, t: number): string | undefined {
  let expr: Expr;
  try {
    expr = parseExpr(query);
  } catch {
    return undefined;
  }
  let unsafe = false;
  const at = { kind: 'time' as const, ms: t };
  const visit = (e: Expr, under: boolean): void => {
    switch (e.type) {
      case 'VectorSelector':
        if (!under && !e.at) e.at = at;
        return;
      case 'MatrixSelector':
        if (!under && !e.vector.at) e.vector.at = at;
        return;
      case 'SubqueryExpr':
        if (!under && !e.at) e.at = at;
        return visit(e.expr, true);
      case 'ParenExpr':
      case 'UnaryExpr':
        return visit(e.expr, under);
      case 'BinaryExpr':
        visit(e.lhs, under);
        return visit(e.rhs, under);
      case 'Call':
        if (AT_UNSAFE.has(e.func)) unsafe = true;
        for (const a of e.args) visit(a, under);
        return;
      case 'AggregateExpr':
        if (e.param) visit(e.param, under);
        return visit(e.expr, under);
      default:
        return;
    }
  };
  visit(expr, false);
  return unsafe ? undefined : formatExpr(expr);
}

async function runOne(engine: Engine, store: MemoryQueryable, cmd: EvalCommand): Promise<void> {
  const run = (): Promise<QueryResult> =>
    cmd.kind === 'instant' ? engine.instantQuery(store, cmd.query, cmd.at) : engine.rangeQuery(store, cmd.query, cmd.start, cmd.end, cmd.step);
  let res: QueryResult;
  try {
    res = await run();
  } catch (e) {
    if (e instanceof Mismatch) throw e;
    errorMatches(cmd, e as Error);
    return;
  }
  if (cmd.fail) throw new Mismatch(`expected failure, got ${res.resultType} result`);
  checkResult(cmd, res, cmd.kind);
  checkAnnotations(cmd, 'warn', res.warnings);
  checkAnnotations(cmd, 'info', res.infos);
  if (cmd.kind === 'instant' && !cmd.rangeVector && cmd.expectedString === undefined && !NO_CROSSCHECK.test(cmd.query) && !cmd.ordered) {
    let rr: QueryResult;
    try {
      rr = await engine.rangeQuery(store, cmd.query, cmd.at - 60_000, cmd.at + 60_000, 60_000);
    } catch (e) {
      throw new Mismatch(`range cross-check failed: ${(e as Error).message}`);
    }
    checkResult(cmd, rr, 'crosscheck');
  }
}

function load(store: MemoryQueryable, stepMs: number, series: readonly SeriesSpec[]): void {
  for (const s of series) {
    s.values.forEach((v, i) => {
      const t = i * stepMs;
      const off = s.startOffsets?.[i];
      const st = off === undefined ? 0 : t + off;
      if (v.kind === 'float') store.add(s.labels, t, v.v, st);
      else if (v.kind === 'stale') store.add(s.labels, t, staleNaN(), st);
      else if (v.kind === 'histogram') store.addHistogram(s.labels, t);
    });
  }
}

/** Runs one .test file; evals the index marks as needing native histograms are skipped. */
export async function runFile(file: string, index: Map<string, IndexRow>, dir = CONFORMANCE_DIR): Promise<EvalOutcome[]> {
  return runScript(file, readFileSync(join(dir, 'testdata', file), 'utf8'), index);
}

/** Runs script text (file name only labels the eval ids). */
export async function runScript(file: string, text: string, index: ReadonlyMap<string, IndexRow> = new Map()): Promise<EvalOutcome[]> {
  const cmds = parseScript(file, text);
  const store = new MemoryQueryable();
  const engine = testEngine();
  const out: EvalOutcome[] = [];
  for (const cmd of cmds) {
    if (cmd.type === 'clear') store.clear();
    else if (cmd.type === 'load') load(store, cmd.stepMs, cmd.series);
    else {
      const id = `${file}:${cmd.line}`;
      const row = index.get(id);
      if (row && !row.floatLoose) {
        out.push({ id, status: 'skip', reason: 'needs native histograms (not supported yet)', query: cmd.query });
        continue;
      }
      try {
        await runEval(engine, store, cmd);
        out.push({ id, status: 'pass', query: cmd.query });
      } catch (e) {
        out.push({ id, status: 'fail', reason: e instanceof Mismatch ? e.message : `runner error: ${(e as Error).stack ?? String(e)}`, query: cmd.query });
      }
    }
  }
  return out;
}

export async function runAll(dir = CONFORMANCE_DIR): Promise<EvalOutcome[]> {
  const index = readIndex(dir);
  const files = readdirSync(join(dir, 'testdata')).filter((f) => f.endsWith('.test')).sort();
  const out: EvalOutcome[] = [];
  for (const f of files) out.push(...(await runFile(f, index, dir)));
  return out;
}

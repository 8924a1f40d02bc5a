import { maxOf, pushAll } from '../model/arrays.js';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { RE2JS } from 're2js';
import { FakeClock } from '../model/clock.js';
import { formatDuration } from '../model/duration.js';
import type { Labels } from '../model/labels.js';
import { Engine, formatExpr, parseExpr } from '../promql/index.js';
import { AlertingRule, RuleLoadError, RuleManager, type Group, type GroupSpec, type QueryFn, type QuerySample } from '../rules/index.js';
import { expandGlobs, readRuleFile } from '../config/index.js';
import { durationString, goQuoteString } from '../template/index.js';
import { alertsDiff, dumpAll } from './debug.js';
import { alertsEqual, alertsString, indentLines, samplesEqual, samplesString, sortAlerts, sortSamples, type LabelsAndAnnotations, type ParsedSample } from './compare.js';
import { histogramTestExpression } from './histogram.js';
import { parseSeriesLabels, parseSeriesValues } from './series.js';
import { TestStorage } from './storage.js';
import { parseUnitTestFile, type TestGroup, type UnitTestFile } from './test-file.js';

/**
 * `vigil rules test`: runs promtool's rule unit-test files unchanged. For each test group, input
 * series are loaded into a fresh store as time advances, the rule files' groups are evaluated at
 * every evaluation interval (in `group_eval_order`), firing alerts are compared at each
 * `alert_rule_test` time and expressions at each `promql_expr_test` time. Failures are reported
 * as promtool reports them, with expected and actual values.
 */
export interface RunOptions {
  /** Regular expressions; only test groups whose name matches one run (promtool's --run). */
  readonly run?: readonly string[];
  readonly ignoreUnknownFields?: boolean;
  /** promtool's --debug: each test group's start and duration, and a dump of all its data, to `debug`. */
  readonly debug?: (line: string) => void;
  /** promtool's --diff: an alert test's failure also shows the lines that differ. */
  readonly diff?: boolean;
}

/** One test group that ran, with its failures (none: it passed). */
export interface CaseResult {
  readonly name: string;
  readonly failures: readonly string[];
}

export interface FileResult {
  readonly file: string;
  readonly errors: string[];
  readonly warnings: string[];
  /** The test groups that ran; empty with `errors` when the file itself could not be run. */
  readonly cases: CaseResult[];
  /** When the file ran: promtool's JUnit timestamp, local time, to the second. */
  readonly startedAt?: Date;
}

const LOOKBACK_MS = 300_000;

/** Runs one unit-test file; `errors` empty means it passed. */
export async function runTestFile(path: string, opts: RunOptions = {}): Promise<FileResult> {
  const warnings: string[] = [];
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { file: path, warnings, cases: [], errors: [`open ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`] };
  }
  let utf: UnitTestFile;
  try {
    utf = parseUnitTestFile(text);
  } catch (e) {
    return { file: path, warnings, cases: [], errors: [(e as Error).message] };
  }
  const base = dirname(resolve(path));
  const ruleFiles: string[] = [];
  for (const rf of utf.ruleFiles) {
    const pattern = rf !== '' && !isAbsolute(rf) ? join(base, rf) : rf;
    const { files, errors } = expandGlobs([pattern], '/');
    if (errors.length) return { file: path, warnings, cases: [], errors };
    if (files.length === 0) warnings.push(`  WARNING: no file match pattern ${pattern}`);
    pushAll(ruleFiles, files);
  }
  const evalInterval = utf.evaluationInterval || 60_000;
  const startedAt = new Date();
  const order = new Map<string, number>();
  for (const [i, g] of utf.groupEvalOrder.entries()) {
    if (order.has(g)) return { file: path, warnings, cases: [], errors: [`group name repeated in evaluation order: ${g}`] };
    order.set(g, i);
  }
  let run: RE2JS | undefined;
  if (opts.run && opts.run.length > 0) {
    try {
      run = RE2JS.compile(opts.run.join('|'));
    } catch (e) {
      return { file: path, warnings, cases: [], errors: [`--run: ${(e as Error).message}`] };
    }
  }
  const errors: string[] = [];
  const cases: CaseResult[] = [];
  for (const [i, tg] of utf.tests.entries()) {
    if (run && !run.matcher(tg.name).find()) continue;
    const name = tg.name || `unnamed#${i}`;
    const group = { ...tg, interval: tg.interval || evalInterval };
    const t0 = process.hrtime.bigint();
    opts.debug?.(`DEBUG: Starting test ${name}`);
    const failures = await runGroup(group, evalInterval, order, utf.fuzzyCompare, ruleFiles, opts);
    opts.debug?.(`DEBUG: Test ${name} finished, took ${durationString(Number(process.hrtime.bigint() - t0))}`);
    cases.push({ name, failures });
    pushAll(errors, failures);
  }
  return { file: path, warnings, errors, cases, startedAt };
}

function engineQuery(engine: Engine, store: TestStorage): QueryFn {
  return async (expr, t) => {
    const r = await engine.instantQuery(store, expr, t);
    if (r.resultType === 'vector') return r.result.map((s) => ({ labels: s.labels, t: s.t, v: s.v }));
    if (r.resultType === 'scalar') return [{ labels: {}, t: r.result.t, v: r.result.v }];
    throw new Error('rule result is not a vector or scalar');
  };
}

async function runGroup(tg: TestGroup, evalInterval: number, order: ReadonlyMap<string, number>, fuzzy: boolean, ruleFiles: readonly string[], opts: RunOptions): Promise<string[]> {
  const store = new TestStorage();
  const mint = tg.startTimestamp ?? 0;
  for (const s of tg.inputSeries) {
    try {
      store.addInput(parseSeriesLabels(s.series), mint, tg.interval, parseSeriesValues(s.values));
    } catch (e) {
      return [`error in input_series ${JSON.stringify(`${s.series} ${s.values}`)}: ${(e as Error).message}`];
    }
  }
  const engine = new Engine({ lookbackDeltaMs: LOOKBACK_MS, timeoutMs: 100_000, maxSamples: 50_000_000, subqueryStepMs: evalInterval });
  const query = engineQuery(engine, store);
  const parse = (s: string) => formatExpr(parseExpr(s));
  const specs: GroupSpec[] = [];
  const loadErrors: string[] = [];
  for (const f of ruleFiles) {
    const r = readRuleFile(f, { parseExpr: parse, ignoreUnknownFields: opts.ignoreUnknownFields ?? false });
    pushAll(specs, r.groups);
    pushAll(loadErrors, r.errors);
  }
  if (loadErrors.length > 0) return loadErrors;
  const manager = new RuleManager({
    query,
    parseExpr: parse,
    appendable: store,
    notify: () => undefined,
    clock: new FakeClock(mint),
    settings: {
      evaluationIntervalMs: tg.interval,
      externalLabels: tg.externalLabels,
      ...(tg.externalURL ? { externalURL: new URL(tg.externalURL) } : {}),
      outageToleranceMs: 3600_000,
      forGracePeriodMs: 600_000,
      resendDelayMs: 60_000,
      queryOffsetMs: 0,
    },
  });
  let groups: Group[];
  try {
    groups = manager.loadGroups(specs);
  } catch (e) {
    if (e instanceof RuleLoadError) return [...e.issues];
    throw e;
  }
  groups = groups.map((g, i) => ({ g, i })).sort((a, b) => (order.get(a.g.name) ?? 0) - (order.get(b.g.name) ?? 0) || a.i - b.i).map((x) => x.g);

  const maxEval = maxOf([0, ...tg.alertRuleTests.map((a) => a.evalTime), ...tg.promqlExprTests.map((p) => p.evalTime)]);
  const maxt = mint + maxEval;
  const errs: string[] = [];
  const alertTimes = [...new Set(tg.alertRuleTests.map((a) => a.evalTime))].sort((a, b) => a - b);
  for (const a of tg.alertRuleTests) {
    if (a.alertname === '') return [`an item under alert_rule_test misses required attribute alertname at eval_time ${formatDuration(a.evalTime)}${tg.name ? ` (in TestGroup ${tg.name})` : ''}`];
  }
  let curr = 0;
  for (let ts = mint; ts <= maxt; ts += evalInterval) {
    store.loadUntil(ts);
    const evalErrs: string[] = [];
    for (const g of groups) {
      await g.eval(ts);
      for (const r of g.rules) if (r.lastError !== undefined) evalErrs.push(`    rule: ${r.name}, time: ${durationString((ts - 0) * 1e6)}, err: ${r.lastError}`);
    }
    pushAll(errs, evalErrs);
    if (evalErrs.length > 0) return errs;
    while (curr < alertTimes.length && ts - mint <= (alertTimes[curr] as number) && (alertTimes[curr] as number) < ts + evalInterval - mint) {
      const t = alertTimes[curr] as number;
      const cases = tg.alertRuleTests.filter((a) => a.evalTime === t);
      const names = new Set(cases.map((c) => c.alertname));
      const got = new Map<string, LabelsAndAnnotations[]>();
      for (const g of groups) {
        for (const r of g.rules) {
          if (!(r instanceof AlertingRule) || !names.has(r.name)) continue;
          const firing = r.activeAlerts().filter((a) => a.state === 'firing');
          got.set(r.name, [...(got.get(r.name) ?? []), ...firing.map((a) => ({ labels: a.labels, annotations: a.annotations }))]);
        }
      }
      for (const c of cases) {
        const gotAlerts = sortAlerts([...(got.get(c.alertname) ?? [])]);
        const exp = sortAlerts(c.expAlerts.map((a) => ({ labels: { ...(a.expLabels ?? {}), alertname: c.alertname }, annotations: a.expAnnotations ?? {} })));
        if (!alertsEqual(exp, gotAlerts)) {
          const testName = tg.name ? `    name: ${tg.name},\n` : '';
          const diff = opts.diff ? `\n        diff:${indentLines(alertsDiff(exp, gotAlerts), '            ')}` : '';
          errs.push(
            `${testName}    alertname: ${c.alertname}, time: ${formatDuration(c.evalTime)}, \n        exp:${indentLines(alertsString(exp), '            ')}, \n        got:${indentLines(alertsString(gotAlerts), '            ')}${diff}`,
          );
        }
      }
      curr++;
    }
  }
  for (const tc of tg.promqlExprTests) {
    const at = mint + tc.evalTime;
    let got: ParsedSample[];
    try {
      got = await evaluate(tc.expr, at, query, store);
    } catch (e) {
      errs.push(`    expr: ${goQuoteString(tc.expr)}, time: ${formatDuration(tc.evalTime)}, err: ${(e as Error).message}`);
      continue;
    }
    const exp: ParsedSample[] = [];
    let bad: string | undefined;
    for (const s of tc.expSamples) {
      try {
        let histogram = '';
        if (s.histogram !== '') {
          const vals = parseSeriesValues(s.histogram);
          const v = vals[0];
          if (vals.length !== 1 || v?.kind !== 'histogram') throw new Error(vals.length !== 1 ? `expected 1 value, got ${vals.length}` : 'expected histogram');
          histogram = histogramTestExpression(v.h);
        }
        exp.push({ labels: parseSeriesLabels(s.labels), value: s.value, histogram });
      } catch (e) {
        bad = `    expr: ${goQuoteString(tc.expr)}, time: ${formatDuration(tc.evalTime)}, err: labels ${goQuoteString(s.labels)}: ${(e as Error).message}`;
        break;
      }
    }
    if (bad) {
      errs.push(bad);
      continue;
    }
    sortSamples(exp);
    sortSamples(got);
    if (!samplesEqual(exp, got, fuzzy)) {
      errs.push(`    expr: ${goQuoteString(tc.expr)}, time: ${formatDuration(tc.evalTime)},\n        exp: ${samplesString(exp)}\n        got: ${samplesString(got)}`);
    }
  }
  if (opts.debug) await dumpAll(engine, store, mint, maxEval, opts.debug);
  return errs;
}

/**
 * A promql_expr_test's result. A plain selector over series holding native histograms is
 * answered from the store (the engine does not evaluate histograms); anything else goes through
 * the engine, which refuses to compute on histograms with a clear error.
 */
async function evaluate(expr: string, t: number, query: QueryFn, store: TestStorage): Promise<ParsedSample[]> {
  let ast;
  try {
    ast = parseExpr(expr);
  } catch {
    ast = undefined;
  }
  if (ast?.type === 'VectorSelector' && ast.offset === undefined && ast.at === undefined && store.hasHistograms(ast.matchers)) {
    const rows = await store.selectLatest(ast.matchers, t, LOOKBACK_MS);
    return rows.map((r) => ({ labels: r.labels, value: r.v ?? 0, histogram: r.h ? histogramTestExpression(r.h) : '' }));
  }
  const res: readonly QuerySample[] = await query(expr, t);
  return res.map((s) => ({ labels: s.labels as Labels, value: s.v, histogram: '' }));
}

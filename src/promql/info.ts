import type { Labels } from '../model/labels.js';
import { newMatcher, type Matcher } from '../model/matcher.js';
import { isStaleNaN } from '../model/sample.js';
import { lowerBound } from '../storage/lower-bound.js';
import type { Call, Expr, SubqueryExpr, VectorSelector } from './ast.js';
import { durationMs, type DurationContext } from './duration-expr.js';
import { ExecutionError } from './errors.js';
import type { EvalValue, Evaluator } from './evaluator.js';
import { labelsKey, labelsString } from './labels-util.js';
import type { Series, Vector } from './value.js';

const TARGET_INFO = 'target_info';
const IDENTIFYING = ['instance', 'job'];

/** Name matchers that select info metrics: the given ones, or `target_info`, or `.+_info` plus negative ones. */
function effectiveNameMatchers(ms: readonly Matcher[]): Matcher[] {
  if (ms.some((m) => m.type === '=' || m.type === '=~')) return [...ms];
  if (ms.length > 0) return [newMatcher('=~', '__name__', '.+_info'), ...ms];
  return [newMatcher('=', '__name__', TARGET_INFO)];
}

interface InfoPlan {
  /** Synthetic selector whose storage series are the candidate info series. */
  readonly selector: VectorSelector;
  readonly nameMatchers: Matcher[];
  /** Matchers on data labels (not __name__) from the second argument. */
  readonly dataMatchers: Map<string, Matcher[]>;
}

const plans = new WeakMap<Call, InfoPlan>();

/** The info-series selection of an `info(…)` call; stable per AST node so prefetch and evaluation agree. */
export function infoPlan(e: Call): InfoPlan {
  let p = plans.get(e);
  if (p) return p;
  const sel = e.args[1];
  const given = sel && sel.type === 'VectorSelector' ? sel.matchers : [];
  const nameMatchers = given.filter((m) => m.name === '__name__');
  const dataMatchers = new Map<string, Matcher[]>();
  for (const m of given) {
    if (m.name === '__name__') continue;
    dataMatchers.set(m.name, [...(dataMatchers.get(m.name) ?? []), m]);
  }
  const matchers = [...[...dataMatchers.values()].flat(), ...effectiveNameMatchers(nameMatchers)];
  const selector: VectorSelector = { type: 'VectorSelector', name: undefined, matchers, offset: undefined, at: undefined, pos: e.pos };
  p = { selector, nameMatchers: effectiveNameMatchers(given.length > 0 ? nameMatchers : []), dataMatchers };
  plans.set(e, p);
  return p;
}

/** The @ time and offset info series are read with: those of the first selector in the base expression. */
export function infoTiming(e: Expr, d: DurationContext): { at: VectorSelector['at']; offsetMs: number } {
  const path: Expr[] = [];
  const find = (n: Expr): VectorSelector | undefined => {
    switch (n.type) {
      case 'VectorSelector':
        return n;
      case 'MatrixSelector':
        return n.vector;
      case 'SubqueryExpr':
      case 'ParenExpr':
      case 'UnaryExpr': {
        path.push(n);
        const r = find(n.expr);
        if (!r) path.pop();
        return r;
      }
      case 'BinaryExpr':
        return find(n.lhs) ?? find(n.rhs);
      case 'Call':
        for (const a of n.args) {
          const r = find(a);
          if (r) return r;
        }
        return undefined;
      case 'AggregateExpr':
        return (n.param && find(n.param)) ?? find(n.expr);
      default:
        return undefined;
    }
  };
  const vs = find(e);
  if (!vs) return { at: undefined, offsetMs: 0 };
  let at = vs.at;
  let offsetMs = durationMs(vs.offset, d);
  for (let i = path.length - 1; at === undefined && i >= 0; i--) {
    const n = path[i] as Expr;
    if (n.type === 'SubqueryExpr') {
      offsetMs += durationMs((n as SubqueryExpr).offset, d);
      at = (n as SubqueryExpr).at;
    }
  }
  return { at, offsetMs };
}

function sigOf(name: string, l: Labels): string {
  const parts = [name];
  for (const n of IDENTIFYING) parts.push(l[n] ?? '');
  return parts.join('\xff');
}

/** info(v [, selector]): adds the data labels of matching info metrics (joined on instance/job) to v. */
export async function evalInfo(ev: Evaluator, e: Call): Promise<EvalValue> {
  const base = await ev.eval(e.args[0] as Expr);
  if (base.kind !== 'vector') throw new ExecutionError('info() expects an instant vector');
  const plan = infoPlan(e);
  const nameOk = (l: Labels): boolean => plan.nameMatchers.every((m) => m.matches(l.__name__ ?? ''));
  const ignored = new Set(base.series.filter((s) => nameOk(s.labels)).map((s) => labelsKey(s.labels)));
  const idValues = new Map<string, Set<string>>();
  for (const s of base.series) {
    if (ignored.has(labelsKey(s.labels))) continue;
    for (const n of IDENTIFYING) {
      const v = s.labels[n];
      if (v) idValues.set(n, (idValues.get(n) ?? new Set()).add(v));
    }
  }
  const candidates =
    idValues.size === 0
      ? []
      : (ev.ctx.series.get(plan.selector) ?? []).filter((s) => [...idValues].every(([n, vals]) => vals.has(s.labels[n] ?? '')));
  const { at, offsetMs } = infoTiming(e.args[0] as Expr, ev.ctx.durations);
  const atT = ev.atTime(at);
  // Info series as a matrix whose values are the original sample timestamps (newest wins on conflicts).
  const infoMat: Series[] = candidates.map((s) => {
    const points = [];
    for (const ts of ev.steps) {
      const t = (atT ?? ts) - offsetMs;
      const i = lowerBound(s.timestamps, t + 1) - 1;
      if (i < 0) continue;
      const st = s.timestamps[i] as number;
      if (st <= t - ev.ctx.lookbackMs || isStaleNaN(s.values[i] as number)) continue;
      points.push({ t: ts, v: st });
    }
    return { labels: s.labels, points };
  });
  const infoNames = [...new Set(infoMat.map((s) => s.labels.__name__ ?? ''))];
  const baseVecs = ev.stepVectors(base.series);
  const infoVecs = ev.stepVectors(infoMat);
  const out = baseVecs.map((vec, i) => combine(vec, infoVecs[i] as Vector, ignored, infoNames, plan.dataMatchers));
  return { kind: 'vector', series: ev.fromStepVectors(out) };
}

function combine(base: Vector, info: Vector, ignored: Set<string>, infoNames: string[], dataMatchers: Map<string, Matcher[]>): Vector {
  if (base.length === 0) return [];
  const bySig = new Map<string, (typeof info)[number]>();
  for (const s of info) {
    const sig = sigOf(s.labels.__name__ ?? '', s.labels);
    const existing = bySig.get(sig);
    if (!existing || existing.v < s.v) bySig.set(sig, s);
    else if (existing.v === s.v) {
      throw new ExecutionError(`found duplicate series for info metric: existing ${labelsString(existing.labels)} @ ${existing.v}, new ${labelsString(s.labels)} @ ${s.v}`);
    }
  }
  const out: Vector = [];
  for (const b of base) {
    if (ignored.has(labelsKey(b.labels))) {
      out.push(b);
      continue;
    }
    const added: Record<string, string> = {};
    let seen = 0;
    for (const name of infoNames) {
      const is = bySig.get(sigOf(name, b.labels));
      if (!is) continue;
      for (const [k, v] of Object.entries(is.labels)) {
        if (k === '__name__') continue;
        if (dataMatchers.size > 0 && !dataMatchers.has(k)) continue;
        const cur = added[k];
        if (cur !== undefined && cur !== v) throw new ExecutionError(`conflicting label: ${k}`);
        if (b.labels[k] !== undefined) continue;
        added[k] = v;
      }
      seen++;
    }
    if (seen === 0 && ![...dataMatchers.values()].flat().every((m) => m.matches(''))) continue;
    out.push({ labels: { ...b.labels, ...added }, t: b.t, v: b.v, dropName: b.dropName });
  }
  return out;
}

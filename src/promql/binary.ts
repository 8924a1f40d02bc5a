import type { Labels } from '../model/labels.js';
import type { BinaryExpr, VectorMatching } from './ast.js';
import { ExecutionError } from './errors.js';
import { goPow } from './functions/stats.js';
import { labelsKey, labelsString, only, without } from './labels-util.js';
import type { Sample, Vector } from './value.js';

const COMPARISON = new Set(['==', '!=', '<=', '<', '>=', '>']);
const ARITH = new Set(['+', '-', '*', '/', '%', '^', 'atan2']);

/** Applies an arithmetic or comparison operator; for comparisons returns [lhs, keep]. */
function elem(op: string, l: number, r: number): [number, boolean] {
  switch (op) {
    case '+': return [l + r, true];
    case '-': return [l - r, true];
    case '*': return [l * r, true];
    case '/': return [l / r, true];
    case '%': return [l % r, true];
    case '^': return [goPow(l, r), true];
    case 'atan2': return [Math.atan2(l, r), true];
    case '==': return [l, l === r];
    case '!=': return [l, l !== r];
    case '>': return [l, l > r];
    case '<': return [l, l < r];
    case '>=': return [l, l >= r];
    case '<=': return [l, l <= r];
    default: throw new ExecutionError(`operator "${op}" not allowed for scalar operations`);
  }
}

/** One step of a binary expression over scalars and/or instant vectors. */
export function binaryStep(e: BinaryExpr, a: Vector | number, b: Vector | number): Vector | number {
  if (typeof a === 'number' && typeof b === 'number') {
    const [v, keep] = elem(e.op, a, b);
    return COMPARISON.has(e.op) ? (keep ? 1 : 0) : v;
  }
  if (typeof a === 'number' || typeof b === 'number') return vectorScalar(e, a, b);
  const m = e.matching as VectorMatching;
  switch (e.op) {
    case 'and': return setAnd(m, a, b, true);
    case 'unless': return setAnd(m, a, b, false);
    case 'or': return setOr(m, a, b);
    default: return vectorVector(e, m, a, b);
  }
}

function vectorScalar(e: BinaryExpr, a: Vector | number, b: Vector | number): Vector {
  const swap = typeof a === 'number';
  const vec = (swap ? b : a) as Vector;
  const scalar = (swap ? a : b) as number;
  const cmp = COMPARISON.has(e.op);
  const out: Vector = [];
  for (const s of vec) {
    const [l, r] = swap ? [scalar, s.v] : [s.v, scalar];
    let [v, keep] = elem(e.op, l, r);
    if (cmp && swap) v = s.v;
    if (e.bool) {
      v = keep ? 1 : 0;
      keep = true;
    }
    if (!keep) continue;
    out.push({ labels: s.labels, t: s.t, v, dropName: ARITH.has(e.op) || e.bool ? true : s.dropName });
  }
  return out;
}

function signature(m: VectorMatching, l: Labels): string {
  return labelsKey(m.on ? only(l, m.labels) : without(l, [...m.labels, '__name__']));
}

function setAnd(m: VectorMatching, a: Vector, b: Vector, keepMatches: boolean): Vector {
  const sigs = new Set(b.map((s) => signature(m, s.labels)));
  return a.filter((s) => sigs.has(signature(m, s.labels)) === keepMatches);
}

function setOr(m: VectorMatching, a: Vector, b: Vector): Vector {
  const sigs = new Set(a.map((s) => signature(m, s.labels)));
  return [...a, ...b.filter((s) => !sigs.has(signature(m, s.labels)))];
}

function resultLabels(m: VectorMatching, many: Labels, one: Labels): Record<string, string> {
  let l: Record<string, string> = { ...many };
  if (m.card === 'one-to-one') l = m.on ? only(l, m.labels) : without(l, m.labels);
  for (const n of m.include) {
    const v = one[n];
    if (v !== undefined && v !== '') l[n] = v;
    else delete l[n];
  }
  return l;
}

function vectorVector(e: BinaryExpr, m: VectorMatching, lhs: Vector, rhs: Vector): Vector {
  const swapped = m.card === 'one-to-many';
  const manySide = swapped ? rhs : lhs;
  const oneSide = swapped ? lhs : rhs;
  const ones = new Map<string, Sample>();
  for (const s of oneSide) {
    const sig = signature(m, s.labels);
    const prev = ones.get(sig);
    if (prev) {
      const side = swapped ? 'left' : 'right';
      throw new ExecutionError(
        `found duplicate series for the match group ${labelsString(m.on ? only(s.labels, m.labels) : without(s.labels, [...m.labels, '__name__']))} on the ${side} hand-side of the operation: [${labelsString(prev.labels)}, ${labelsString(s.labels)}];many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    ones.set(sig, s);
  }
  const dropName = ARITH.has(e.op) || e.bool;
  const matched = new Set<string>();
  const inserted = new Map<string, Set<string>>();
  const out: Vector = [];
  // fill_left fills the (internally left) "many" side, fill_right the "one" side, also for group_right.
  const fillMany = m.fillLeft;
  const fillOne = m.fillRight;
  const seenSigs = new Set<string>();
  const emit = (labels: Record<string, string>, l: number, r: number, t: number, srcDropName: boolean | undefined): void => {
    let [v, keep] = elem(e.op, l, r);
    if (e.bool) {
      v = keep ? 1 : 0;
      keep = true;
    }
    if (keep) out.push({ labels, t, v, dropName: dropName ? true : srcDropName });
  };
  for (const s of manySide) {
    const sig = signature(m, s.labels);
    seenSigs.add(sig);
    const o = ones.get(sig);
    if (!o) {
      if (fillOne !== undefined) {
        const [l, r] = swapped ? [fillOne, s.v] : [s.v, fillOne];
        emit(resultLabels(m, s.labels, {}), l, r, s.t, s.dropName);
      }
      continue;
    }
    const [ls, rs] = swapped ? [o, s] : [s, o];
    if (m.card === 'one-to-one') {
      if (matched.has(sig)) throw new ExecutionError('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
      matched.add(sig);
    }
    let [v, keep] = elem(e.op, ls.v, rs.v);
    if (e.bool) {
      v = keep ? 1 : 0;
      keep = true;
    }
    if (!keep) continue;
    const labels = resultLabels(m, s.labels, o.labels);
    if (m.card !== 'one-to-one') {
      const key = labelsKey(labels);
      let set = inserted.get(sig);
      if (!set) inserted.set(sig, (set = new Set()));
      if (set.has(key)) throw new ExecutionError('multiple matches for labels: grouping labels must ensure unique matches');
      set.add(key);
    }
    out.push({ labels, t: s.t, v, dropName: dropName ? true : s.dropName });
  }
  if (fillMany !== undefined) {
    for (const [sig, o] of ones) {
      if (seenSigs.has(sig)) continue;
      const groupLabels = m.on ? only(o.labels, m.labels) : without(o.labels, [...m.labels, '__name__']);
      const [l, r] = swapped ? [o.v, fillMany] : [fillMany, o.v];
      emit(resultLabels(m, groupLabels, o.labels), l, r, o.t, false);
    }
  }
  return out;
}

import type { AtModifier, DurationExpr, Expr, VectorMatching, VectorSelector } from './ast.js';
import { formatDuration } from '../model/duration.js';

const PLAIN_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const PLAIN_METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function labelName(n: string): string {
  return PLAIN_LABEL.test(n) ? n : JSON.stringify(n);
}

function formatDurationExpr(d: DurationExpr, top = true): string {
  switch (d.kind) {
    case 'num': {
      const ms = Math.round(d.seconds * 1000);
      if (Number.isInteger(ms)) return ms < 0 ? `-${formatDuration(-ms)}` : formatDuration(ms);
      return formatNumber(d.seconds);
    }
    case 'step':
      return 'step()';
    case 'range':
      return 'range()';
    case 'neg':
      return `-${formatDurationExpr(d.expr, false)}`;
    case 'bin': {
      const s = `${formatDurationExpr(d.lhs, false)} ${d.op} ${formatDurationExpr(d.rhs, false)}`;
      return top ? s : `(${s})`;
    }
    case 'minmax':
      return `${d.fn}(${d.args.map((a) => formatDurationExpr(a)).join(', ')})`;
    default: {
      const never: never = d;
      return never;
    }
  }
}

/** Offsets need parentheses around anything but a plain (possibly negative) literal. */
function offsetText(d: DurationExpr): string {
  const s = formatDurationExpr(d);
  return d.kind === 'num' ? s : `(${s})`;
}

function atText(at: AtModifier): string {
  if (at.kind === 'start') return 'start()';
  if (at.kind === 'end') return 'end()';
  return (at.ms / 1000).toFixed(3);
}

function modifiers(at: AtModifier | undefined, offset: DurationExpr | undefined): string {
  let s = '';
  if (at) s += ` @ ${atText(at)}`;
  if (offset) s += ` offset ${offsetText(offset)}`;
  return s;
}

function selectorText(vs: VectorSelector): string {
  const matchers = vs.matchers.filter((m) => !(vs.name !== undefined && m.name === '__name__' && m.type === '=' && m.value === vs.name));
  let name = vs.name ?? '';
  let inBraces = matchers.map((m) => `${labelName(m.name)}${m.type}${JSON.stringify(m.value)}`);
  if (name !== '' && !PLAIN_METRIC.test(name)) {
    inBraces = [JSON.stringify(name), ...inBraces];
    name = '';
  }
  if (name !== '' && inBraces.length === 0) return name;
  return `${name}{${inBraces.join(', ')}}`;
}

function matchingText(m: VectorMatching | undefined): string {
  if (!m) return '';
  let s = '';
  const grouped = m.card === 'many-to-one' || m.card === 'one-to-many';
  if (m.on || m.labels.length > 0 || grouped) s += ` ${m.on ? 'on' : 'ignoring'}(${m.labels.map(labelName).join(', ')})`;
  if (grouped) s += ` ${m.card === 'many-to-one' ? 'group_left' : 'group_right'}(${m.include.map(labelName).join(', ')})`;
  if (m.fillLeft !== undefined && m.fillRight !== undefined && Object.is(m.fillLeft, m.fillRight)) s += ` fill(${formatNumber(m.fillLeft)})`;
  else {
    if (m.fillLeft !== undefined) s += ` fill_left(${formatNumber(m.fillLeft)})`;
    if (m.fillRight !== undefined) s += ` fill_right(${formatNumber(m.fillRight)})`;
  }
  return s;
}

/** Renders an AST back to PromQL text that parses to an equivalent AST (like Prometheus's Expr.String()). */
export function formatExpr(e: Expr): string {
  switch (e.type) {
    case 'NumberLiteral':
      return e.durationText ?? formatNumber(e.value);
    case 'StringLiteral':
      return JSON.stringify(e.value);
    case 'VectorSelector':
      return `${selectorText(e)}${modifiers(e.at, e.offset)}${e.modifier ? ` ${e.modifier}` : ''}`;
    case 'MatrixSelector': {
      const vs = e.vector;
      return `${selectorText(vs)}[${formatDurationExpr(e.range)}]${modifiers(vs.at, vs.offset)}${vs.modifier ? ` ${vs.modifier}` : ''}`;
    }
    case 'SubqueryExpr':
      return `${formatExpr(e.expr)}[${formatDurationExpr(e.range)}:${e.step ? formatDurationExpr(e.step) : ''}]${modifiers(e.at, e.offset)}`;
    case 'ParenExpr':
      return `(${formatExpr(e.expr)})`;
    case 'UnaryExpr':
      return `${e.op}${formatExpr(e.expr)}`;
    case 'BinaryExpr':
      return `${formatExpr(e.lhs)} ${e.op}${e.bool ? ' bool' : ''}${matchingText(e.matching)} ${formatExpr(e.rhs)}`;
    case 'Call':
      return `${e.func}(${e.args.map(formatExpr).join(', ')})`;
    case 'AggregateExpr': {
      let s = e.op;
      if (e.without) s += ` without (${e.grouping.map(labelName).join(', ')}) `;
      else if (e.grouping.length > 0) s += ` by (${e.grouping.map(labelName).join(', ')}) `;
      return `${s}(${e.param ? `${formatExpr(e.param)}, ` : ''}${formatExpr(e.expr)})`;
    }
    default: {
      const never: never = e;
      return never;
    }
  }
}

import { RE2JS } from 're2js';
import { ExecutionError } from '../errors.js';
import { INVALID_UTF8_PREFIX } from '../lexer.js';
import { METRIC_NAME } from '../labels-util.js';
import type { Sample, Vector } from '../value.js';
import type { FnArg, InstantFunctionDef } from './types.js';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Prometheus 3 accepts any valid UTF-8 label name. */
export function isValidLabelNameUTF8(name: string): boolean {
  return name.length > 0 && !name.startsWith(INVALID_UTF8_PREFIX);
}

/** Go's Regexp.Expand template syntax: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
export function expandTemplate(template: string, group: (nameOrIndex: string) => string): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    if (c !== '$' || i === template.length - 1) {
      out += c;
      continue;
    }
    const next = template[i + 1] as string;
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    let end = i + 1;
    if (next === '{') {
      const close = template.indexOf('}', i + 2);
      const inner = close < 0 ? '' : template.slice(i + 2, close);
      if (close >= 0 && /^[a-zA-Z0-9_]+$/.test(inner)) {
        name = inner;
        end = close + 1;
      }
    } else {
      const m = /^[a-zA-Z0-9_]+/.exec(template.slice(i + 1));
      if (m) {
        name = m[0];
        end = i + 1 + m[0].length;
      }
    }
    if (name === undefined) {
      out += c;
      continue;
    }
    out += group(name);
    i = end - 1;
  }
  return out;
}

function setLabel(s: Sample, name: string, value: string): Sample {
  const labels: Record<string, string> = { ...s.labels };
  if (value === '') delete labels[name];
  else labels[name] = value;
  // Writing __name__ explicitly keeps the new name past delayed name removal.
  const dropName = name === METRIC_NAME ? false : s.dropName;
  return { labels, t: s.t, v: s.v, dropName };
}

function labelReplace(args: readonly FnArg[]): Vector {
  const [vec, dst, repl, src, regex] = args as [Vector, string, string, string, string];
  let re: RE2JS;
  try {
    re = RE2JS.compile(`^(?:${regex})$`, RE2JS.DOTALL);
  } catch (e) {
    throw new ExecutionError(`invalid regular expression in label_replace(): ${regex}`);
  }
  if (!isValidLabelNameUTF8(dst) || !LABEL_NAME.test(dst)) throw new ExecutionError(`invalid destination label name in label_replace(): ${dst}`);
  const named = re.namedGroups() as Record<string, number>;
  return vec.map((s) => {
    const m = re.matcher(s.labels[src] ?? '');
    if (!m.matches()) return s;
    const value = expandTemplate(repl, (name) => {
      const idx = /^\d+$/.test(name) ? Number(name) : named[name];
      if (idx === undefined || idx > m.groupCount()) return '';
      return m.group(idx) ?? '';
    });
    return setLabel(s, dst, value);
  });
}

function labelJoin(args: readonly FnArg[]): Vector {
  const [vec, dst, sep, ...srcs] = args as [Vector, string, string, ...string[]];
  if (!isValidLabelNameUTF8(dst)) throw new ExecutionError(`invalid destination label name in label_join(): ${dst}`);
  for (const s of srcs) if (!isValidLabelNameUTF8(s)) throw new ExecutionError(`invalid source label name in label_join(): ${s}`);
  return vec.map((s) => setLabel(s, dst, srcs.map((n) => s.labels[n] ?? '').join(sep)));
}

export const LABEL_FUNCTIONS: InstantFunctionDef[] = [
  { kind: 'instant', name: 'label_replace', argTypes: ['vector', 'string', 'string', 'string', 'string'], variadic: 0, returnType: 'vector', keepName: true, call: labelReplace },
  { kind: 'instant', name: 'label_join', argTypes: ['vector', 'string', 'string', 'string'], variadic: -1, returnType: 'vector', keepName: true, call: labelJoin },
];

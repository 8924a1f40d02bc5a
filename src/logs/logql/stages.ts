import type { Labels } from '../../model/labels.js';
import { newMatcher, type Matcher, type MatchType } from '../../model/matcher.js';
import { RE2JS } from 're2js';
import { parseLogfmt } from '../parse/logfmt.js';
import type { CompiledPattern } from '../parse/pattern.js';
import type { CompiledRegex } from '../parse/regex.js';
import type { PipeState, Stage } from './ast.js';
import type { Template } from './template.js';
import { parseBytes, parseGoDuration } from './values.js';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../../model/json-depth.js';

/** Loki renames an extracted label that collides with a stream label to `<name>_extracted`. */
function setExtracted(s: PipeState, name: string, value: string): void {
  const key = sanitize(name);
  if (key === '') return;
  s.labels[Object.hasOwn(s.stream, key) ? `${key}_extracted` : key] = value;
}

export function sanitize(name: string): string {
  let out = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (/^[0-9]/.test(out)) out = `_${out}`;
  return out;
}

export type LineFilterOp = '|=' | '!=' | '|~' | '!~';

/** Line filters: substring or RE2 regex matched anywhere in the line (not anchored). */
export function lineFilter(op: LineFilterOp, value: string): (line: string) => boolean {
  switch (op) {
    case '|=': return (l) => l.includes(value);
    case '!=': return (l) => !l.includes(value);
    case '|~': case '!~': {
      const re = RE2JS.compile(value);
      return op === '|~' ? (l) => re.test(l) : (l) => !re.test(l);
    }
    default: {
      const never: never = op;
      throw new Error(`unknown line filter ${String(never)}`);
    }
  }
}

function flattenJson(v: unknown, prefix: string, s: PipeState, depth = 0): void {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    if (depth >= MAX_JSON_DEPTH) {
      s.labels.__error__ = 'JSONParserErr';
      s.labels.__error_details__ = `JSON nested deeper than ${MAX_JSON_DEPTH} levels`;
      return;
    }
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) flattenJson(x, prefix ? `${prefix}_${k}` : k, s, depth + 1);
  } else if (Array.isArray(v)) {
    return; // Loki skips arrays unless addressed by a json parameter
  } else if (prefix) setExtracted(s, prefix, v === null ? '' : typeof v === 'string' ? v : String(v));
}

function jsonPath(v: unknown, path: string): string | undefined {
  let cur: unknown = v;
  for (const seg of path.match(/[^.[\]"]+|\[\d+\]|\["[^"]*"\]/g) ?? []) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const key = seg.startsWith('["') ? seg.slice(2, -2) : seg.startsWith('[') ? Number(seg.slice(1, -1)) : seg;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  if (cur === undefined) return undefined;
  if (jsonDepthExceeds(cur)) return undefined;
  return typeof cur === 'string' ? cur : JSON.stringify(cur);
}

export function jsonStage(params: Array<{ name: string; path: string }>): Stage {
  return {
    kind: 'json',
    run(s) {
      let v: unknown;
      try {
        v = JSON.parse(s.line);
      } catch {
        s.labels.__error__ = 'JSONParserErr';
        s.labels.__error_details__ = 'invalid JSON line';
        return true;
      }
      if (params.length === 0) flattenJson(v, '', s);
      else for (const p of params) setExtracted(s, p.name, jsonPath(v, p.path) ?? '');
      return true;
    },
  };
}

export function logfmtStage(): Stage {
  return { kind: 'logfmt', run: (s) => { for (const [k, v] of Object.entries(parseLogfmt(s.line))) setExtracted(s, k, v); return true; } };
}

export function extractorStage(kind: 'pattern' | 'regexp', re: CompiledPattern | CompiledRegex): Stage {
  return { kind, run: (s) => { const m = re.match(s.line); if (m) for (const [k, v] of Object.entries(m)) setExtracted(s, k, v); return true; } };
}

export function lineFormatStage(tpl: Template): Stage {
  return { kind: 'line_format', run: (s) => { s.line = tpl({ labels: s.labels, line: s.line, timestampMs: s.t }); return true; } };
}

export function labelFormatStage(items: Array<{ dst: string; src?: string; tpl?: Template }>): Stage {
  return {
    kind: 'label_format',
    run(s) {
      const before = { ...s.labels };
      for (const it of items) {
        if (it.tpl) s.labels[it.dst] = it.tpl({ labels: before, line: s.line, timestampMs: s.t });
        else if (it.src !== undefined) {
          s.labels[it.dst] = before[it.src] ?? '';
          if (it.src !== it.dst) delete s.labels[it.src];
        }
      }
      return true;
    },
  };
}

export function dropKeepStage(kind: 'drop' | 'keep', items: Array<{ name: string; matcher?: Matcher }>): Stage {
  return {
    kind,
    run(s) {
      if (kind === 'drop') {
        for (const it of items) if (!it.matcher || it.matcher.matches(s.labels[it.name] ?? '')) delete s.labels[it.name];
      } else {
        const keep = new Set(items.filter((it) => !it.matcher || it.matcher.matches(s.labels[it.name] ?? '')).map((it) => it.name));
        for (const k of Object.keys(s.labels)) if (!keep.has(k)) delete s.labels[k];
      }
      return true;
    },
  };
}

export function decolorizeStage(): Stage {
  // eslint-disable-next-line no-control-regex
  return { kind: 'decolorize', run: (s) => { s.line = s.line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''); return true; } };
}

export function lineFilterStage(f: (line: string) => boolean): Stage {
  return { kind: 'line_filter', run: (s) => f(s.line) };
}

export type LabelPredicate = (labels: Readonly<Record<string, string>>) => boolean;

export type CmpOp = '=' | '!=' | '=~' | '!~' | '==' | '>' | '>=' | '<' | '<=';

/** `name op value`; for numbers, durations and bytes the label is converted and an unconvertible value does not match. */
export function labelComparison(name: string, op: CmpOp, value: { type: 'string' | 'number' | 'duration' | 'bytes'; text: string }): LabelPredicate {
  if (value.type === 'string') {
    if (op !== '=' && op !== '!=' && op !== '=~' && op !== '!~') throw new Error(`operator ${op} needs a number, duration or bytes value`);
    const m = newMatcher(op as MatchType, name, value.text);
    return (l) => m.matches(l[name] ?? '');
  }
  const conv = value.type === 'number' ? (x: string) => (x.trim() === '' ? NaN : Number(x)) : value.type === 'duration' ? (x: string) => parseGoDuration(x) ?? NaN : (x: string) => parseBytes(x) ?? NaN;
  const want = conv(value.text);
  const cmp: (a: number) => boolean = (() => {
    switch (op) {
      case '=': case '==': return (a: number) => a === want;
      case '!=': return (a: number) => a !== want;
      case '>': return (a: number) => a > want;
      case '>=': return (a: number) => a >= want;
      case '<': return (a: number) => a < want;
      case '<=': return (a: number) => a <= want;
      default: throw new Error(`operator ${op} cannot compare a ${value.type}`);
    }
  })();
  return (l) => {
    const raw = l[name];
    if (raw === undefined) return false;
    const a = conv(raw);
    return !Number.isNaN(a) && cmp(a);
  };
}

export function labelFilterStage(p: LabelPredicate): Stage {
  return { kind: 'label_filter', run: (s) => p(s.labels) };
}

export function initialLabels(stream: Labels, fields: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return fields ? { ...fields, ...stream } : { ...stream };
}

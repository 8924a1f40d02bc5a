import { pushAll } from '../model/arrays.js';
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import { tryParseDuration } from '../model/duration.js';
import { formatIssue, validateGroups, type GroupSpec, type ParseExprFn, type RuleSpec, type SpecIssue } from '../rules/index.js';
import { expandGlobs } from './glob.js';
import { parseYamlDocument } from './yaml-parse.js';

/**
 * Reads Prometheus rule files (rulefmt) into rule groups, with Prometheus's checks and
 * messages, each naming the file, the line and column, the group and the rule:
 * `rules.yml: 12:15: group "api", rule 2, "HighErrorRate": could not parse expression: …`.
 */
export interface RuleFileResult {
  readonly groups: GroupSpec[];
  readonly errors: string[];
  /** Problems that do not stop loading (a second YAML document, a pattern matching nothing). */
  readonly warnings: string[];
}

export interface RuleFileOptions {
  readonly parseExpr: ParseExprFn;
  /** Accept keys rulefmt does not know (promtool's --ignore-unknown-fields). */
  readonly ignoreUnknownFields?: boolean;
}

interface Positions {
  group: Array<string | undefined>;
  rules: Array<Array<Partial<Record<'record' | 'alert' | 'expr', string>> & { labels?: Record<string, string>; annotations?: Record<string, string> }>>;
  groupLabels: Array<Record<string, string>>;
}

class Decode {
  readonly errors: string[] = [];
  /** Type errors, reported together as yaml.v3 does (`yaml: unmarshal errors:` and a line each). */
  readonly unmarshal: string[] = [];
  constructor(
    private readonly lc: LineCounter,
    private readonly ignoreUnknown: boolean,
  ) {}

  pos(n: YamlNode | null | undefined): string | undefined {
    if (!n?.range) return undefined;
    const p = this.lc.linePos(n.range[0]);
    return `${p.line}:${p.col}`;
  }
  line(n: YamlNode | null | undefined): number {
    return n?.range ? this.lc.linePos(n.range[0]).line : 0;
  }
  typeError(n: YamlNode | null | undefined, msg: string): void {
    this.unmarshal.push(`line ${this.line(n)}: ${msg}`);
  }
  pairs(m: YAMLMap, type: string, known: readonly string[]): Map<string, Pair<YamlNode, YamlNode | null>> {
    const out = new Map<string, Pair<YamlNode, YamlNode | null>>();
    for (const p of m.items as Array<Pair<YamlNode, YamlNode | null>>) {
      const k = isScalar(p.key) ? String(p.key.value) : '';
      if (!known.includes(k)) {
        if (!this.ignoreUnknown) this.typeError(p.key, `field ${k} not found in type ${type}`);
        continue;
      }
      out.set(k, p);
    }
    return out;
  }
  /** A scalar as Go's yaml.v3 decodes it into a string: the text of any scalar. */
  str(n: YamlNode | null | undefined): string | undefined {
    if (n === null || n === undefined) return '';
    if (!isScalar(n)) {
      this.typeError(n, `cannot unmarshal ${isSeq(n) ? '!!seq' : '!!map'} into string`);
      return undefined;
    }
    if (n.value === null) return '';
    return n.type === 'PLAIN' && typeof n.source === 'string' ? n.source : String(n.value);
  }
  duration(n: YamlNode | null | undefined): number | undefined {
    const s = this.str(n);
    if (s === undefined || s === '') return undefined;
    const ms = tryParseDuration(s);
    if (ms === undefined) {
      this.errors.push(`${this.pos(n) ?? '0:0'}: not a valid duration string: ${JSON.stringify(s)}`);
      return undefined;
    }
    return ms;
  }
  int(n: YamlNode | null | undefined): number | undefined {
    if (n === null || n === undefined) return undefined;
    if (!isScalar(n) || typeof n.value !== 'number' || !Number.isInteger(n.value)) {
      this.typeError(n, `cannot unmarshal ${isScalar(n) ? `!!str \`${String(n.value)}\`` : isSeq(n) ? '!!seq' : '!!map'} into int`);
      return undefined;
    }
    return n.value;
  }
  strMap(n: YamlNode | null | undefined, positions: Record<string, string>): Record<string, string> | undefined {
    if (n === null || n === undefined || (isScalar(n) && n.value === null)) return undefined;
    if (!isMap(n)) {
      this.typeError(n, `cannot unmarshal ${isSeq(n) ? '!!seq' : '!!str'} into map[string]string`);
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const p of n.items as Array<Pair<YamlNode, YamlNode | null>>) {
      const k = this.str(p.key);
      const v = this.str(p.value);
      if (k === undefined || v === undefined) continue;
      if (Object.hasOwn(out, k)) this.errors.push(`${this.pos(p.key) ?? '0:0'}: mapping key ${JSON.stringify(k)} already defined`);
      out[k] = v;
      const at = this.pos(p.value ?? p.key);
      if (at) positions[k] = at;
    }
    return out;
  }
}

const GROUP_FIELDS = ['name', 'interval', 'query_offset', 'limit', 'rules', 'labels'] as const;
const RULE_FIELDS = ['record', 'alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'] as const;

/** Parses one rule file's text. `file` names it in messages and becomes each group's `file`. */
export function parseRuleFile(text: string, file: string, opts: RuleFileOptions): RuleFileResult {
  const lc = new LineCounter();
  const doc = parseYamlDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  const warnings: string[] = [];
  if (doc.errors.length > 0) {
    return {
      groups: [],
      warnings,
      errors: doc.errors.map((e) => {
        const p = e.pos?.[0] !== undefined ? lc.linePos(e.pos[0]) : undefined;
        return `${file}: ${p ? `${p.line}:${p.col}: ` : ''}yaml: ${e.message.split('\n')[0] ?? e.message}`;
      }),
    };
  }
  if (/^---\s*$/m.test(text.replace(/^---\s*\n/, ''))) warnings.push(`${file}: multiple document yaml rules files are not supported, only the first document is processed`);
  const d = new Decode(lc, opts.ignoreUnknownFields ?? false);
  const groups: GroupSpec[] = [];
  const positions: Positions = { group: [], rules: [], groupLabels: [] };
  const root = doc.contents as YamlNode | null;
  if (root !== null && !(isScalar(root) && root.value === null)) {
    if (!isMap(root)) d.typeError(root, 'cannot unmarshal !!seq into rulefmt.RuleGroups');
    else {
      const top = d.pairs(root, 'rulefmt.RuleGroups', ['groups']);
      const gs = top.get('groups')?.value;
      if (gs && !isSeq(gs) && !(isScalar(gs) && gs.value === null)) d.typeError(gs, 'cannot unmarshal !!map into []rulefmt.RuleGroup');
      if (isSeq(gs)) {
        for (const gn of gs.items as YamlNode[]) {
          if (!isMap(gn)) {
            d.typeError(gn, 'cannot unmarshal !!str into rulefmt.RuleGroup');
            continue;
          }
          const f = d.pairs(gn, 'rulefmt.RuleGroup', GROUP_FIELDS);
          const glabelPos: Record<string, string> = {};
          const rulePos: Positions['rules'][number] = [];
          const rules: RuleSpec[] = [];
          const rn = f.get('rules')?.value;
          if (rn && !isSeq(rn) && !(isScalar(rn) && rn.value === null)) d.typeError(rn, 'cannot unmarshal !!map into []rulefmt.Rule');
          for (const r of isSeq(rn) ? (rn.items as YamlNode[]) : []) {
            if (!isMap(r)) {
              d.typeError(r, 'cannot unmarshal !!str into rulefmt.Rule');
              continue;
            }
            const rf = d.pairs(r, 'rulefmt.Rule', RULE_FIELDS);
            const labelPos: Record<string, string> = {};
            const annPos: Record<string, string> = {};
            const get = (k: (typeof RULE_FIELDS)[number]) => rf.get(k)?.value;
            const spec: Record<string, unknown> = { expr: d.str(get('expr')) ?? '' };
            const record = d.str(get('record'));
            const alert = d.str(get('alert'));
            if (record) spec['record'] = record;
            if (alert) spec['alert'] = alert;
            const hold = d.duration(get('for'));
            if (hold) spec['for'] = hold;
            const keep = d.duration(get('keep_firing_for'));
            if (keep) spec['keepFiringFor'] = keep;
            const labels = d.strMap(get('labels'), labelPos);
            if (labels) spec['labels'] = labels;
            const annotations = d.strMap(get('annotations'), annPos);
            if (annotations) spec['annotations'] = annotations;
            rules.push(spec as unknown as RuleSpec);
            const p: Positions['rules'][number][number] = { labels: labelPos, annotations: annPos };
            for (const k of ['record', 'alert', 'expr'] as const) {
              const at = d.pos(get(k));
              if (at) p[k] = at;
            }
            rulePos.push(p);
          }
          const g: Record<string, unknown> = { name: d.str(f.get('name')?.value) ?? '', file, rules };
          const interval = d.duration(f.get('interval')?.value);
          if (interval) g['interval'] = interval;
          const offsetNode = f.get('query_offset')?.value;
          if (offsetNode) {
            const off = d.duration(offsetNode);
            if (off !== undefined) g['queryOffset'] = off;
          }
          const limit = d.int(f.get('limit')?.value);
          if (limit) g['limit'] = limit;
          const gl = d.strMap(f.get('labels')?.value, glabelPos);
          if (gl) g['labels'] = gl;
          groups.push(g as unknown as GroupSpec);
          positions.group.push(d.pos(gn));
          positions.rules.push(rulePos);
          positions.groupLabels.push(glabelPos);
        }
      }
    }
  }
  if (d.unmarshal.length > 0) d.errors.unshift(`yaml: unmarshal errors:\n  ${d.unmarshal.join('\n  ')}`);
  if (d.errors.length > 0) return { groups: [], warnings, errors: d.errors.map((e) => `${file}: ${e}`) };
  const issues = validateGroups(groups, opts.parseExpr);
  return { groups: issues.length ? [] : groups, warnings, errors: issues.map((i) => `${file}: ${formatIssue(i, issuePositions(i, positions))}`) };
}

/** Prometheus prints `line:col: ` of the field an issue is about (both `record` and `alert` when it is about the pair). */
function issuePositions(i: SpecIssue, p: Positions): string {
  if (i.rule === undefined) return i.field === 'group' ? `${p.group[i.groupIndex] ?? '0:0'}: ` : '';
  const r = p.rules[i.groupIndex]?.[i.rule - 1];
  switch (i.field) {
    case 'record+alert':
      return `${r?.record ?? '0:0'}: ${r?.alert ?? '0:0'}: `;
    case 'record':
    case 'alert':
    case 'expr':
      return `${r?.[i.field] ?? '0:0'}: `;
    case 'label': {
      const at = i.key !== undefined ? r?.labels?.[i.key] : undefined;
      return at ? `${at}: ` : '';
    }
    case 'annotation': {
      const at = i.key !== undefined ? r?.annotations?.[i.key] : undefined;
      return at ? `${at}: ` : '';
    }
    default:
      return '';
  }
}

export function readRuleFile(path: string, opts: RuleFileOptions): RuleFileResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EISDIR' ? 'is a directory' : (err.code ?? err.message);
    return { groups: [], warnings: [], errors: [`${path}: open ${path}: ${why}`] };
  }
  return parseRuleFile(text, path, opts);
}

/**
 * Loads every file the patterns (paths or globs, relative to `baseDir`) match, in pattern
 * order, each file once. Group names must be unique within a file, not across files.
 */
export function loadRuleFiles(patterns: readonly string[], baseDir: string, opts: RuleFileOptions): RuleFileResult & { readonly files: string[] } {
  const { files, errors: globErrors } = expandGlobs(patterns, baseDir);
  const groups: GroupSpec[] = [];
  const errors: string[] = [...globErrors];
  const warnings: string[] = [];
  for (const f of files) {
    const r = readRuleFile(f, opts);
    pushAll(groups, r.groups);
    pushAll(errors, r.errors);
    pushAll(warnings, r.warnings);
  }
  return { files, groups: errors.length ? [] : groups, errors, warnings };
}

import { AlertTemplateError, compileAlertTemplate } from './alert-template.js';
import type { ParseExprFn } from './types.js';

/**
 * Rule groups as plain objects: what a rule file's `groups:` holds (Prometheus's rulefmt), and
 * what other modules (SLOs) generate. Durations are milliseconds.
 */
export interface RuleSpec {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly for?: number;
  readonly keepFiringFor?: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface GroupSpec {
  readonly name: string;
  /** Where the group comes from: a rule file's path, or a name such as `slo/checkout` for generated groups. */
  readonly file: string;
  /** Evaluation interval; absent: the configured default (`rules.evaluation_interval`). */
  readonly interval?: number;
  readonly queryOffset?: number;
  /** Most series a recording rule, or alerts an alerting rule, may produce (0: no limit). */
  readonly limit?: number;
  /** Labels added to every rule of the group (a rule's own labels win). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly rules: readonly RuleSpec[];
}

/** Which part of a rule file an issue is about, so a loader can point at its line and column. */
export type IssueField = 'group' | 'record' | 'alert' | 'record+alert' | 'expr' | 'label' | 'annotation' | 'group-label';

/** A problem in a group, in Prometheus's terms (rulefmt.Error). `rule` is 1-based. */
export interface SpecIssue {
  readonly groupIndex: number;
  readonly group: string;
  readonly rule?: number;
  readonly ruleName?: string;
  readonly field: IssueField;
  /** The label or annotation name, for `label`/`annotation` issues. */
  readonly key?: string;
  readonly message: string;
}

function isValidUTF8Name(n: string): boolean {
  // Prometheus 3 validates names as UTF-8 (any non-empty valid string); JS strings from YAML are
  // valid except for lone surrogates.
  return n.length > 0 && !/[\uD800-\uDFFF]/.test(n.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));
}

function isValidValue(v: string): boolean {
  return !/[\uD800-\uDFFF]/.test(v.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));
}

/**
 * Validates groups as Prometheus's rulefmt does, plus Vigil's template check: every message
 * Prometheus would give, and templates parsed (an unknown function or a syntax error is a load
 * error). Groups are numbered in `groups` order; names must be unique within one `file`.
 */
export function validateGroups(groups: readonly GroupSpec[], parseExpr: ParseExprFn): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const seen = new Set<string>();
  groups.forEach((g, gi) => {
    const base = { groupIndex: gi, group: g.name };
    if (g.name === '') issues.push({ ...base, field: 'group', message: 'Groupname must not be empty' });
    const key = `${g.file}\u0000${g.name}`;
    if (seen.has(key)) issues.push({ ...base, field: 'group', message: `groupname: "${g.name}" is repeated in the same file` });
    seen.add(key);
    for (const [k, v] of Object.entries(g.labels ?? {})) {
      if (!isValidUTF8Name(k) || k === '__name__') issues.push({ ...base, field: 'group-label', key: k, message: `invalid label name: ${k}` });
      if (!isValidValue(v)) issues.push({ ...base, field: 'group-label', key: k, message: `invalid label value: ${v}` });
    }
    g.rules.forEach((r, ri) => {
      const at = { ...base, rule: ri + 1, ruleName: r.alert || r.record || '' };
      const add = (field: IssueField, message: string, k?: string) => issues.push({ ...at, field, message, ...(k !== undefined ? { key: k } : {}) });
      if (r.record && r.alert) add('record+alert', "only one of 'record' and 'alert' must be set");
      if (!r.record && !r.alert) add('record+alert', "one of 'record' or 'alert' must be set");
      if (!r.expr) add('expr', "field 'expr' must be set in rule");
      else {
        try {
          parseExpr(r.expr);
        } catch (e) {
          add('expr', `could not parse expression: ${(e as Error).message}`);
        }
      }
      if (r.record) {
        if (Object.keys(r.annotations ?? {}).length > 0) add('record', "invalid field 'annotations' in recording rule");
        if (r.for) add('record', "invalid field 'for' in recording rule");
        if (r.keepFiringFor) add('record', "invalid field 'keep_firing_for' in recording rule");
        if (!isValidUTF8Name(r.record)) add('record', `invalid recording rule name: ${r.record}`);
        if (r.record.includes('{') || r.record.includes('}')) add('record', `braces present in the recording rule name; should it be in expr?: ${r.record}`);
      }
      for (const [k, v] of Object.entries(r.labels ?? {})) {
        if (!isValidUTF8Name(k) || k === '__name__') add('label', `invalid label name: ${k}`, k);
        if (!isValidValue(v)) add('label', `invalid label value: ${v}`, k);
      }
      for (const k of Object.keys(r.annotations ?? {})) if (!isValidUTF8Name(k)) add('annotation', `invalid annotation name: ${k}`, k);
      if (r.alert) {
        const check = (field: 'label' | 'annotation', k: string, text: string) => {
          try {
            compileAlertTemplate(r.alert as string, text);
          } catch (e) {
            if (e instanceof AlertTemplateError) add(field, `${field} ${JSON.stringify(k)}: ${e.message}`, k);
            else throw e;
          }
        };
        for (const [k, v] of Object.entries(r.labels ?? {})) check('label', k, v);
        for (const [k, v] of Object.entries(r.annotations ?? {})) check('annotation', k, v);
      }
    });
  });
  return issues;
}

/** Prometheus's wording for an issue, with the `line:col: ` prefix(es) a loader found for it. */
export function formatIssue(i: SpecIssue, positions = ''): string {
  if (i.rule === undefined) return `${positions}${i.message}`;
  return `${positions}group ${JSON.stringify(i.group)}, rule ${i.rule}, ${JSON.stringify(i.ruleName ?? '')}: ${i.message}`;
}

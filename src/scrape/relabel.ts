import { createHash } from 'node:crypto';
import type { RE2JS } from 're2js';
import { z } from 'zod';
import { isValidLabelName, type Labels } from '../model/labels.js';
import { compileRegex } from '../model/matcher.js';

/**
 * Prometheus relabeling (model/relabel): each rule reads the values of `source_labels`
 * joined by `separator`, matches them against a fully anchored RE2 `regex` and rewrites the
 * label set. A rule list runs in order; keep/drop end it for a dropped set.
 */
export const relabelActions = [
  'replace',
  'keep',
  'drop',
  'keepequal',
  'dropequal',
  'hashmod',
  'labelmap',
  'labeldrop',
  'labelkeep',
  'lowercase',
  'uppercase',
] as const;
export type RelabelAction = (typeof relabelActions)[number];

/** A target label may use $1 / ${name} templates for replace (as Prometheus's relabelTarget allows). */
const TARGET_LABEL = /^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$/;
const DEFAULT_REGEX = '(.*)';

const relabelInput = z.strictObject({
  source_labels: z.array(z.string().refine(isValidLabelName, { message: 'invalid label name' })).optional(),
  separator: z.string().default(';'),
  regex: z.string().default(DEFAULT_REGEX),
  target_label: z.string().optional(),
  replacement: z.string().default('$1'),
  modulus: z.int().min(1).optional(),
  action: z
    .string()
    .default('replace')
    .transform((a) => a.toLowerCase())
    .pipe(z.enum(relabelActions, { error: `action must be one of ${relabelActions.join(', ')}` })),
});

export interface RelabelConfig {
  readonly sourceLabels: readonly string[];
  readonly separator: string;
  readonly regex: RE2JS;
  readonly regexSource: string;
  readonly targetLabel: string;
  readonly replacement: string;
  readonly modulus: number;
  readonly action: RelabelAction;
}

/** One relabel_configs entry, validated as Prometheus validates it and compiled once at load. */
export const relabelConfigSchema = relabelInput.transform((c, ctx): RelabelConfig => {
  const fail = (message: string, path: string): never => {
    ctx.addIssue({ code: 'custom', message, path: [path] });
    return z.NEVER as never;
  };
  let regex: RE2JS;
  try {
    regex = compileRegex(c.regex);
  } catch (e) {
    return fail((e as Error).message, 'regex');
  }
  const target = c.target_label;
  const needsTarget = ['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal'];
  if (needsTarget.includes(c.action) && !target) return fail(`relabel action ${c.action} requires target_label`, 'target_label');
  if (target !== undefined) {
    const ok = c.action === 'replace' ? TARGET_LABEL.test(target) : isValidLabelName(target);
    if (!ok) return fail(`${JSON.stringify(target)} is an invalid target_label for ${c.action} action`, 'target_label');
  }
  if (c.action === 'hashmod' && c.modulus === undefined) return fail('relabel action hashmod requires a modulus', 'modulus');
  if (['labeldrop', 'labelkeep'].includes(c.action)) {
    const clean =
      c.source_labels === undefined &&
      target === undefined &&
      c.modulus === undefined &&
      c.separator === ';' &&
      c.replacement === '$1';
    if (!clean) return fail(`${c.action} action requires only regex, and no other fields`, 'action');
  }
  if (['keepequal', 'dropequal'].includes(c.action) && c.regex !== DEFAULT_REGEX) {
    return fail(`${c.action} action requires only source_labels and target_label, and no other fields`, 'regex');
  }
  return {
    sourceLabels: c.source_labels ?? [],
    separator: c.separator,
    regex,
    regexSource: c.regex,
    targetLabel: target ?? '',
    replacement: c.replacement,
    modulus: c.modulus ?? 0,
    action: c.action,
  };
});
export type RelabelConfigInput = z.input<typeof relabelConfigSchema>;

export const relabelConfigsSchema = z.array(relabelConfigSchema);

/**
 * Go's regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`. A bare `$name` takes the longest
 * run of word characters (so `$1x` names group "1x", which is empty); unknown groups expand to "".
 */
export function expandTemplate(template: string, groups: (ref: string) => string): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i] as string;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = template[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const close = template.indexOf('}', i + 2);
      const name = close < 0 ? '' : template.slice(i + 2, close);
      if (close < 0 || !/^\w+$/.test(name)) {
        out += '$';
        i++;
        continue;
      }
      out += groups(name);
      i = close + 1;
      continue;
    }
    const m = /^\w+/.exec(template.slice(i + 1));
    if (!m) {
      out += '$';
      i++;
      continue;
    }
    out += groups(m[0]);
    i += 1 + m[0].length;
  }
  return out;
}

/** Matches `value` against `re` (anchored); returns a group resolver or undefined on no match. */
function submatch(re: RE2JS, value: string): ((ref: string) => string) | undefined {
  const m = re.matcher(value);
  if (!m.matches()) return undefined;
  const named = re.namedGroups();
  return (ref) => {
    const idx = /^\d+$/.test(ref) ? Number(ref) : named[ref];
    if (idx === undefined || idx > m.groupCount()) return '';
    return m.group(idx) ?? '';
  };
}

/** The last 8 bytes of the MD5 as a big-endian integer, modulo `modulus` (Prometheus's hashmod). */
function hashmod(value: string, modulus: number): string {
  const digest = createHash('md5').update(value).digest();
  return (digest.readBigUInt64BE(8) % BigInt(modulus)).toString();
}

/**
 * Applies `configs` in order. Returns the new label set, or undefined when the set is dropped
 * (by keep/drop, or because no labels remain). Empty values are removed from the result.
 */
export function relabel(labels: Labels, configs: readonly RelabelConfig[]): Labels | undefined {
  const lb: Record<string, string> = { ...labels };
  for (const cfg of configs) {
    if (!relabelOne(lb, cfg)) return undefined;
  }
  for (const k of Object.keys(lb)) if (lb[k] === '') delete lb[k];
  return Object.keys(lb).length === 0 ? undefined : lb;
}

/** Mutates `lb`; false means the label set is dropped. */
function relabelOne(lb: Record<string, string>, cfg: RelabelConfig): boolean {
  const val = cfg.sourceLabels.map((n) => lb[n] ?? '').join(cfg.separator);
  switch (cfg.action) {
    case 'drop':
      return !cfg.regex.matches(val);
    case 'keep':
      return cfg.regex.matches(val);
    case 'dropequal':
      return (lb[cfg.targetLabel] ?? '') !== val;
    case 'keepequal':
      return (lb[cfg.targetLabel] ?? '') === val;
    case 'replace': {
      const groups = submatch(cfg.regex, val);
      if (!groups) return true;
      const target = expandTemplate(cfg.targetLabel, groups);
      if (!isValidLabelName(target)) return true;
      const res = expandTemplate(cfg.replacement, groups);
      if (res === '') delete lb[target];
      else lb[target] = res;
      return true;
    }
    case 'lowercase':
      lb[cfg.targetLabel] = val.toLowerCase();
      return true;
    case 'uppercase':
      lb[cfg.targetLabel] = val.toUpperCase();
      return true;
    case 'hashmod':
      lb[cfg.targetLabel] = hashmod(val, cfg.modulus);
      return true;
    case 'labelmap': {
      for (const name of Object.keys(lb)) {
        const groups = submatch(cfg.regex, name);
        if (groups) lb[expandTemplate(cfg.replacement, groups)] = lb[name] as string;
      }
      return true;
    }
    case 'labeldrop':
      for (const name of Object.keys(lb)) if (cfg.regex.matches(name)) delete lb[name];
      return true;
    case 'labelkeep':
      for (const name of Object.keys(lb)) if (!cfg.regex.matches(name)) delete lb[name];
      return true;
    default: {
      const never: never = cfg.action;
      throw new Error(`unknown relabel action ${String(never)}`);
    }
  }
}

import { secretProblems } from './common/secrets.js';
import type { SecretReader } from './common/secrets.js';
import { REDACTED } from './common/secrets.js';
import type { TemplateEngine } from './common/templates.js';
import type { ReceiverConfig } from './config.js';
import { GLOBAL_SECRETS } from './global.js';
import type { GlobalConfig } from './global.js';
import { NOTIFIER_KEYS, specOf } from './registry.js';

export interface ReceiverIssue {
  /** From the top of the config file: ['receivers', 2, 'email_configs', 0, 'smarthost']. */
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

/** Every string in a config entry that holds a template, with its path. */
function templateStrings(value: unknown, path: Array<string | number>, out: Array<{ path: Array<string | number>; text: string }>): void {
  if (typeof value === 'string') {
    if (value.includes('{{')) out.push({ path, text: value });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => templateStrings(v, [...path, i], out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) templateStrings(v, [...path, k], out);
  }
}

/**
 * What makes receivers unusable once `global` is applied: a key neither the entry nor
 * `global` sets (no SMTP smarthost), and templates that do not parse (defaults included).
 * Alertmanager refuses to load such a config; so does Vigil.
 */
export function receiverProblems(receivers: readonly ReceiverConfig[], global: GlobalConfig, templates: TemplateEngine): ReceiverIssue[] {
  const issues: ReceiverIssue[] = [];
  receivers.forEach((r, ri) => {
    for (const key of NOTIFIER_KEYS) {
      const spec = specOf(key);
      ((r[key] ?? []) as readonly unknown[]).forEach((raw, ci) => {
        const base = ['receivers', ri, key, ci];
        const { config, problems } = spec.applyGlobal ? spec.applyGlobal(raw, global) : { config: raw, problems: [] };
        for (const p of problems) issues.push({ path: [...base, ...p.path], message: p.message });
        const found: Array<{ path: Array<string | number>; text: string }> = [];
        templateStrings(config, [], found);
        for (const t of found) {
          const why = templates.check(t.text);
          if (why) issues.push({ path: [...base, ...t.path], message: `bad template: ${why}` });
        }
      });
    }
  });
  return issues;
}

/**
 * Secrets given as `_file` or `_env` that cannot be read now: warnings for startup and
 * `vigil check-config` (Alertmanager loads such a config; the file may appear later).
 */
export function secretWarnings(receivers: readonly ReceiverConfig[], global: GlobalConfig, reader: SecretReader): string[] {
  const out: string[] = [];
  const check = (where: string, obj: unknown, paths: readonly string[]): void => {
    for (const path of paths) {
      const parts = path.split('.');
      const key = parts.pop() as string;
      let holder: unknown = obj;
      for (const p of parts) holder = holder && typeof holder === 'object' ? (holder as Record<string, unknown>)[p] : undefined;
      if (!holder || typeof holder !== 'object') continue;
      for (const problem of secretProblems(holder, [key], reader)) out.push(`${where}${parts.length ? `.${parts.join('.')}` : ''}.${problem}`);
    }
  };
  check('global', global, GLOBAL_SECRETS);
  receivers.forEach((r, ri) => {
    for (const key of NOTIFIER_KEYS) {
      const spec = specOf(key);
      ((r[key] ?? []) as readonly unknown[]).forEach((c, ci) => check(`receivers[${ri}].${key}[${ci}]`, c, spec.secrets));
    }
  });
  return out;
}

function redactPaths<T>(value: T, paths: readonly string[]): T {
  const copy = structuredClone(value) as Record<string, unknown>;
  for (const path of paths) {
    const parts = path.split('.');
    const key = parts.pop() as string;
    let holder: unknown = copy;
    for (const p of parts) holder = holder && typeof holder === 'object' ? (holder as Record<string, unknown>)[p] : undefined;
    if (holder && typeof holder === 'object' && typeof (holder as Record<string, unknown>)[key] === 'string') {
      (holder as Record<string, unknown>)[key] = REDACTED;
    }
  }
  return copy as T;
}

/** Receivers as the config API shows them: every inline secret replaced by `<secret>`. */
export function redactReceivers(receivers: readonly ReceiverConfig[]): ReceiverConfig[] {
  return receivers.map((r) => {
    const out: Record<string, unknown> = { ...r };
    for (const key of NOTIFIER_KEYS) {
      const list = r[key] as readonly unknown[] | undefined;
      if (list) out[key] = list.map((c) => redactPaths(c, specOf(key).secrets));
    }
    return out as ReceiverConfig;
  });
}

export function redactGlobal(global: GlobalConfig): GlobalConfig {
  return redactPaths(global, GLOBAL_SECRETS);
}

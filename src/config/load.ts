import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter } from 'yaml';
import { parseYamlDocument } from './yaml-parse.js';
import type { z } from 'zod';
import { baseConfigSchema, crossCheck, withDefaults, type VigilConfig } from './schema.js';
import { unsupportedAlertmanagerKey } from './am-unsupported.js';
import { dropGoNulls } from './go-nulls.js';
import { loadTemplates } from './templates.js';
import { guardDocument, MAX_CONFIG_ALIASES, MAX_CONFIG_DEPTH } from './yaml-guard.js';

/** On failure, `raw` is the parsed file (when it parsed as YAML), for checks that can still run on it. */
export type LoadResult = { ok: true; config: VigilConfig } | { ok: false; errors: string[]; raw?: unknown };

/** `checks[1].interval` from a zod path. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}

function issueMessages(issue: z.core.$ZodIssue): string[] {
  const where = formatPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => `${formatPath([...issue.path, k])}: ${unsupportedAlertmanagerKey(issue.path, k) ?? 'unknown key (check the spelling; see docs/configuration.md)'}`);
    case 'invalid_union': {
      // A discriminated union with no matching `type`: say which types exist.
      if (issue.errors.length === 0) return [`${where}: ${issue.message}`];
      return [`${where}: ${issue.message}`];
    }
    default:
      return [`${where}: ${issue.message}`];
  }
}

/**
 * Validates already-parsed YAML/JSON. Every problem is reported, each with its path. Relative
 * paths in the file (templates) are resolved against `baseDir`, the file's directory.
 */
export function validateConfig(raw: unknown, baseDir = process.cwd()): LoadResult {
  const input = dropGoNulls(raw ?? {});
  if (typeof input !== 'object' || Array.isArray(input)) return { ok: false, errors: ['(top level): expected a mapping of sections (server, checks, route, …)'] };
  const r = baseConfigSchema.safeParse(input);
  const cross = crossCheck(input as Record<string, unknown>, baseDir).map((i) => `${formatPath(i.path)}: ${i.message}`);
  if (r.success && cross.length === 0) return { ok: true, config: withDefaults(r.data, loadTemplates(r.data.templates, baseDir).files) };
  return { ok: false, errors: [...(r.success ? [] : r.error.issues.flatMap(issueMessages)), ...cross], raw: input };
}

/** Parses YAML text; syntax errors are reported as `file:line:col: message`. */
export function parseConfigText(text: string, source = 'vigil.yml', baseDir = process.cwd()): LoadResult {
  const lineCounter = new LineCounter();
  const doc = parseYamlDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const pos = e.pos?.[0] !== undefined ? lineCounter.linePos(e.pos[0]) : undefined;
        let msg = e.message.split('\n')[0] ?? e.message;
        // The YAML library recurses per level and reports its own stack overflow as a syntax error.
        if (/Maximum call stack size exceeded/.test(msg)) msg = `nested too deeply for the YAML parser (at most ${MAX_CONFIG_DEPTH} levels are allowed)`;
        else msg = msg.replace(/ at line \d+, column \d+:?$/, '');
        return `${source}${pos ? `:${pos.line}:${pos.col}` : ''}: ${msg}`;
      }),
    };
  }
  const unsafe = guardDocument(doc, lineCounter, source);
  if (unsafe) return { ok: false, errors: [unsafe] };
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_CONFIG_ALIASES });
  } catch (e) {
    return { ok: false, errors: [`${source}: ${(e as Error).message}`] };
  }
  return validateConfig(raw, baseDir);
}

export function loadConfigFile(path: string): LoadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { ok: false, errors: [`${path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`] };
  }
  return parseConfigText(text, path, dirname(resolve(path)));
}

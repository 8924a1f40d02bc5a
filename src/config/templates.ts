import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { goTemplates, type TemplateEngine, type TemplateFile } from '../notify/index.js';
import { expandGlobs } from './glob.js';

export interface LoadedTemplates {
  readonly files: TemplateFile[];
  readonly engine: TemplateEngine;
  /** `templates[0]: …` problems: a bad glob, an unreadable file, a template that does not parse. */
  readonly issues: Array<{ path: Array<string | number>; message: string }>;
}

/**
 * `templates:` as Alertmanager reads it: paths or globs (relative to the config file's
 * directory) of Go template files whose `define`s notifications may use. Files are read here,
 * at load, so a reload picks up edits and a bad file is a config error naming line and column.
 */
export function loadTemplates(patterns: readonly string[], baseDir: string): LoadedTemplates {
  const issues: LoadedTemplates['issues'] = [];
  const files: TemplateFile[] = [];
  patterns.forEach((pattern, i) => {
    const { files: paths, errors } = expandGlobs([pattern], baseDir);
    for (const e of errors) issues.push({ path: ['templates', i], message: e });
    for (const p of paths) {
      try {
        files.push({ name: relative(baseDir, p) || p, text: readFileSync(p, 'utf8') });
      } catch (e) {
        issues.push({ path: ['templates', i], message: `${p}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      }
    }
  });
  try {
    return { files, engine: goTemplates(files), issues };
  } catch (e) {
    // The message names the file, line and column (`template: alerts.tmpl:3:14: …`).
    issues.push({ path: ['templates'], message: (e as Error).message });
    return { files: [], engine: goTemplates([]), issues };
  }
}

import { DEFAULT_LIMITS, GoHTML, Template, TemplateExecError, TemplateParseError, sprintV, type GoValue } from '../../template/index.js';
import { DEFAULT_TMPL } from './default-tmpl.js';
import { emailHTML } from './email-html.js';
import { goData } from './go-data.js';
import { ALERTMANAGER_FUNCS, type RenderContext } from './go-funcs.js';
import { escapeData, htmlEscape, slackBlocks } from './html.js';
import type { TemplateData } from './template-data.js';
import { TemplateError, type TemplateEngine } from './templates.js';

/** A user template file (Alertmanager's `templates:`), already read. */
export interface TemplateFile {
  readonly name: string;
  readonly text: string;
}

/** Notifications are bigger than rule annotations: an email for hundreds of alerts. */
const LIMITS = { ...DEFAULT_LIMITS, maxOutputBytes: 16 << 20 };
const CACHE_LIMIT = 1000;

/**
 * Notification templates on the shared Go text/template engine (src/template): Vigil's
 * default.tmpl, then the user's files in order (a later `define` overrides an earlier one and
 * the defaults, so overriding `__subject` changes every default title), then each config
 * field's text parsed against that set. `html` escapes every printed value as html/template
 * does in text context (`safeHtml` values pass as they are).
 *
 * Throws TemplateParseError (with file, line and column) when a file does not parse.
 */
export function goTemplates(files: readonly TemplateFile[] = [], opts: { readonly now?: () => number } = {}): TemplateEngine {
  let set = Template.parse('default.tmpl', DEFAULT_TMPL, ALERTMANAGER_FUNCS, LIMITS);
  for (const f of files) set = Template.parse(f.name, f.text, ALERTMANAGER_FUNCS, LIMITS, set);
  const base = set;
  const compiled = new Map<string, Template | TemplateError>();
  const converted = new WeakMap<TemplateData, GoValue>();
  const now = opts.now ?? Date.now;

  const compile = (text: string): Template | TemplateError => {
    let t = compiled.get(text);
    if (!t) {
      try {
        t = Template.parse('notification', text, ALERTMANAGER_FUNCS, LIMITS, base);
      } catch (err) {
        t = new TemplateError(err instanceof Error ? err.message : String(err));
      }
      if (compiled.size >= CACHE_LIMIT) compiled.clear();
      compiled.set(text, t);
    }
    return t;
  };

  const render = (text: string, d: TemplateData, html: boolean): string => {
    const t = compile(text);
    if (t instanceof TemplateError) throw t;
    let data = converted.get(d);
    if (!data) {
      data = goData(d);
      converted.set(d, data);
    }
    const plain = (name: string): string => render(`{{ template "${name}" . }}`, d, false);
    const ctx: RenderContext = {
      now: now(),
      vigil: {
        // Built from escaped values in html mode, so the result is printed as it is.
        emailHTML: () => new GoHTML(emailHTML(html ? escapeData(d) : d, maybeEscape(plain('__subject'), html), maybeEscape(plain('__alertmanagerURL'), html))),
        slackBlocks: () => slackBlocks(d, plain('__subject_short'), plain('__alertmanagerURL'), plain('__vigil_summaries')),
      },
    };
    try {
      const out = t.execute(data, ctx, html ? { escape: escapeValue } : {});
      if (typeof out !== 'string') throw new TemplateError('asynchronous functions are not available in notification templates');
      return out;
    } catch (err) {
      if (err instanceof TemplateExecError || err instanceof TemplateError) throw new TemplateError(err.message);
      throw err;
    }
  };

  return {
    check: (text) => {
      const t = compile(text);
      return t instanceof TemplateError ? t.message : undefined;
    },
    text: (text, d) => render(text, d, false),
    html: (text, d) => render(text, d, true),
  };
}

function escapeValue(v: GoValue): string {
  return v instanceof GoHTML ? v.s : htmlEscape(sprintV(v));
}

function maybeEscape(s: string, html: boolean): string {
  return html ? htmlEscape(s) : s;
}

export { TemplateParseError };

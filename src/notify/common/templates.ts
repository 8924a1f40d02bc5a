import type { TemplateData } from './template-data.js';

/**
 * The seam between notifiers and the template engine. Notifier configs hold Go template text
 * as Alertmanager's do (`title: '{{ template "slack.default.title" . }}'`); a notifier renders
 * each field through this interface and never sees the engine. `text` is text/template,
 * `html` is html/template (values escaped for HTML). Both throw TemplateError on a bad
 * template or a failed execution, with a message naming where.
 */
export interface TemplateEngine {
  /** Parse-checks a template text at config load: undefined if fine, else why not. */
  check(text: string): string | undefined;
  text(text: string, data: TemplateData): string;
  html(text: string, data: TemplateData): string;
}

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

/** Renders many fields of one notification, remembering the first failure (Alertmanager's TmplText). */
export class Renderer {
  private failure: TemplateError | undefined;

  constructor(
    private readonly engine: TemplateEngine,
    readonly data: TemplateData,
  ) {}

  /** The rendered text, or '' after a failure (check `error` once at the end). */
  text = (text: string | undefined, field?: string): string => this.run('text', text, field);
  html = (text: string | undefined, field?: string): string => this.run('html', text, field);

  get error(): TemplateError | undefined {
    return this.failure;
  }

  private run(mode: 'text' | 'html', text: string | undefined, field: string | undefined): string {
    if (this.failure || text === undefined || text === '') return '';
    if (!text.includes('{{')) return text;
    try {
      return this.engine[mode](text, this.data);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      this.failure = new TemplateError(field ? `template ${field}: ${why}` : why);
      return '';
    }
  }
}

/**
 * A copy of a YAML value with every string (keys too) rendered: Alertmanager's
 * DeepCopyWithTemplate, used for PagerDuty's and Opsgenie's free-form details.
 */
export function renderDeep(value: unknown, r: Renderer, field: string): unknown {
  if (typeof value === 'string') return r.text(value, field);
  if (Array.isArray(value)) return value.map((v, i) => renderDeep(v, r, `${field}[${i}]`));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[r.text(k, field)] = renderDeep(v, r, `${field}.${k}`);
    return out;
  }
  return value;
}

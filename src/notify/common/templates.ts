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

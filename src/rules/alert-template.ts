import { GoMap, GoStruct, Template, TemplateParseError, type GoValue } from '../template/index.js';
import { PROMETHEUS_FUNCS, type ExpandContext } from './template-funcs.js';
import type { Labels } from '../model/labels.js';

/**
 * The templates of an alerting rule's labels and annotations, compiled once at load. Prometheus
 * prepends these definitions to every template; doing the same keeps `$labels`, `$value`,
 * `$externalLabels` and `$externalURL` and the column numbers of execution errors identical.
 */
const DEFS = '{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}';

const DATA_TYPE = 'struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value interface {} }';

/** A template that failed to parse, with the line and column in the text as written. */
export class AlertTemplateError extends Error {
  override name = 'AlertTemplateError';
  constructor(
    readonly templateName: string,
    readonly line: number,
    readonly col: number,
    readonly detail: string,
  ) {
    super(`template: ${templateName}:${line}:${col}: ${detail}`);
  }
}

export type CompiledText = string | Template;

/** Compiles one label or annotation value; plain text (no `{{`) stays a string. Throws AlertTemplateError. */
export function compileAlertTemplate(ruleName: string, text: string): CompiledText {
  if (!text.includes('{{')) return text;
  const name = `__alert_${ruleName}`;
  try {
    return Template.parse(name, DEFS + text, PROMETHEUS_FUNCS);
  } catch (e) {
    if (e instanceof TemplateParseError) {
      throw new AlertTemplateError(name, e.line, e.line === 1 ? Math.max(1, e.col - DEFS.length) : e.col, e.detail);
    }
    throw e;
  }
}

export interface AlertData {
  readonly labels: Labels;
  readonly externalLabels: GoMap;
  readonly externalURL: string;
  readonly value: number;
}

export function externalLabelsMap(l: Labels): GoMap {
  return GoMap.ofStrings(l);
}

function data(d: AlertData): GoValue {
  return new GoStruct(
    DATA_TYPE,
    new Map<string, GoValue>([
      ['Labels', GoMap.ofStrings(d.labels)],
      ['ExternalLabels', d.externalLabels],
      ['ExternalURL', d.externalURL],
      ['Value', d.value],
    ]),
  );
}

/**
 * Expands a compiled text. A failure becomes Prometheus's `<error expanding template: …>` text and
 * is reported through `onError`: an evaluation never fails because of a template.
 */
export function expandAlertText(t: CompiledText, d: AlertData, ctx: ExpandContext, onError: (err: Error) => void): string | Promise<string> {
  if (typeof t === 'string') return t;
  const fail = (e: unknown): string => {
    onError(e as Error);
    return `<error expanding template: error executing template ${t.tree.name}: ${(e as Error).message}>`;
  };
  try {
    const r = t.execute(data(d), ctx);
    return typeof r === 'string' ? r : r.catch(fail);
  } catch (e) {
    return fail(e);
  }
}

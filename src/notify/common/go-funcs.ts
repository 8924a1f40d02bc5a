import {
  GoDuration,
  GoHTML,
  GoMap,
  GoSlice,
  GoTime,
  formatGoTime,
  goMatchString,
  goReplaceAll,
  humanizeDuration,
  Int,
  sprintV,
  titleCase,
  typeName,
  type GoValue,
  type TemplateFunc,
} from '../../template/index.js';
import { toJSONValue } from './go-data.js';

/** What functions see of one rendering: the clock (for now/since) and the data (for Vigil's builders). */
export interface RenderContext {
  readonly now: number;
  readonly vigil: Readonly<Record<string, () => GoValue>>;
}

const ctxOf = (c: unknown): RenderContext => c as RenderContext;
const str1 = (f: (s: string) => GoValue): TemplateFunc => ({ params: ['string'], fn: ([s]) => f(s as string) });

function stringList(v: GoValue, what: string): string[] {
  if (!(v instanceof GoSlice)) throw new Error(`wrong type for value; expected []string; got ${typeName(v)} (${what})`);
  return v.items.map((x) => sprintV(x));
}

function timeArg(v: GoValue): GoTime {
  if (!(v instanceof GoTime)) throw new Error(`wrong type for value; expected time.Time; got ${typeName(v)}`);
  return v;
}

function toFloat(v: GoValue): number {
  if (typeof v === 'number') return v;
  if (v instanceof Int) return v.v;
  if (v instanceof GoDuration) return v.ns / 1e9;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new Error(`can't convert ${typeName(v)} to float`);
}

/** Go's url.QueryUnescape. */
function queryUnescape(s: string): string {
  if (/%(?![0-9a-fA-F]{2})/.test(s)) throw new Error(`invalid URL escape ${JSON.stringify(/%.{0,2}/.exec(s.slice(s.search(/%(?![0-9a-fA-F]{2})/)))?.[0] ?? '%')}`);
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

/**
 * Alertmanager's template functions (template.DefaultFuncs) beside text/template's own:
 * toUpper, toLower, title, trimSpace, join, match, safeHtml, safeUrl, urlUnescape,
 * reReplaceAll, stringSlice, date, now, since, humanizeDuration, toJson, base64encode,
 * base64decode, list, append, dict. Regular expressions are RE2 (Go's syntax). `tz`,
 * `toDate` and `mustToDate` are not implemented: a template using them fails to load with
 * `function "tz" not defined`.
 */
export const ALERTMANAGER_FUNCS: ReadonlyMap<string, TemplateFunc> = new Map<string, TemplateFunc>([
  ['toUpper', str1((s) => s.toUpperCase())],
  ['toLower', str1((s) => s.toLowerCase())],
  // cases.Title without NoLower: the rest of each word is lowered.
  ['title', str1((s) => titleCase(s.toLowerCase()))],
  ['trimSpace', str1((s) => s.trim())],
  ['join', { params: ['string', 'any'], fn: ([sep, list]) => stringList(list ?? null, 'join').join(sep as string) }],
  ['match', { params: ['string', 'string'], fn: ([p, s]) => goMatchString(p as string, s as string) }],
  ['safeHtml', str1((s) => new GoHTML(s))],
  ['safeUrl', str1((s) => new GoHTML(s))],
  ['urlUnescape', str1(queryUnescape)],
  ['reReplaceAll', { params: ['string', 'string', 'string'], fn: ([p, r, t]) => goReplaceAll(p as string, r as string, t as string) }],
  ['stringSlice', { params: [], variadic: 'string', fn: (args) => new GoSlice(args, '[]string') }],
  ['date', { params: ['string', 'any'], fn: ([layout, t]) => formatGoTime(timeArg(t ?? null), layout as string) }],
  ['now', { params: [], fn: (_a, c) => new GoTime(ctxOf(c).now) }],
  ['since', { params: ['any'], fn: ([t], c) => new GoDuration((ctxOf(c).now - timeArg(t ?? null).ms) * 1e6) }],
  ['humanizeDuration', { params: ['any'], fn: ([v]) => humanizeDuration(toFloat(v ?? null)) }],
  ['toJson', { params: ['any'], fn: ([v]) => JSON.stringify(toJSONValue(v ?? null)) ?? 'null' }],
  ['base64encode', str1((s) => Buffer.from(s, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_'))],
  [
    'base64decode',
    str1((s) => {
      if (!/^[A-Za-z0-9_-]*={0,2}$/.test(s) || s.replace(/=+$/, '').length % 4 === 1) throw new Error('illegal base64 data');
      return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    }),
  ],
  ['list', { params: [], variadic: 'any', fn: (args) => new GoSlice(args) }],
  ['append', { params: ['any'], variadic: 'any', fn: ([list, ...rest]) => new GoSlice([...(list instanceof GoSlice ? list.items : []), ...rest]) }],
  [
    'dict',
    {
      params: [],
      variadic: 'any',
      fn: (args) => {
        if (args.length % 2 !== 0) throw new Error('dict requires an even number of arguments');
        const m = new Map<string, GoValue>();
        for (let i = 0; i < args.length; i += 2) {
          const k = args[i];
          if (typeof k !== 'string') throw new Error('dict keys must be strings');
          m.set(k, args[i + 1] ?? null);
        }
        return new GoMap(m, 'map[string]interface {}', null);
      },
    },
  ],
  // Vigil: the default email HTML and Slack Block Kit message, built from the notification.
  ['vigilEmailHTML', { params: [], fn: (_a, c) => (ctxOf(c).vigil.emailHTML as () => GoValue)() }],
  ['vigilSlackBlocks', { params: [], fn: (_a, c) => (ctxOf(c).vigil.slackBlocks as () => GoValue)() }],
]);

import {
  GoDuration,
  GoHTML,
  GoMap,
  GoSlice,
  GoStruct,
  GoTime,
  Int,
  formatFloat,
  parseGoFloat,
  queryEscape,
  goMatchString,
  goReplaceAll,
  humanize,
  humanize1024,
  humanizeDuration,
  titleCase,
  timeString,
  typeName,
  type GoValue,
  type NamedType,
  type TemplateFunc,
} from '../template/index.js';
import { parseDuration as parseModelDuration } from '../model/duration.js';
import type { QueryFn } from './types.js';

/** What a template's functions see of the evaluation that expands it. */
export interface ExpandContext {
  /** Absent when only checking a template (no query can run). */
  readonly query?: QueryFn;
  /** The evaluation time (ms): `query` runs at it and `now` returns it. */
  readonly time: number;
  /** The server's external URL (`externalURL`, `pathPrefix`). */
  readonly externalURL?: URL;
  readonly signal?: AbortSignal;
}

const queryResultType: NamedType = { name: 'template.queryResult', accepts: (v) => v instanceof GoSlice && v.typeName === 'template.queryResult' };
const sampleType: NamedType = { name: '*template.sample', accepts: (v) => v === null || (v instanceof GoStruct && v.typeName === 'template.sample') };

function sample(labels: Readonly<Record<string, string>>, value: number): GoStruct {
  return new GoStruct('template.sample', new Map<string, GoValue>([['Labels', GoMap.ofStrings(labels)], ['Value', value]]), true);
}

function sampleField(s: GoValue, name: 'Labels' | 'Value'): GoValue {
  if (!(s instanceof GoStruct)) throw new Error('runtime error: invalid memory address or nil pointer dereference');
  return s.fields.get(name) ?? null;
}

/** common/helpers/templates.ConvertToFloat. */
export function convertToFloat(v: GoValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return parseGoFloat(v);
  if (v instanceof Int) return v.v;
  if (v instanceof GoDuration) return v.ns / 1e9;
  throw new Error(`can't convert ${typeName(v)} to float`);
}

const g4 = (v: number): string => formatFloat(v, 'g', 4);

/** FloatToTime: seconds to a UTC time; NaN/Inf and values past int64 nanoseconds are errors. */
function floatToTime(v: number): GoTime {
  if (!Number.isFinite(v)) throw new Error('value is NaN or Inf');
  const ns = v * 1e9;
  if (ns > 9.223372036854776e18 || ns < -9.223372036854776e18) throw new Error(`${formatFloat(v, 'g', -1)} cannot be represented as a nanoseconds timestamp since it overflows int64`);
  const nsInt = BigInt(Math.trunc(ns));
  const ms = nsInt / 1_000_000n;
  let sub = Number(nsInt - ms * 1_000_000n);
  let msN = Number(ms);
  if (sub < 0) {
    sub += 1_000_000;
    msN -= 1;
  }
  return new GoTime(msN, sub);
}

function splitHostPort(hostPort: string): { host: string; port: string } | undefined {
  if (hostPort.startsWith('[')) {
    const m = /^\[([^\]]*)\]:([^:]*)$/.exec(hostPort);
    return m ? { host: m[1] as string, port: m[2] as string } : undefined;
  }
  const i = hostPort.lastIndexOf(':');
  if (i < 0) return undefined;
  const host = hostPort.slice(0, i);
  if (host.includes(':')) return undefined;
  return { host, port: hostPort.slice(i + 1) };
}

function isIP(s: string): boolean {
  return /^(\d{1,3})(\.\d{1,3}){3}$/.test(s) || (s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s));
}

function graphLink(expr: string, tab: number): string {
  return `/graph?g0.expr=${queryEscape(expr)}&g0.tab=${tab}`;
}

function ctxOf(c: unknown): ExpandContext {
  return c as ExpandContext;
}

const str1 = (f: (s: string) => GoValue): TemplateFunc => ({ params: ['string'], fn: ([s]) => f(s as string) });
const num1 = (f: (v: number) => GoValue): TemplateFunc => ({ params: ['any'], fn: ([v]) => f(convertToFloat(v ?? null)) });

/** Prometheus's template functions (template/template.go), by name. */
export const PROMETHEUS_FUNCS: ReadonlyMap<string, TemplateFunc> = new Map<string, TemplateFunc>([
  [
    'query',
    {
      params: ['string'],
      async: true,
      fn: async ([q], c) => {
        const ctx = ctxOf(c);
        if (!ctx.query) throw new Error('query is not available here');
        const res = await ctx.query(q as string, ctx.time, ctx.signal);
        return new GoSlice(
          res.map((s) => sample(s.labels, s.v)),
          'template.queryResult',
        );
      },
    },
  ],
  [
    'first',
    {
      params: [queryResultType],
      fn: ([v]) => {
        const items = (v as GoSlice).items;
        if (items.length === 0) throw new Error('first() called on vector with no elements');
        return items[0] ?? null;
      },
    },
  ],
  ['label', { params: ['string', sampleType], fn: ([l, s]) => (sampleField(s ?? null, 'Labels') as GoMap).entries.get(l as string) ?? '' }],
  ['value', { params: [sampleType], fn: ([s]) => sampleField(s ?? null, 'Value') }],
  ['strvalue', { params: [sampleType], fn: ([s]) => (sampleField(s ?? null, 'Labels') as GoMap).entries.get('__value__') ?? '' }],
  [
    'args',
    {
      params: [],
      variadic: 'any',
      fn: (args) => new GoMap(new Map(args.map((a, i) => [`arg${i}`, a])), 'map[string]interface {}', null),
    },
  ],
  ['reReplaceAll', { params: ['string', 'string', 'string'], fn: ([p, r, t]) => goReplaceAll(p as string, r as string, t as string) }],
  ['safeHtml', str1((s) => new GoHTML(s))],
  ['match', { params: ['string', 'string'], fn: ([p, s]) => goMatchString(p as string, s as string) }],
  ['title', str1(titleCase)],
  ['toUpper', str1((s) => s.toUpperCase())],
  ['toLower', str1((s) => s.toLowerCase())],
  ['graphLink', str1((s) => graphLink(s, 0))],
  ['tableLink', str1((s) => graphLink(s, 1))],
  [
    'sortByLabel',
    {
      params: ['string', queryResultType],
      fn: ([label, v]) => {
        const items = [...(v as GoSlice).items];
        const key = (x: GoValue) => ((sampleField(x, 'Labels') as GoMap).entries.get(label as string) ?? '') as string;
        items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
        return new GoSlice(items, 'template.queryResult');
      },
    },
  ],
  ['stripPort', str1((hp) => splitHostPort(hp)?.host ?? hp)],
  [
    'stripDomain',
    str1((hp) => {
      const sp = splitHostPort(hp);
      const host = sp?.host ?? hp;
      if (isIP(host)) return hp;
      const short = host.split('.')[0] ?? '';
      if (sp && sp.port !== '') return short.includes(':') ? `[${short}]:${sp.port}` : `${short}:${sp.port}`;
      return short;
    }),
  ],
  ['humanize', num1(humanize)],
  ['humanize1024', num1(humanize1024)],
  ['humanizeDuration', num1(humanizeDuration)],
  ['humanizePercentage', num1((v) => `${g4(v * 100)}%`)],
  [
    'humanizeTimestamp',
    num1((v) => {
      if (!Number.isFinite(v)) return g4(v);
      return timeString(floatToTime(v));
    }),
  ],
  ['toTime', num1(floatToTime)],
  ['toDuration', num1((v) => new GoDuration(Math.trunc(v * 1e9)))],
  ['now', { params: [], fn: (_a, c) => ctxOf(c).time / 1000 }],
  [
    'pathPrefix',
    {
      params: [],
      fn: (_a, c) => {
        const u = ctxOf(c).externalURL;
        if (!u) throw new Error('runtime error: invalid memory address or nil pointer dereference');
        return u.pathname.replace(/\/+$/, '');
      },
    },
  ],
  [
    'externalURL',
    {
      params: [],
      fn: (_a, c) => {
        const u = ctxOf(c).externalURL;
        if (!u) throw new Error('runtime error: invalid memory address or nil pointer dereference');
        return goURLString(u);
      },
    },
  ],
  [
    'parseDuration',
    str1((d) => {
      const neg = d.startsWith('-');
      let ms: number;
      try {
        ms = parseModelDuration(neg ? d.slice(1) : d);
      } catch {
        throw new Error(`not a valid duration string: ${JSON.stringify(d)}`);
      }
      return (neg ? -ms : ms) / 1000;
    }),
  ],
  ['urlQueryEscape', str1(queryEscape)],
]);

/** What Prometheus's external URL prints as: its path without a trailing slash (`http://host:9090`). */
export function goURLString(u: URL): string {
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}${u.search}${u.hash}`;
}

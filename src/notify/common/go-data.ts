import { GoMap, GoSlice, GoStruct, GoTime, Int, sprintV, typeName, type GoValue, type ValueMethod } from '../../template/index.js';
import type { Alert, KV, TemplateData } from './template-data.js';

/**
 * Template data as the Go template engine sees it: Alertmanager's types with their names and
 * methods (template.Data, template.KV with SortedPairs/Names/Values/Remove/String,
 * template.Alerts with Firing/Resolved, template.Pairs, template.Strings with Join), plus
 * Vigil's links. Go's zero time (0001-01-01) stands for an unset time.
 */
const GO_ZERO_MS = Date.parse('0001-01-01T00:00:00Z');

const time = (ms: number): GoTime => new GoTime(ms === 0 ? GO_ZERO_MS : ms);

function method0(name: string, f: () => GoValue): ValueMethod {
  return (args, fail) => (args.length === 0 ? f() : fail(`wrong number of args for ${name}: want 0 got ${args.length}`));
}

function strings(items: readonly string[]): GoSlice {
  return new GoSlice(items, 'template.Strings', new Map([['Join', (args, fail) => (args.length === 1 && typeof args[0] === 'string' ? items.join(args[0]) : fail(`wrong number of args or type for Join: want (string)`))]]));
}

function pairs(list: ReadonlyArray<readonly [string, string]>): GoSlice {
  const items = list.map(([n, v]) => new GoStruct('template.Pair', new Map<string, GoValue>([['Name', n], ['Value', v]])));
  return new GoSlice(
    items,
    'template.Pairs',
    new Map([
      ['Names', method0('Names', () => strings(list.map(([n]) => n)))],
      ['Values', method0('Values', () => strings(list.map(([, v]) => v)))],
      ['String', method0('String', () => list.map(([n, v]) => `${n}=${v}`).join(', '))],
    ]),
  );
}

/** A label set as template.KV. */
export function goKV(kv: KV | Readonly<Record<string, string>>): GoMap {
  const rec: Record<string, string> = {};
  for (const k of Object.keys(kv)) rec[k] = String((kv as Record<string, unknown>)[k]);
  const sorted = (): Array<[string, string]> => {
    const keys = Object.keys(rec).sort();
    const i = keys.indexOf('alertname');
    if (i > 0) {
      keys.splice(i, 1);
      keys.unshift('alertname');
    }
    return keys.map((k) => [k, rec[k] as string]);
  };
  const methods = new Map<string, ValueMethod>([
    ['SortedPairs', method0('SortedPairs', () => pairs(sorted()))],
    ['Names', method0('Names', () => strings(sorted().map(([k]) => k)))],
    ['Values', method0('Values', () => strings(sorted().map(([, v]) => v)))],
    ['String', method0('String', () => sorted().map(([k, v]) => `${k}=${v}`).join(', '))],
    [
      'Remove',
      (args, fail) => {
        const list = args[0];
        if (args.length !== 1 || !(list instanceof GoSlice)) return fail(`wrong type for value; expected []string; got ${args[0] === undefined ? 'nothing' : typeName(args[0])}`);
        const drop = new Set(list.items.map((x) => sprintV(x)));
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(rec)) if (!drop.has(k)) out[k] = v;
        return goKV(out);
      },
    ],
  ]);
  return new GoMap(new Map(Object.entries(rec)), 'template.KV', '', methods);
}

function goAlert(a: Alert): GoStruct {
  return new GoStruct(
    'template.Alert',
    new Map<string, GoValue>([
      ['Status', a.Status],
      ['Labels', goKV(a.Labels)],
      ['Annotations', goKV(a.Annotations)],
      ['StartsAt', time(a.StartsAt.ms)],
      ['EndsAt', time(a.EndsAt.ms)],
      ['GeneratorURL', a.GeneratorURL],
      ['Fingerprint', a.Fingerprint],
    ]),
  );
}

/** `[]template.Alert`, what Firing and Resolved return (no methods, as in Alertmanager). */
const alertSlice = (as: readonly Alert[]): GoSlice => new GoSlice(as.map(goAlert), '[]template.Alert');

export function goData(d: TemplateData): GoStruct {
  const alerts = new GoSlice(
    d.Alerts.map(goAlert),
    'template.Alerts',
    new Map([
      ['Firing', method0('Firing', () => alertSlice(d.Alerts.Firing()))],
      ['Resolved', method0('Resolved', () => alertSlice(d.Alerts.Resolved()))],
    ]),
  );
  return new GoStruct(
    'template.Data',
    new Map<string, GoValue>([
      ['Receiver', d.Receiver],
      ['Status', d.Status],
      ['Alerts', alerts],
      ['GroupLabels', goKV(d.GroupLabels)],
      ['CommonLabels', goKV(d.CommonLabels)],
      ['CommonAnnotations', goKV(d.CommonAnnotations)],
      ['RouteLabels', goKV({})],
      ['ExternalURL', d.ExternalURL],
      ['GroupKey', d.GroupKey],
      ['Links', new GoSlice(d.Links.map((l) => new GoStruct('template.Link', new Map<string, GoValue>([['Rel', l.Rel], ['Text', l.Text], ['URL', l.URL]]))), '[]template.Link')],
      ['IncidentURL', d.IncidentURL],
      ['AckURL', d.AckURL],
      ['ResolveURL', d.ResolveURL],
      ['Acknowledged', d.Acknowledged],
    ]),
    true,
  );
}

/** JSON field names of Alertmanager's types (their `json:` tags). */
const JSON_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'template.Alert': { Status: 'status', Labels: 'labels', Annotations: 'annotations', StartsAt: 'startsAt', EndsAt: 'endsAt', GeneratorURL: 'generatorURL', Fingerprint: 'fingerprint' },
  'template.Data': { Receiver: 'receiver', Status: 'status', Alerts: 'alerts', GroupLabels: 'groupLabels', CommonLabels: 'commonLabels', CommonAnnotations: 'commonAnnotations', ExternalURL: 'externalURL' },
};

/** A value as Go's encoding/json writes it (`toJson`); times in RFC 3339 with nanoseconds trimmed. */
export function toJSONValue(v: GoValue): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Int) return v.v;
  if (v instanceof GoTime) return new Date(v.ms).toISOString().replace(/\.(\d*?)0*Z$/, (_m, f: string) => (f ? `.${f}Z` : 'Z'));
  if (v instanceof GoMap) {
    const out: Record<string, unknown> = {};
    for (const k of v.sortedKeys()) out[k] = toJSONValue(v.entries.get(k) ?? null);
    return out;
  }
  if (v instanceof GoSlice) return v.items.map(toJSONValue);
  if (v instanceof GoStruct) {
    const names = JSON_NAMES[v.typeName];
    const out: Record<string, unknown> = {};
    for (const [k, x] of v.fields) {
      if (names && !(k in names)) continue;
      out[names?.[k] ?? k] = toJSONValue(x);
    }
    return out;
  }
  return sprintV(v);
}

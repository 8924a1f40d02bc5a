import { IANAZone } from 'luxon';
import { isValidLabelName } from '../model/labels.js';
import { MIN_WINDOW_MS } from './config.js';
import { WINDOW_VAR } from './promql-text.js';
import { DEFAULT_ALERT_NAME, type CalendarUnit, type SliSpec, type SloSpec, type SloWindow } from './spec.js';

/**
 * OpenSLO v1 (https://github.com/OpenSLO/OpenSLO) read into SLO specs: `kind: SLO` with an
 * inline `indicator` or an `indicatorRef` to a `kind: SLI` of the same set of files, whose
 * `ratioMetric` (good/bad and total) or `thresholdMetric` queries are PromQL. `Service` and
 * `DataSource` documents are read for references; alert policies are not (every SLO gets the
 * burn-rate alerts), which a warning says.
 */
export interface OpenSloDocument {
  /** `file.yaml` or `file.yaml (document 2)`, for messages. */
  readonly where: string;
  readonly doc: unknown;
}

export interface OpenSloOptions {
  /**
   * Turns a query over counters into one over their per-second rates, with `{{.window}}` as the
   * range (`sum(http_requests_total)` → `sum(rate(http_requests_total[{{.window}}]))`); throws
   * on bad PromQL. For `counter: true` queries written without `{{.window}}`.
   */
  readonly rateOfCounters: (query: string) => string;
}

export interface OpenSloResult {
  readonly slos: SloSpec[];
  readonly errors: string[];
  readonly warnings: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

class Problems {
  constructor(
    readonly errors: string[],
    readonly where: string,
  ) {}
  add(path: string, message: string): undefined {
    this.errors.push(`${this.where}: ${path}: ${message}`);
    return undefined;
  }
}

const UNIT: Record<string, CalendarUnit> = { d: 'day', w: 'week', M: 'month', Q: 'quarter', Y: 'year' };
const MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

function shorthand(v: unknown): { n: number; unit: string } | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+)([mhdwMQY])$/.exec(v);
  return m ? { n: Number(m[1]), unit: m[2] as string } : undefined;
}

function timeWindow(spec: Obj, p: Problems): SloWindow | undefined {
  const tw = spec['timeWindow'];
  if (tw === undefined) return { kind: 'rolling', ms: 30 * 86_400_000 };
  if (!Array.isArray(tw) || tw.length !== 1 || !isObj(tw[0])) return p.add('spec.timeWindow', 'must be a list of exactly one time window');
  const w = tw[0];
  const d = shorthand(w['duration']);
  if (!d || d.n <= 0) return p.add('spec.timeWindow[0].duration', `expected a duration like 28d, 4w or 1M, got ${JSON.stringify(w['duration'])}`);
  const calendar = w['calendar'];
  const rolling = w['isRolling'] === true || (w['isRolling'] === undefined && calendar === undefined);
  if (rolling) {
    const f = MS[d.unit];
    if (f === undefined) return p.add('spec.timeWindow[0].duration', `a rolling window must be in minutes, hours, days or weeks (${d.n}${d.unit} has no fixed length)`);
    if (d.n * f < MIN_WINDOW_MS) return p.add('spec.timeWindow[0].duration', 'must be at least 5m');
    return { kind: 'rolling', ms: d.n * f };
  }
  const unit = UNIT[d.unit];
  if (!unit) return p.add('spec.timeWindow[0].duration', `a calendar window must be in days, weeks, months, quarters or years, got ${d.n}${d.unit}`);
  const c = isObj(calendar) ? calendar : {};
  const zone = typeof c['timeZone'] === 'string' ? c['timeZone'] : 'UTC';
  if (!IANAZone.isValidZone(zone)) return p.add('spec.timeWindow[0].calendar.timeZone', `unknown time zone ${JSON.stringify(zone)}`);
  let anchor: string | undefined;
  if (c['startTime'] !== undefined) {
    const s = String(c['startTime']).trim().replace(' ', 'T');
    if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/.test(s)) return p.add('spec.timeWindow[0].calendar.startTime', `expected a date and time like 2020-01-21 12:30:00 (no zone), got ${JSON.stringify(c['startTime'])}`);
    anchor = s;
  }
  return { kind: 'calendar', unit, count: d.n, zone, ...(anchor ? { anchor } : {}) };
}

/** The PromQL of a metricSource: `spec.query` (or `spec.promql`), if its type is Prometheus. */
function sourceQuery(m: unknown, path: string, p: Problems, sources: Map<string, string>): string | undefined {
  if (!isObj(m) || !isObj(m['metricSource'])) return p.add(path, 'expected metricSource');
  const ms = m['metricSource'];
  const ref = typeof ms['metricSourceRef'] === 'string' ? ms['metricSourceRef'] : undefined;
  const type = typeof ms['type'] === 'string' ? ms['type'] : ref !== undefined ? sources.get(ref) : undefined;
  if (ref !== undefined && type === undefined && !sources.has(ref)) return p.add(`${path}.metricSource.metricSourceRef`, `no DataSource named ${JSON.stringify(ref)} in the SLO files`);
  if (type !== undefined && type.toLowerCase() !== 'prometheus') return p.add(`${path}.metricSource.type`, `Vigil reads Prometheus queries only, not ${type}`);
  const spec = isObj(ms['spec']) ? ms['spec'] : {};
  const q = spec['query'] ?? spec['promql'];
  if (typeof q !== 'string' || q.trim() === '') return p.add(`${path}.metricSource.spec.query`, 'expected a PromQL query');
  return q.trim();
}

/** A query as a `{{.window}}` template: as written when it has one, else its counters' rates. */
function template(q: string, counter: boolean, path: string, p: Problems, opts: OpenSloOptions): string | undefined {
  if (q.match(WINDOW_VAR)) return q;
  if (!counter) return p.add(path, 'a query over gauges (counter: false) must say where the range goes with {{.window}}, e.g. sum(sum_over_time(good[{{.window}}]))');
  try {
    return opts.rateOfCounters(q);
  } catch (e) {
    return p.add(path, `not valid PromQL: ${(e as Error).message}`);
  }
}

const OPS: Record<string, string> = { lte: '<=', gte: '>=', lt: '<', gt: '>' };

function indicator(sliSpec: Obj, objective: Obj, method: string, path: string, p: Problems, sources: Map<string, string>, opts: OpenSloOptions): SliSpec | undefined {
  const slice = (): number | undefined => {
    const v = objective['timeSliceWindow'];
    if (typeof v === 'number' && v > 0) return v * 60_000;
    const d = shorthand(v);
    const f = d ? MS[d.unit] : undefined;
    if (!d || f === undefined || d.n <= 0) return p.add('timeSliceWindow', `expected a duration like 1m or 5m (or minutes as a number), got ${JSON.stringify(v)}`);
    return d.n * f;
  };
  if (isObj(sliSpec['ratioMetric'])) {
    const r = sliSpec['ratioMetric'];
    const at = `${path}.ratioMetric`;
    if (r['raw'] !== undefined) return p.add(`${at}.raw`, 'precomputed ratios (raw) are not supported: give good or bad events and total');
    const counter = r['counter'] !== false;
    const hasGood = r['good'] !== undefined;
    if (hasGood === (r['bad'] !== undefined)) return p.add(at, 'give exactly one of good and bad, with total');
    const num = sourceQuery(hasGood ? r['good'] : r['bad'], `${at}.${hasGood ? 'good' : 'bad'}`, p, sources);
    const den = sourceQuery(r['total'], `${at}.total`, p, sources);
    if (num === undefined || den === undefined) return undefined;
    const n = template(num, counter, `${at}.${hasGood ? 'good' : 'bad'}`, p, opts);
    const t = template(den, counter, `${at}.total`, p, opts);
    if (n === undefined || t === undefined) return undefined;
    if (method === 'Occurrences') return { kind: 'events', totalQuery: t, ...(hasGood ? { goodQuery: n } : { errorQuery: n }) };
    const sliceMs = slice();
    if (sliceMs === undefined) return undefined;
    const goodRatio = hasGood ? `(${n}) / (${t})` : `1 - (${n}) / (${t})`;
    if (method === 'RatioTimeslices') return { kind: 'timeslices', good: goodRatio, sliceMs };
    const target = objective['timeSliceTarget'];
    if (typeof target !== 'number' || !(target > 0 && target <= 1)) return p.add('timeSliceTarget', 'Timeslices needs a timeSliceTarget in (0, 1]');
    return { kind: 'timeslices', good: `(${goodRatio}) >= bool ${target}`, sliceMs };
  }
  if (isObj(sliSpec['thresholdMetric'])) {
    const q = sourceQuery(sliSpec['thresholdMetric'], `${path}.thresholdMetric`, p, sources);
    const op = OPS[String(objective['op'])];
    if (!op) return p.add('op', 'a thresholdMetric objective needs op: lte, gte, lt or gt');
    if (typeof objective['value'] !== 'number') return p.add('value', 'a thresholdMetric objective needs a numeric value');
    if (q === undefined) return undefined;
    // Occurrences of a threshold metric: each minute's value is one occurrence.
    const sliceMs = method === 'Occurrences' ? 60_000 : slice();
    if (sliceMs === undefined) return undefined;
    return { kind: 'timeslices', good: `(${q}) ${op} bool ${objective['value']}`, sliceMs };
  }
  return p.add(path, 'expected ratioMetric or thresholdMetric');
}

function labelsOf(meta: Obj): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObj(meta['labels'])) return out;
  for (const [k, v] of Object.entries(meta['labels'])) {
    const name = isValidLabelName(k) ? k : k.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^(\d)/, '_$1');
    out[name] = Array.isArray(v) ? v.map(String).join(',') : String(v);
  }
  return out;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');

/** Reads OpenSLO v1 documents (of every `slo_files:` file together, so references cross files). */
export function readOpenSlo(docs: readonly OpenSloDocument[], opts: OpenSloOptions): OpenSloResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const slis = new Map<string, Obj>();
  const sources = new Map<string, string>();
  const slos: Array<{ where: string; doc: Obj }> = [];
  for (const { where, doc } of docs) {
    if (doc === null || doc === undefined) continue;
    const p = new Problems(errors, where);
    if (!isObj(doc)) {
      p.add('(document)', 'expected an OpenSLO object (apiVersion, kind, metadata, spec)');
      continue;
    }
    if (doc['apiVersion'] !== 'openslo/v1') {
      p.add('apiVersion', `expected openslo/v1, got ${JSON.stringify(doc['apiVersion'])}${String(doc['apiVersion']).includes('alpha') ? ' (convert v1alpha documents to v1)' : ''}`);
      continue;
    }
    const meta = isObj(doc['metadata']) ? doc['metadata'] : {};
    const name = meta['name'];
    if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/.test(name)) {
      p.add('metadata.name', `expected a name of letters, digits and - _ . :, got ${JSON.stringify(name)}`);
      continue;
    }
    const spec = isObj(doc['spec']) ? doc['spec'] : {};
    switch (doc['kind']) {
      case 'SLO':
        slos.push({ where, doc });
        break;
      case 'SLI':
        if (slis.has(name)) p.add('metadata.name', `SLI ${JSON.stringify(name)} is defined twice`);
        slis.set(name, spec);
        break;
      case 'Service':
        // Read for completeness: an SLO's spec.service may name it (or any service Vigil knows).
        break;
      case 'DataSource':
        sources.set(name, typeof spec['type'] === 'string' ? spec['type'] : '');
        break;
      case 'AlertPolicy':
      case 'AlertCondition':
      case 'AlertNotificationTarget':
        warnings.push(`${where}: kind ${doc['kind']} is not read: every SLO gets the multi-window burn-rate alerts (docs/slo.md)`);
        break;
      default:
        p.add('kind', `expected SLO, SLI, Service, DataSource or an alert kind, got ${JSON.stringify(doc['kind'])}`);
    }
  }
  const out: SloSpec[] = [];
  for (const { where, doc } of slos) {
    const meta = doc['metadata'] as Obj;
    const name = meta['name'] as string;
    const spec = isObj(doc['spec']) ? doc['spec'] : {};
    const p = new Problems(errors, `${where} (SLO ${JSON.stringify(name)})`);
    const before = errors.length;
    const service = spec['service'];
    if (typeof service !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/.test(service)) p.add('spec.service', 'expected the name of a service');
    let sliSpec: Obj | undefined;
    let sliPath = 'spec.indicator.spec';
    if (isObj(spec['indicator'])) sliSpec = isObj(spec['indicator']['spec']) ? spec['indicator']['spec'] : undefined;
    else if (typeof spec['indicatorRef'] === 'string') {
      sliSpec = slis.get(spec['indicatorRef']);
      sliPath = `SLI ${JSON.stringify(spec['indicatorRef'])}: spec`;
      if (!sliSpec) p.add('spec.indicatorRef', `no SLI named ${JSON.stringify(spec['indicatorRef'])} in the SLO files`);
    } else p.add('spec', 'give indicator or indicatorRef');
    const method = spec['budgetingMethod'];
    if (method !== 'Occurrences' && method !== 'Timeslices' && method !== 'RatioTimeslices') p.add('spec.budgetingMethod', 'expected Occurrences, Timeslices or RatioTimeslices');
    const window = timeWindow(spec, p);
    const objectives = Array.isArray(spec['objectives']) ? spec['objectives'] : [];
    if (objectives.length === 0) p.add('spec.objectives', 'give at least one objective');
    if (spec['alertPolicies'] !== undefined) warnings.push(`${where} (SLO ${JSON.stringify(name)}): alertPolicies are not read: the SLO gets the multi-window burn-rate alerts (docs/slo.md)`);
    if (errors.length > before || !sliSpec || !window) continue;
    const annotations = isObj(meta['annotations']) ? meta['annotations'] : {};
    objectives.forEach((o: unknown, i: number) => {
      const op = new Problems(errors, `${p.where}: spec.objectives[${i}]`);
      if (!isObj(o)) return op.add('(objective)', 'expected an object');
      if (o['indicator'] !== undefined || o['indicatorRef'] !== undefined) return op.add('indicator', 'composite SLOs are not supported');
      const target = typeof o['targetPercent'] === 'number' ? o['targetPercent'] : typeof o['target'] === 'number' ? o['target'] * 100 : undefined;
      if (target === undefined || !(target > 0 && target < 100)) return op.add('target', 'give target in (0, 1) or targetPercent in (0, 100)');
      const sli = indicator(sliSpec as Obj, o, method as string, sliPath, op, sources, opts);
      if (!sli) return undefined;
      const display = typeof o['displayName'] === 'string' ? o['displayName'] : '';
      const sloName = objectives.length === 1 ? name : `${name}-${slug(display) || i}`;
      out.push({
        name: sloName,
        service: service as string,
        description: [typeof spec['description'] === 'string' ? spec['description'] : typeof meta['displayName'] === 'string' ? meta['displayName'] : '', display].filter(Boolean).join(': '),
        objective: Number(target.toPrecision(12)),
        window,
        sli,
        alerting: { name: DEFAULT_ALERT_NAME, labels: {}, annotations: {}, page: { labels: {}, annotations: {} }, ticket: { labels: {}, annotations: {} } },
        labels: labelsOf(meta),
        excludeMaintenance: String(annotations['vigil/exclude-maintenance']) === 'true',
        source: where,
        spec: 'openslo/v1',
      });
      return undefined;
    });
  }
  return { slos: out, errors, warnings };
}

import { isMap, isScalar, isSeq, LineCounter, type Node as YamlNode, type Pair } from 'yaml';
import { parseYamlDocument } from '../config/index.js';
import { tryParseDuration } from '../model/duration.js';

/**
 * promtool's unit-test file (`promtool test rules`), decoded strictly as promtool does
 * (yaml.UnmarshalStrict): an unknown key or a value of the wrong type is an error naming its
 * line. Durations are ms; `start_timestamp` is ms since the epoch.
 */
export interface UnitTestFile {
  readonly ruleFiles: readonly string[];
  readonly evaluationInterval: number;
  readonly groupEvalOrder: readonly string[];
  readonly tests: readonly TestGroup[];
  readonly fuzzyCompare: boolean;
}

export interface TestGroup {
  readonly interval: number;
  readonly inputSeries: ReadonlyArray<{ readonly series: string; readonly values: string }>;
  readonly alertRuleTests: readonly AlertTestCase[];
  readonly promqlExprTests: readonly PromqlTestCase[];
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly externalURL: string;
  readonly name: string;
  readonly startTimestamp: number | undefined;
}

export interface AlertTestCase {
  readonly evalTime: number;
  readonly alertname: string;
  readonly expAlerts: ReadonlyArray<{ readonly expLabels: Readonly<Record<string, string>> | undefined; readonly expAnnotations: Readonly<Record<string, string>> | undefined }>;
}

export interface PromqlTestCase {
  readonly expr: string;
  readonly evalTime: number;
  readonly expSamples: ReadonlyArray<{ readonly labels: string; readonly value: number; readonly histogram: string }>;
}

type Field = (n: YamlNode | null) => unknown;

class Strict {
  readonly errors: string[] = [];
  constructor(private readonly lc: LineCounter) {}

  private line(n: YamlNode | null | undefined): number {
    return n?.range ? this.lc.linePos(n.range[0]).line : 0;
  }
  fail(n: YamlNode | null | undefined, msg: string): void {
    this.errors.push(`line ${this.line(n)}: ${msg}`);
  }
  isNull(n: YamlNode | null | undefined): boolean {
    return n === null || n === undefined || (isScalar(n) && n.value === null);
  }
  struct(n: YamlNode | null, type: string, fields: Record<string, Field>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.isNull(n)) return out;
    if (!isMap(n)) {
      this.fail(n, `cannot unmarshal ${kind(n)} into ${type}`);
      return out;
    }
    for (const p of n.items as Array<Pair<YamlNode, YamlNode | null>>) {
      const k = isScalar(p.key) ? String(p.key.value) : '';
      const f = fields[k];
      if (!f) {
        this.fail(p.key, `field ${k} not found in type ${type}`);
        continue;
      }
      if (Object.hasOwn(out, k)) this.fail(p.key, `key ${JSON.stringify(k)} already set in map`);
      out[k] = f(p.value);
    }
    return out;
  }
  str = (n: YamlNode | null): string => {
    if (this.isNull(n)) return '';
    if (!isScalar(n)) {
      this.fail(n, `cannot unmarshal ${kind(n)} into string`);
      return '';
    }
    return n.type === 'PLAIN' && typeof n.source === 'string' ? n.source : String(n.value);
  };
  duration = (n: YamlNode | null): number => {
    const s = this.str(n);
    if (s === '') return 0;
    const ms = tryParseDuration(s);
    if (ms === undefined) {
      this.fail(n, `not a valid duration string: ${JSON.stringify(s)}`);
      return 0;
    }
    return ms;
  };
  float = (n: YamlNode | null): number => {
    if (this.isNull(n)) return 0;
    if (isScalar(n) && typeof n.value === 'number') return n.value;
    const s = isScalar(n) ? String(n.value) : '';
    const special: Record<string, number> = { '.inf': Infinity, '+.inf': Infinity, '-.inf': -Infinity, '.nan': NaN };
    if (special[s.toLowerCase()] !== undefined) return special[s.toLowerCase()] as number;
    this.fail(n, `cannot unmarshal ${kind(n)}${isScalar(n) ? ` \`${s}\`` : ''} into float64`);
    return 0;
  };
  bool = (n: YamlNode | null): boolean => {
    if (this.isNull(n)) return false;
    if (isScalar(n) && typeof n.value === 'boolean') return n.value;
    this.fail(n, `cannot unmarshal ${kind(n)} into bool`);
    return false;
  };
  list<T>(item: (n: YamlNode | null) => T, type: string): (n: YamlNode | null) => T[] {
    return (n) => {
      if (this.isNull(n)) return [];
      if (!isSeq(n)) {
        this.fail(n, `cannot unmarshal ${kind(n)} into ${type}`);
        return [];
      }
      return (n.items as Array<YamlNode | null>).map(item);
    };
  }
  strMap = (n: YamlNode | null): Record<string, string> | undefined => {
    if (this.isNull(n)) return undefined;
    if (!isMap(n)) {
      this.fail(n, `cannot unmarshal ${kind(n)} into map[string]string`);
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const p of n.items as Array<Pair<YamlNode, YamlNode | null>>) out[this.str(p.key)] = this.str(p.value);
    return out;
  };
  timestamp = (n: YamlNode | null): number | undefined => {
    const s = this.str(n);
    if (s === '') return undefined;
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
    const t = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) ? Date.parse(s) : NaN;
    if (Number.isNaN(t)) {
      this.fail(n, `cannot parse ${JSON.stringify(s)} to a valid timestamp`);
      return undefined;
    }
    return t;
  };
}

function kind(n: YamlNode | null | undefined): string {
  if (isSeq(n)) return '!!seq';
  if (isMap(n)) return '!!map';
  if (isScalar(n)) return typeof n.value === 'number' ? (Number.isInteger(n.value) ? '!!int' : '!!float') : typeof n.value === 'boolean' ? '!!bool' : '!!str';
  return '!!null';
}

/** Decodes a unit-test file. Throws an Error with promtool-like text when it is not valid. */
export function parseUnitTestFile(text: string): UnitTestFile {
  const lc = new LineCounter();
  const doc = parseYamlDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const p = e?.pos?.[0] !== undefined ? lc.linePos(e.pos[0]) : undefined;
    throw new Error(`yaml: ${p ? `line ${p.line}: ` : ''}${e?.message.split('\n')[0] ?? 'invalid YAML'}`);
  }
  const d = new Strict(lc);
  const sample = (n: YamlNode | null) => {
    const r = d.struct(n, 'main.sample', { labels: d.str, value: d.float, histogram: d.str });
    return { labels: (r['labels'] as string | undefined) ?? '', value: (r['value'] as number | undefined) ?? 0, histogram: (r['histogram'] as string | undefined) ?? '' };
  };
  const promqlCase = (n: YamlNode | null): PromqlTestCase => {
    const r = d.struct(n, 'main.promqlTestCase', { expr: d.str, eval_time: d.duration, exp_samples: d.list(sample, '[]main.sample') });
    return { expr: (r['expr'] as string | undefined) ?? '', evalTime: (r['eval_time'] as number | undefined) ?? 0, expSamples: (r['exp_samples'] as PromqlTestCase['expSamples'] | undefined) ?? [] };
  };
  const alert = (n: YamlNode | null) => {
    const r = d.struct(n, 'main.alert', { exp_labels: d.strMap, exp_annotations: d.strMap });
    return { expLabels: r['exp_labels'] as Record<string, string> | undefined, expAnnotations: r['exp_annotations'] as Record<string, string> | undefined };
  };
  const alertCase = (n: YamlNode | null): AlertTestCase => {
    const r = d.struct(n, 'main.alertTestCase', { eval_time: d.duration, alertname: d.str, exp_alerts: d.list(alert, '[]main.alert') });
    return { evalTime: (r['eval_time'] as number | undefined) ?? 0, alertname: (r['alertname'] as string | undefined) ?? '', expAlerts: (r['exp_alerts'] as AlertTestCase['expAlerts'] | undefined) ?? [] };
  };
  const series = (n: YamlNode | null) => {
    const r = d.struct(n, 'main.series', { series: d.str, values: d.str });
    return { series: (r['series'] as string | undefined) ?? '', values: (r['values'] as string | undefined) ?? '' };
  };
  const group = (n: YamlNode | null): TestGroup => {
    const r = d.struct(n, 'main.testGroup', {
      interval: d.duration,
      input_series: d.list(series, '[]main.series'),
      alert_rule_test: d.list(alertCase, '[]main.alertTestCase'),
      promql_expr_test: d.list(promqlCase, '[]main.promqlTestCase'),
      external_labels: d.strMap,
      external_url: d.str,
      name: d.str,
      start_timestamp: d.timestamp,
    });
    return {
      interval: (r['interval'] as number | undefined) ?? 0,
      inputSeries: (r['input_series'] as TestGroup['inputSeries'] | undefined) ?? [],
      alertRuleTests: (r['alert_rule_test'] as AlertTestCase[] | undefined) ?? [],
      promqlExprTests: (r['promql_expr_test'] as PromqlTestCase[] | undefined) ?? [],
      externalLabels: (r['external_labels'] as Record<string, string> | undefined) ?? {},
      externalURL: (r['external_url'] as string | undefined) ?? '',
      name: (r['name'] as string | undefined) ?? '',
      startTimestamp: r['start_timestamp'] as number | undefined,
    };
  };
  const top = d.struct(doc.contents as YamlNode | null, 'main.unitTestFile', {
    rule_files: d.list(d.str, '[]string'),
    evaluation_interval: d.duration,
    group_eval_order: d.list(d.str, '[]string'),
    tests: d.list(group, '[]main.testGroup'),
    fuzzy_compare: d.bool,
  });
  if (d.errors.length > 0) throw new Error(`yaml: unmarshal errors:\n  ${d.errors.join('\n  ')}`);
  return {
    ruleFiles: (top['rule_files'] as string[] | undefined) ?? [],
    evaluationInterval: (top['evaluation_interval'] as number | undefined) ?? 0,
    groupEvalOrder: (top['group_eval_order'] as string[] | undefined) ?? [],
    tests: (top['tests'] as TestGroup[] | undefined) ?? [],
    fuzzyCompare: (top['fuzzy_compare'] as boolean | undefined) ?? false,
  };
}

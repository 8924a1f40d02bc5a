import { formatFloatV } from './go-float.js';

/**
 * The values a template sees, modelled on the Go types Prometheus hands to text/template:
 * strings, float64 (JS numbers), int (Int), bool, nil (null), maps, slices, structs (the
 * template data and query samples), *time.Time and time.Duration. Go's rules that depend on
 * the type (printing, comparison, `%!d(float64=1.5)`) need the distinction between int and
 * float64, which JS numbers alone lose.
 */
export type GoValue = null | string | number | boolean | Int | GoMap | GoSlice | GoStruct | GoTime | GoDuration | GoHTML;

/** A Go int (template number constants without a fraction, `len`, range indexes). */
export class Int {
  constructor(readonly v: number) {}
}

/** map[string]X. Reading a missing key gives `zero` (the option missingkey=zero Prometheus sets). */
export class GoMap {
  constructor(
    readonly entries: ReadonlyMap<string, GoValue>,
    readonly typeName = 'map[string]string',
    readonly zero: GoValue = '',
    /** Methods of the named map type (Alertmanager's KV.SortedPairs); found before keys, as in Go. */
    readonly methods?: ReadonlyMap<string, ValueMethod>,
  ) {}

  static ofStrings(rec: Readonly<Record<string, string>>): GoMap {
    return new GoMap(new Map(Object.entries(rec)));
  }

  sortedKeys(): string[] {
    return [...this.entries.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

export class GoSlice {
  constructor(
    readonly items: readonly GoValue[],
    readonly typeName = '[]interface {}',
    /** Methods of the named slice type (Alertmanager's Alerts.Firing). */
    readonly methods?: ReadonlyMap<string, ValueMethod>,
  ) {}
}

/** A struct value or a pointer to one (`pointer`): fields by name, printed `{a b}` / `&{a b}`. */
export class GoStruct {
  constructor(
    readonly typeName: string,
    readonly fields: ReadonlyMap<string, GoValue>,
    readonly pointer = false,
    readonly methods?: ReadonlyMap<string, ValueMethod>,
  ) {}
}

/**
 * A method the caller's data type has, as Go's reflection would find it: called with the
 * evaluated arguments; `fail` raises an execution error at the call (wrong arguments).
 */
export type ValueMethod = (args: GoValue[], fail: (msg: string) => never) => GoValue;

/** *time.Time, in UTC, at nanosecond resolution kept as ms + the ns within the ms. */
export class GoTime {
  constructor(
    readonly ms: number,
    readonly subMsNs = 0,
  ) {}
}

export class GoDuration {
  constructor(readonly ns: number) {}
}

/** html/template.HTML (from `safeHtml`): a string type, printed as is in text templates. */
export class GoHTML {
  constructor(readonly s: string) {}
}

export function typeName(v: GoValue): string {
  if (v === null) return '<nil>';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
  }
  if (v instanceof Int) return 'int';
  if (v instanceof GoMap || v instanceof GoSlice) return v.typeName;
  if (v instanceof GoStruct) return v.pointer ? `*${v.typeName}` : v.typeName;
  if (v instanceof GoTime) return '*time.Time';
  if (v instanceof GoDuration) return 'time.Duration';
  return 'template.HTML';
}

/** text/template's truth: false, 0, nil and empty strings, maps and slices are false. */
export function isTrue(v: GoValue): boolean {
  if (v === null) return false;
  switch (typeof v) {
    case 'string':
      return v.length > 0;
    case 'number':
      return v !== 0;
    case 'boolean':
      return v;
  }
  if (v instanceof Int) return v.v !== 0;
  if (v instanceof GoMap) return v.entries.size > 0;
  if (v instanceof GoSlice) return v.items.length > 0;
  if (v instanceof GoDuration) return v.ns !== 0;
  if (v instanceof GoHTML) return v.s.length > 0;
  return true;
}

const MONTHS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'];

/** time.Time.String() in UTC: `2006-01-02 15:04:05.999999999 +0000 UTC`. */
export function timeString(t: GoTime): string {
  const d = new Date(t.ms);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const y = d.getUTCFullYear();
  let frac = '';
  const ns = (((t.ms % 1000) + 1000) % 1000) * 1e6 + t.subMsNs;
  if (ns !== 0) frac = `.${String(ns).padStart(9, '0').replace(/0+$/, '')}`;
  const year = y < 0 ? `-${String(-y).padStart(4, '0')}` : String(y).padStart(4, '0');
  return `${year}-${MONTHS[d.getUTCMonth()]}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}${frac} +0000 UTC`;
}

/** time.Duration.String(): `1h2m3.5s`, `1.5ms`, `0s`. */
export function durationString(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.abs(Math.trunc(ns));
  let out: string;
  if (u < 1e9) {
    const [unit, div] = u < 1e3 ? ['ns', 1] : u < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    out = `${fracString(u, div as number)}${unit}`;
  } else {
    const h = Math.floor(u / 3.6e12);
    u -= h * 3.6e12;
    const m = Math.floor(u / 6e10);
    u -= m * 6e10;
    out = `${fracString(u, 1e9)}s`;
    if (h > 0) out = `${h}h${m}m${out}`;
    else if (m > 0) out = `${m}m${out}`;
  }
  return neg ? `-${out}` : out;
}

function fracString(v: number, div: number): string {
  const whole = Math.floor(v / div);
  const rest = v - whole * div;
  if (rest === 0) return String(whole);
  const width = Math.round(Math.log10(div));
  return `${whole}.${String(rest).padStart(width, '0').replace(/0+$/, '')}`;
}

/** fmt's %v: how `{{ x }}`, `print` and `printf "%v"` show a value. */
export function sprintV(v: GoValue, top = true): string {
  if (v === null) return top ? '<nil>' : '<nil>';
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return formatFloatV(v);
    case 'boolean':
      return v ? 'true' : 'false';
  }
  if (v instanceof Int) return String(v.v);
  if (v instanceof GoMap) return `map[${v.sortedKeys().map((k) => `${k}:${sprintV(v.entries.get(k) ?? null, false)}`).join(' ')}]`;
  if (v instanceof GoSlice) return `[${v.items.map((x) => sprintV(x, false)).join(' ')}]`;
  if (v instanceof GoStruct) return `${v.pointer && top ? '&' : v.pointer ? '0x' : ''}{${[...v.fields.values()].map((x) => sprintV(x, false)).join(' ')}}`;
  if (v instanceof GoTime) return timeString(v);
  if (v instanceof GoDuration) return durationString(v.ns);
  return v.s;
}

/** Values of Go's "basic kinds" that eq/lt compare; anything else is not comparable by order. */
export type BasicKind = 'bool' | 'int' | 'float' | 'string';

export function basicKind(v: GoValue): BasicKind | undefined {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string' || v instanceof GoHTML) return 'string';
  if (v instanceof Int || v instanceof GoDuration) return 'int';
  return undefined;
}

/** The primitive behind a basic value (a Duration compares as its int64 nanoseconds). */
export function primitive(v: GoValue): string | number | boolean {
  if (v instanceof Int) return v.v;
  if (v instanceof GoDuration) return v.ns;
  if (v instanceof GoHTML) return v.s;
  return v as string | number | boolean;
}

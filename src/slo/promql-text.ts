/** Small pieces of PromQL text the SLO compiler writes. */

/** Sloth's `{{.window}}` (spaces allowed inside the braces). */
export const WINDOW_VAR = /\{\{\s*\.window\s*\}\}/g;

/** The query with every `{{.window}}` replaced by a PromQL duration. */
export function withWindow(template: string, window: string): string {
  return template.replace(WINDOW_VAR, window);
}

/** Why a query template cannot be used, or undefined: it must use `{{.window}}` and no other template action. */
export function templateProblem(template: string): string | undefined {
  if (!template.match(WINDOW_VAR)) return 'must contain {{.window}} where the range goes, e.g. rate(http_requests_total[{{.window}}])';
  const other = template.replace(WINDOW_VAR, '').match(/\{\{[^}]*\}\}/);
  if (other) return `only {{.window}} may be used in a query template, found ${other[0]}`;
  return undefined;
}

/** A label value as a PromQL string literal. */
export function quote(value: string): string {
  return JSON.stringify(value);
}

/** `{a="b", c="d"}` from labels, sorted by name (Sloth's metric filter). */
export function labelFilter(labels: Readonly<Record<string, string>>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${quote(labels[k] as string)}`);
  return `{${parts.join(', ')}}`;
}

/** The matchers inside a selector's braces (`{job="api"}` → `job="api"`); undefined when it is not `{…}`. */
export function selectorMatchers(selector: string): string | undefined {
  const s = selector.trim();
  if (s === '') return '';
  if (!s.startsWith('{') || !s.endsWith('}')) return undefined;
  return s.slice(1, -1).trim().replace(/,\s*$/, '');
}

/** Go's strconv.FormatFloat(x, 'g', -1, 64), as Prometheus client libraries write `le`. */
function goG(x: number): string {
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= 6) {
    const [m, e] = x.toExponential().split('e') as [string, string];
    const n = Number(e);
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return String(x);
}

/** The shortest round-tripping digits of a non-negative number as a plain decimal (1e-7 → 0.0000001). */
function plainDecimal(x: number): string {
  const [m, e] = x.toExponential().split('e') as [string, string];
  const digits = m.replace('.', '');
  const point = Number(e) + 1;
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

function escapeRe(s: string): string {
  return s.replace(/[.+*?^$()[\]{}|\\]/g, '\\$&');
}

/**
 * A regular expression matching the ways exporters write the bucket boundary `x` in `le`:
 * `0.5`, `0.50`, `.5`, `1`, `1.0` (OpenMetrics), and the exponent form Go's client writes
 * for very small or large numbers (`1e-05`). PromQL regexes are anchored.
 */
export function leRegex(x: number): string {
  if (x === Infinity) return '\\+Inf';
  const plain = plainDecimal(x);
  const [int, frac = ''] = plain.split('.') as [string, string?];
  const i = int === '0' ? '0*' : `0*${int}`;
  const decimal = frac === '' ? `${i}(\\.0*)?` : `${i}\\.${frac}0*`;
  const g = goG(x);
  const forms = [decimal];
  if (/e/.test(g)) forms.push(escapeRe(g));
  return forms.join('|');
}

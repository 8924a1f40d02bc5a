import { WINDOW_VAR, leRegex, quote, selectorMatchers, templateProblem, withWindow } from './promql-text.js';
import type { SliSpec } from './spec.js';

/**
 * The PromQL an SLI compiles to. `w` is a PromQL duration (`5m`, `30d`, `1d2h3m4s5ms`).
 *
 * - `ratio(w)`: the error ratio over `w`, as the recording rule `slo:sli_error:ratio_rate<w>`
 *   records it (Sloth's form: the user's grouping is kept; nothing when there is no data).
 * - `errorRatio(w)`: the error ratio over `w` as one sample, summed over every series: what the
 *   API reports. Missing bad events count as none (an error query with no 5xx series yet), so
 *   it is empty only when there is no traffic — or, for latency, no bucket at the threshold.
 * - `bad(w)`, `total(w)`: event counts over `w` as one sample each (rates for `unit: rate`:
 *   multiply by the seconds of `w` for a count), to add up pieces of a window.
 * - `goodMissing(w)`: for SLIs whose good events come from a separate selection (a latency
 *   bucket), an expression listing what exists instead, to say why `errorRatio` is empty.
 */
export interface SliQueries {
  readonly unit: 'rate' | 'count';
  ratio(w: string): string;
  errorRatio(w: string): string;
  bad(w: string): string;
  total(w: string): string;
  /** The series whose labels explain an empty errorRatio, and the label to list from them. */
  readonly explain?: { readonly expr: string; readonly label: string };
  /** What goes on the SLO's `indicator` in the API. */
  readonly describe: Readonly<Record<string, string | number>>;
}

/** A problem with one field of the SLI (`sli.events.error_query: …`). */
export interface SliIssue {
  readonly field: string;
  readonly message: string;
}

/** Parses PromQL, throwing the parser's error (the engine's parser, injected). */
export type ParsePromQL = (text: string) => unknown;

function tryParse(parse: ParsePromQL, text: string): string | undefined {
  try {
    parse(text);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Compiles an SLI; `issues` lists every problem (then the queries must not be used). */
export function compileSli(sli: SliSpec, parse: ParsePromQL): { queries: SliQueries; issues: SliIssue[] } {
  const issues: SliIssue[] = [];
  const checkExpr = (field: string, text: string) => {
    const p = tryParse(parse, text);
    if (p) issues.push({ field, message: `not valid PromQL: ${p}` });
  };
  const checkTemplate = (field: string, template: string) => {
    const t = templateProblem(template);
    if (t) issues.push({ field, message: t });
    else checkExpr(field, withWindow(template, '5m'));
  };
  switch (sli.kind) {
    case 'events': {
      const total = sli.totalQuery;
      checkTemplate('sli.events.total_query', total);
      if (sli.errorQuery !== undefined) {
        checkTemplate('sli.events.error_query', sli.errorQuery);
        const err = sli.errorQuery;
        return {
          issues,
          queries: {
            unit: 'rate',
            ratio: (w) => `(${withWindow(err, w)})\n/\n(${withWindow(total, w)})\n`,
            errorRatio: (w) => `(sum(${withWindow(err, w)}) or vector(0))\n/\nsum(${withWindow(total, w)})`,
            bad: (w) => `sum(${withWindow(err, w)}) or vector(0)`,
            total: (w) => `sum(${withWindow(total, w)})`,
            describe: { kind: 'events', error_query: err, total_query: total },
          },
        };
      }
      const good = sli.goodQuery ?? '';
      checkTemplate('sli.events.good_query', good);
      return {
        issues,
        queries: {
          unit: 'rate',
          ratio: (w) => `1 - (\n(${withWindow(good, w)})\n/\n(${withWindow(total, w)})\n)\n`,
          errorRatio: (w) => `1 - (sum(${withWindow(good, w)}) or vector(0))\n/\nsum(${withWindow(total, w)})`,
          bad: (w) => `sum(${withWindow(total, w)}) - (sum(${withWindow(good, w)}) or vector(0))`,
          total: (w) => `sum(${withWindow(total, w)})`,
          describe: { kind: 'events', good_query: good, total_query: total },
        },
      };
    }
    case 'latency': {
      const m = sli.metric.replace(/_(bucket|count)$/, '');
      const inner = selectorMatchers(sli.selector);
      if (inner === undefined) issues.push({ field: 'sli.latency.selector', message: `expected label matchers in braces like {job="api"}, got ${JSON.stringify(sli.selector)}` });
      const sel = inner ?? '';
      const join = (extra: string) => `{${[sel, extra].filter(Boolean).join(', ')}}`;
      const le = `le=~${quote(leRegex(sli.threshold))}`;
      const goodSel = `${m}_bucket${join(le)}`;
      const totalSel = `${m}_count${join('')}`;
      if (inner !== undefined) {
        checkExpr('sli.latency.selector', goodSel);
        checkExpr('sli.latency.metric', totalSel);
      }
      const good = (w: string) => `sum(rate(${goodSel}[${w}]))`;
      const all = (w: string) => `sum(rate(${totalSel}[${w}]))`;
      return {
        issues,
        queries: {
          unit: 'rate',
          ratio: (w) => `1 - (\n${good(w)}\n/\n${all(w)}\n)\n`,
          errorRatio: (w) => `1 - ${good(w)}\n/\n${all(w)}`,
          bad: (w) => `${all(w)} - ${good(w)}`,
          total: all,
          explain: { expr: `count by (le) (${m}_bucket${join('')})`, label: 'le' },
          describe: { kind: 'latency', metric: m, selector: sel ? `{${sel}}` : '', threshold: sli.threshold },
        },
      };
    }
    case 'check': {
      const sel = `probe_success{check=${quote(sli.check)}}`;
      const good = (w: string) => `sum(sum_over_time(${sel}[${w}]))`;
      const all = (w: string) => `sum(count_over_time(${sel}[${w}]))`;
      return {
        issues,
        queries: {
          unit: 'count',
          ratio: (w) => `1 - (\n${good(w)}\n/\n${all(w)}\n)\n`,
          errorRatio: (w) => `1 - ${good(w)}\n/\n${all(w)}`,
          bad: (w) => `${all(w)} - ${good(w)}`,
          total: all,
          describe: { kind: 'check', check: sli.check },
        },
      };
    }
    case 'timeslices': {
      const slice = sliceDuration(sli.sliceMs);
      const g = withWindow(sli.good, slice);
      const other = sli.good.replace(WINDOW_VAR, '').match(/\{\{[^}]*\}\}/);
      if (other) issues.push({ field: 'sli.timeslices.good', message: `only {{.window}} may be used in a query template, found ${other[0]}` });
      else checkExpr('sli.timeslices.good', g);
      const good = (w: string) => `sum(sum_over_time((${g})[${w}:${slice}]))`;
      const all = (w: string) => `sum(count_over_time((${g})[${w}:${slice}]))`;
      return {
        issues,
        queries: {
          unit: 'count',
          ratio: (w) => `1 - (\n${good(w)}\n/\n${all(w)}\n)\n`,
          errorRatio: (w) => `1 - ${good(w)}\n/\n${all(w)}`,
          bad: (w) => `${all(w)} - ${good(w)}`,
          total: all,
          describe: { kind: 'timeslices', good: sli.good, slice },
        },
      };
    }
    default: {
      const never: never = sli;
      return never;
    }
  }
}

function sliceDuration(ms: number): string {
  for (const [u, f] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) if (ms % f === 0) return `${ms / f}${u}`;
  return `${ms}ms`;
}

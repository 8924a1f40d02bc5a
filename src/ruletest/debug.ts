import type { Engine } from '../promql/index.js';
import { durationString, formatFloat, goQuoteString } from '../template/index.js';
import { alertsString, type LabelsAndAnnotations } from './compare.js';
import type { TestStorage } from './storage.js';

/**
 * promtool's --debug dump: every series of the test group (input series and rule output) up
 * to the last evaluation time, rounded up to the next whole second, printed as Prometheus
 * prints a matrix (`{labels} =>` then `value @[ms]` per sample).
 */
export async function dumpAll(engine: Engine, store: TestStorage, mint: number, maxEval: number, out: (line: string) => void): Promise<void> {
  const ts = Math.floor((maxEval + 1000) / 1000) * 1000;
  const expr = `{__name__=~".+"}[${ts}ms]`;
  let r;
  try {
    r = await engine.instantQuery(store, expr, mint + ts);
  } catch (e) {
    out(`DEBUG: Failed querying, expr: ${goQuoteString(expr)}, err: ${(e as Error).message}`);
    return;
  }
  if (r.resultType !== 'matrix') {
    out(`DEBUG: Got unexpected type ${r.resultType}`);
    return;
  }
  out(`DEBUG: Dump of all data (input_series and rules) at ${durationString(ts * 1e6)}:`);
  const series = r.result.map((s) => {
    const labels = Object.keys(s.labels)
      .sort()
      .map((k) => `${k}=${goQuoteString(s.labels[k] as string)}`)
      .join(', ');
    return `{${labels}} =>\n${s.points.map((p) => `${formatFloat(p.v, 'f', -1)} @[${p.t}]`).join('\n')}`;
  });
  out(series.join('\n'));
}

/**
 * promtool's --diff for an alert test: the expected and the got alerts as lines, the lines only
 * expected marked `-`, the lines only got marked `+` (a longest-common-subsequence line diff).
 */
export function alertsDiff(exp: readonly LabelsAndAnnotations[], got: readonly LabelsAndAnnotations[]): string {
  const a = alertsString(exp).split('\n');
  const b = alertsString(got).split('\n');
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      (lcs[i] as number[])[j] = a[i] === b[j] ? ((lcs[i + 1] as number[])[j + 1] as number) + 1 : Math.max((lcs[i + 1] as number[])[j] as number, (lcs[i] as number[])[j + 1] as number);
    }
  }
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push(`  ${a[i++]}`);
      j++;
    } else if (i < a.length && (j === b.length || ((lcs[i + 1] as number[])[j] as number) >= ((lcs[i] as number[])[j + 1] as number))) lines.push(`- ${a[i++]}`);
    else lines.push(`+ ${b[j++]}`);
  }
  return `\n${lines.join('\n')}`;
}

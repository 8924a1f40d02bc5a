import type { Labels } from '../model/labels.js';
import { sortedEntries } from '../model/labels.js';
import type { Appendable, Appender } from '../storage/appender.js';

interface Point {
  readonly name: string;
  readonly labels: Labels;
  readonly t: number;
  readonly v: number;
}

function escapeValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/**
 * Keeps the newest sample of every series and renders them in the Prometheus text format.
 * It is the samples sink until the metrics store takes over: probe results show on /metrics.
 */
export class LatestSamples implements Appendable {
  private readonly series = new Map<string, Point>();

  appender(): Appender {
    const pending: Point[] = [];
    return {
      append: (labels, t, v) => {
        const { __name__: name = '', ...rest } = labels;
        if (name) pending.push({ name, labels: rest, t, v });
      },
      commit: async () => {
        for (const p of pending.splice(0)) this.series.set(`${p.name}${JSON.stringify(sortedEntries(p.labels))}`, p);
      },
      rollback: () => {
        pending.length = 0;
      },
    };
  }

  /** Drops series whose labels match `pred` (e.g. a removed check). */
  drop(pred: (name: string, labels: Labels) => boolean): void {
    for (const [k, p] of this.series) if (pred(p.name, p.labels)) this.series.delete(k);
  }

  text(): string {
    const byName = new Map<string, Point[]>();
    for (const p of this.series.values()) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
    let out = '';
    for (const name of [...byName.keys()].sort()) {
      out += `# TYPE ${name} gauge\n`;
      for (const p of byName.get(name) ?? []) {
        const ls = sortedEntries(p.labels).map(([k, v]) => `${k}="${escapeValue(v)}"`);
        out += `${name}${ls.length ? `{${ls.join(',')}}` : ''} ${formatValue(p.v)}\n`;
      }
    }
    return out;
  }
}

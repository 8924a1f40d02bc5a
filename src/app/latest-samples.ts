import type { Labels } from '../model/labels.js';
import { sortedEntries } from '../model/labels.js';
import type { Appendable, Appender } from '../storage/appender.js';

interface Point {
  readonly name: string;
  /** Without __name__. */
  readonly labels: Labels;
  readonly key: string;
  /** `name{labels} `, rendered on first use (labels never change). */
  prefix: string | undefined;
  t: number;
  v: number;
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
  /**
   * A label set's point, by the label object (label sets are immutable): producers that append
   * the same objects again (check results) skip splitting the name off and building the key.
   */
  private readonly byLabels = new WeakMap<Labels, Point>();

  private pointOf(labels: Labels): Point | undefined {
    let p = this.byLabels.get(labels);
    if (p === undefined) {
      const { __name__: name = '', ...rest } = labels;
      if (!name) return undefined;
      p = { name, labels: rest, key: `${name}${JSON.stringify(sortedEntries(rest))}`, prefix: undefined, t: 0, v: 0 };
      this.byLabels.set(labels, p);
    }
    return p;
  }

  appender(): Appender {
    const points: Point[] = [];
    const ts: number[] = [];
    const vs: number[] = [];
    return {
      append: (labels, t, v) => {
        const p = this.pointOf(labels);
        if (p === undefined) return;
        points.push(p);
        ts.push(t);
        vs.push(v);
      },
      commit: async () => {
        for (let i = 0; i < points.length; i++) {
          const p = points[i] as Point;
          p.t = ts[i] as number;
          p.v = vs[i] as number;
          // The newest object for a series wins (another label object may have replaced it).
          if (this.series.get(p.key) !== p) this.series.set(p.key, p);
        }
        points.length = ts.length = vs.length = 0;
      },
      rollback: () => {
        points.length = ts.length = vs.length = 0;
      },
    };
  }

  /** Drops series whose labels match `pred` (e.g. a removed check). */
  drop(pred: (name: string, labels: Labels) => boolean): void {
    for (const [k, p] of this.series) if (pred(p.name, p.labels)) this.series.delete(k);
  }

  /** Linear in the series (it runs on the event loop for every scrape of /metrics). */
  text(): string {
    const byName = new Map<string, Point[]>();
    for (const p of this.series.values()) {
      const list = byName.get(p.name);
      if (list === undefined) byName.set(p.name, [p]);
      else list.push(p);
    }
    let out = '';
    for (const name of [...byName.keys()].sort()) {
      out += `# TYPE ${name} gauge\n`;
      for (const p of byName.get(name) ?? []) {
        if (p.prefix === undefined) {
          const ls = sortedEntries(p.labels).map(([k, v]) => `${k}="${escapeValue(v)}"`);
          p.prefix = `${name}${ls.length ? `{${ls.join(',')}}` : ''} `;
        }
        out += `${p.prefix}${formatValue(p.v)}\n`;
      }
    }
    return out;
  }
}

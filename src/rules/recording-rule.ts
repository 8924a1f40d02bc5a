import type { Labels } from '../model/labels.js';
import { labelsKey } from './labels-util.js';
import { RuleBase, type EvalContext } from './rule.js';
import type { QuerySample } from './types.js';

export class DuplicateRecordingLabelSetError extends Error {
  constructor() {
    super('vector contains metrics with the same labelset after applying rule labels');
  }
}

/** A recording rule: its expression's result renamed to the rule's name, with its labels set. */
export class RecordingRule extends RuleBase {
  readonly kind = 'recording' as const;

  constructor(name: string, expr: string, labels: Labels) {
    super(name, expr, labels);
  }

  async eval(ctx: EvalContext): Promise<QuerySample[]> {
    const res = await ctx.query(this.expr, ctx.ts - ctx.queryOffset, ctx.signal);
    const out: QuerySample[] = [];
    const seen = new Set<string>();
    const ruleLabels = Object.entries(this.labels);
    for (const s of res) {
      const l: Record<string, string> = { ...s.labels, __name__: this.name };
      for (const [k, v] of ruleLabels) {
        if (v === '') delete l[k];
        else l[k] = v;
      }
      const key = labelsKey(l);
      if (seen.has(key)) throw new DuplicateRecordingLabelSetError();
      seen.add(key);
      out.push({ labels: l, t: s.t, v: s.v });
    }
    if (ctx.limit > 0 && out.length > ctx.limit) throw new Error(`exceeded limit of ${ctx.limit} with ${out.length} series`);
    return out;
  }

  identity(): string {
    return JSON.stringify([this.name, this.expr, Object.entries(this.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
  }
}

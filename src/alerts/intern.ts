import type { Labels } from '../model/labels.js';

/**
 * Shares equal strings among held alerts: an annotation such as a runbook URL or a fixed
 * description, and the generatorURL (Prometheus gives every alert of a rule the same one),
 * arrive as a new copy in every alert posted, and each held alert would keep its own.
 *
 * Two generations of at most `size` strings each: a string seen again while in either is
 * returned as the copy kept; when the young one fills up it becomes the old one and the old is
 * dropped, so strings that never repeat (an instance, a summary naming it) cost at most
 * 2 × `size` map entries and strings that keep repeating stay shared.
 */
export class StringInterner {
  private young = new Map<string, string>();
  private old = new Map<string, string>();

  constructor(private readonly size = 4096) {}

  intern(s: string): string {
    const y = this.young.get(s);
    if (y !== undefined) return y;
    const kept = this.old.get(s) ?? s;
    if (this.young.size >= this.size) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(kept, kept);
    return kept;
  }

  /**
   * A copy of `labels` with its values interned (the object itself when empty). Always a copy:
   * whether a value is already the kept one cannot be seen from JavaScript, and the caller's
   * object may be shared or frozen.
   */
  internValues(labels: Labels): Labels {
    let out: Record<string, string> | undefined;
    for (const n in labels) (out ??= { ...labels })[n] = this.intern(labels[n] as string);
    return out ?? labels;
  }
}

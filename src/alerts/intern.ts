import type { Labels } from '../model/labels.js';

/**
 * Shares equal strings among held alerts: an annotation such as a runbook URL or a fixed
 * description, and the generatorURL (Prometheus gives every alert of a rule the same one),
 * arrive as a new copy in every alert posted, and each held alert would keep its own.
 *
 * A fixed table of `size` slots, each holding the last string that hashed to it: a string
 * equal to its slot's comes back as the slot's copy, any other takes the slot. Strings that
 * keep repeating stay (a slot is lost only to a string with the same hash), strings that never
 * repeat (an instance, a summary naming it) pass through; nothing is allocated per string,
 * where a map of recent strings made garbage at every string that never repeats.
 */
export class StringInterner {
  private readonly slots: Array<string | undefined>;
  private readonly mask: number;

  /** `size`: a power of two. */
  constructor(size = 4096) {
    if (!(size > 0 && (size & (size - 1)) === 0)) throw new Error(`interner size must be a power of two, got ${size}`);
    this.slots = new Array<string | undefined>(size).fill(undefined);
    this.mask = size - 1;
  }

  intern(s: string): string {
    const i = slotOf(s) & this.mask;
    const kept = this.slots[i];
    if (kept === s) return kept;
    this.slots[i] = s;
    return s;
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

/** FNV-1a (32-bit) over the string's code units. */
function slotOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

import { WILDCARD } from './masking.js';

/**
 * Lines of one message whose variable is written with a varying number of tokens
 * (`lifetime <1 sec` / `lifetime 00:42`, `delete blk_1` / `delete blk_1 blk_2 blk_3`) have
 * different token counts, and Drain-style clustering only compares lines of one length. The
 * *skeleton* of a token sequence is its literal tokens in order, with each run of variable
 * tokens (holding `<*>`, and unit words right after one) as one gap: two sequences with the
 * same skeleton differ only in how many tokens their variables take. A line that finds no
 * cluster of its own length joins the pattern of a cluster of another length with its
 * skeleton, instead of starting a pattern of its own.
 */

const GAP = '\u0001';
const SEP = '\u0000';

/** Unit words a number may be written with: they belong to the variable before them. */
const UNITS = new Set([
  'B', 'KB', 'MB', 'GB', 'TB', 'PB', 'KiB', 'MiB', 'GiB', 'TiB', 'kB',
  'ns', 'us', 'µs', 'ms', 's', 'sec', 'secs', 'seconds', 'min', 'mins', 'minutes', 'h', 'hours', 'days',
]);

/**
 * The skeleton of tokens, or undefined when it has no gap or fewer than two literal tokens
 * (too little to be sure two lines are one message).
 */
export function skeletonOf(tokens: readonly string[]): string | undefined {
  let out = '';
  let literals = 0;
  let gaps = 0;
  let inGap = false;
  for (const t of tokens) {
    if (t.includes(WILDCARD)) {
      if (!inGap) {
        out += GAP + SEP;
        gaps++;
        inGap = true;
      }
      continue;
    }
    if (inGap && UNITS.has(unitWord(t))) continue;
    inGap = false;
    out += t + SEP;
    literals++;
  }
  return gaps > 0 && literals >= 2 ? out : undefined;
}

/** A token without its closing punctuation (`sec,` → `sec`). */
function unitWord(t: string): string {
  let e = t.length;
  while (e > 0) {
    const c = t.charCodeAt(e - 1);
    if (c === 44 || c === 46 || c === 59 || c === 41 || c === 93 || c === 58) e--;
    else break;
  }
  return e === t.length ? t : t.slice(0, e);
}

/** What the index needs of a cluster. */
export interface Skeletal {
  readonly tokens: readonly string[];
  /** The skeleton it is filed under; owned by SkeletonIndex. */
  skeleton: string | undefined;
}

/** Clusters by skeleton. */
export class SkeletonIndex<T extends Skeletal> {
  private readonly map = new Map<string, Set<T>>();

  add(c: T): void {
    const sk = skeletonOf(c.tokens);
    c.skeleton = sk;
    if (sk === undefined) return;
    let set = this.map.get(sk);
    if (!set) this.map.set(sk, (set = new Set()));
    set.add(c);
  }

  remove(c: T): void {
    const sk = c.skeleton;
    if (sk === undefined) return;
    const set = this.map.get(sk);
    if (set) {
      set.delete(c);
      if (set.size === 0) this.map.delete(sk);
    }
    c.skeleton = undefined;
  }

  /** Re-files a cluster whose template changed (cheap when its skeleton did not). */
  update(c: T): void {
    if (skeletonOf(c.tokens) === c.skeleton) return;
    this.remove(c);
    this.add(c);
  }

  /** Clusters of another length with the skeleton of `tokens`. */
  find(tokens: readonly string[]): T[] {
    const sk = skeletonOf(tokens);
    const set = sk === undefined ? undefined : this.map.get(sk);
    if (!set) return [];
    const out: T[] = [];
    for (const c of set) if (c.tokens.length !== tokens.length) out.push(c);
    return out;
  }
}

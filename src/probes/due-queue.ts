import type { Clock, TimerHandle } from '../model/clock.js';

/** One pending call; cancel() through its queue. */
export interface DueSlot {
  readonly due: number;
}

interface Slot extends DueSlot {
  readonly due: number;
  readonly seq: number;
  fn: (() => void) | undefined;
}

const before = (a: Slot, b: Slot): boolean => a.due < b.due || (a.due === b.due && a.seq < b.seq);

/**
 * Many timers on one: calls kept in a binary heap by due time, with a single clock timer armed
 * for the earliest. Thousands of checks each firing every second cost one timer instead of one
 * `setTimeout` per tick and per deadline. Calls due at the same time run in the order they
 * were added, as the clock's own timers do. Cancelling is O(1): the slot is emptied and
 * dropped when it reaches the top (or when empty slots make up most of the heap).
 */
export class DueQueue {
  private heap: Slot[] = [];
  private seq = 0;
  private cancelled = 0;
  private timer: TimerHandle | undefined;
  private armedFor = Infinity;
  private firing = false;
  private readonly onTimer = () => this.fire();

  constructor(private readonly clock: Clock) {}

  /** Calls `fn` once the clock reaches `due` (ms since the epoch). */
  add(due: number, fn: () => void): DueSlot {
    const slot: Slot = { due, seq: this.seq++, fn };
    this.heap.push(slot);
    this.up(this.heap.length - 1);
    if (!this.firing && due < this.armedFor) this.arm();
    return slot;
  }

  cancel(slot: DueSlot): void {
    const s = slot as Slot;
    if (s.fn === undefined) return;
    s.fn = undefined;
    this.cancelled++;
    if (this.cancelled > 64 && this.cancelled * 2 > this.heap.length) this.compact();
  }

  /** Pending calls (not counting cancelled ones). */
  get size(): number {
    return this.heap.length - this.cancelled;
  }

  /** Drops every pending call and the timer. */
  clear(): void {
    for (const s of this.heap) s.fn = undefined;
    this.heap = [];
    this.cancelled = 0;
    this.disarm();
  }

  private fire(): void {
    this.timer = undefined;
    this.armedFor = Infinity;
    const now = this.clock.now();
    this.firing = true;
    try {
      for (;;) {
        const top = this.heap[0];
        if (top === undefined || top.due > now) break;
        this.pop();
        const fn = top.fn;
        if (fn === undefined) {
          this.cancelled--;
          continue;
        }
        top.fn = undefined;
        fn();
      }
    } finally {
      this.firing = false;
      this.arm();
    }
  }

  private arm(): void {
    this.dropCancelledTop();
    const top = this.heap[0];
    if (top === undefined) {
      this.disarm();
      return;
    }
    if (this.timer !== undefined && this.armedFor <= top.due) return;
    this.disarm();
    this.armedFor = top.due;
    this.timer = this.clock.setTimeout(this.onTimer, top.due - this.clock.now());
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
  }

  private dropCancelledTop(): void {
    while (this.heap[0] !== undefined && this.heap[0].fn === undefined) {
      this.pop();
      this.cancelled--;
    }
  }

  private compact(): void {
    this.heap = this.heap.filter((s) => s.fn !== undefined);
    this.cancelled = 0;
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private pop(): void {
    const last = this.heap.pop() as Slot;
    if (this.heap.length === 0) return;
    this.heap[0] = last;
    this.down(0);
  }

  private up(i: number): void {
    const h = this.heap;
    const s = h[i] as Slot;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const ps = h[p] as Slot;
      if (!before(s, ps)) break;
      h[i] = ps;
      i = p;
    }
    h[i] = s;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    const s = h[i] as Slot;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && before(h[r] as Slot, h[c] as Slot)) c = r;
      const cs = h[c] as Slot;
      if (!before(cs, s)) break;
      h[i] = cs;
      i = c;
    }
    h[i] = s;
  }
}

/**
 * A hash table from byte strings (a series' label fields as sent) to values, looked up
 * straight from the request buffer: a known series costs a hash over its bytes and one
 * comparison, not a string built from them. Keys live in one arena; open addressing over
 * stored hashes. Entries are only added, or dropped all at once by replacing the table.
 */

/** FNV-1a over buf[start, end). */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
  return h | 0;
}

/** hashBytes of a latin1 string's bytes (its char codes, all below 256). */
function hashLatin1(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

export class LabelSetTable<T> {
  /** Entry index + 1 per slot; 0 = empty. */
  private slots = new Int32Array(1024);
  private hashes = new Int32Array(512);
  private offs = new Int32Array(512);
  private lens = new Int32Array(512);
  private arena = new Uint8Array(64 * 1024);
  private used = 0;
  private readonly values: T[] = [];

  get size(): number {
    return this.values.length;
  }

  /** The value stored for the key buf[start, end), if any. */
  get(buf: Uint8Array, start: number, end: number): T | undefined {
    const h = hashBytes(buf, start, end);
    const len = end - start;
    const mask = this.slots.length - 1;
    const arena = this.arena;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const slot = this.slots[i] as number;
      if (slot === 0) return undefined;
      const e = slot - 1;
      if (this.hashes[e] !== h || this.lens[e] !== len) continue;
      let at = this.offs[e] as number;
      let j = start;
      while (j < end && arena[at] === buf[j]) (at++, j++);
      if (j === end) return this.values[e];
    }
  }

  /** get() for a key given as a latin1 string (one byte per char). */
  getLatin1(key: string): T | undefined {
    const h = hashLatin1(key);
    const mask = this.slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const slot = this.slots[i] as number;
      if (slot === 0) return undefined;
      const e = slot - 1;
      if (this.hashes[e] !== h || this.lens[e] !== key.length) continue;
      const at = this.offs[e] as number;
      let j = 0;
      while (j < key.length && this.arena[at + j] === key.charCodeAt(j)) j++;
      if (j === key.length) return this.values[e];
    }
  }

  /** Adds a key (a latin1 string, one byte per char) that is not in the table. */
  addLatin1(key: string, value: T): void {
    const e = this.values.length;
    if (e === this.hashes.length) this.growEntries();
    if (this.used + key.length > this.arena.length) this.growArena(key.length);
    const at = this.used;
    for (let j = 0; j < key.length; j++) this.arena[at + j] = key.charCodeAt(j);
    this.used += key.length;
    const h = hashLatin1(key);
    this.hashes[e] = h;
    this.offs[e] = at;
    this.lens[e] = key.length;
    this.values.push(value);
    if (2 * (e + 1) > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(e, h);
  }

  private place(e: number, h: number): void {
    const mask = this.slots.length - 1;
    let i = h & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = e + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let e = 0; e < this.values.length; e++) this.place(e, this.hashes[e] as number);
  }

  private growEntries(): void {
    const n = this.hashes.length * 2;
    const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.hashes = grow(this.hashes);
    this.offs = grow(this.offs);
    this.lens = grow(this.lens);
  }

  private growArena(need: number): void {
    let n = this.arena.length * 2;
    while (n < this.used + need) n *= 2;
    const next = new Uint8Array(n);
    next.set(this.arena.subarray(0, this.used));
    this.arena = next;
  }
}

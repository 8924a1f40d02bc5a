/**
 * Byte strings numbered 0, 1, 2… in the order they were first added, kept as bytes in one
 * growing buffer and found through an open-addressing hash table of typed arrays.
 *
 * The remote-write decoder numbers label sets and label strings by their bytes as sent. In a
 * Map keyed by JavaScript strings, every new one cost a string made only to be a key (and
 * hashed again by the Map), a Map entry, and those objects were copied by the young
 * generation and marked by every full collection for as long as the decoder kept them: 153k
 * new series in one request were ~300k such strings, ~80 MB of the decoder's heap and about
 * half its CPU time. Here a new entry costs its bytes and three numbers, none of them an
 * object the garbage collector walks.
 */

/** FNV-1a over buf[start, end). */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
  return h | 0;
}

const MIN_SLOTS = 1024;
/** The arena is pages of 1 MiB (an entry longer than that gets a page of its own): it grows without copying or doubling. */
const PAGE_BITS = 20;
const PAGE = 1 << PAGE_BITS;

export class ByteInterner {
  /** Every entry's bytes, back to back within a page; `used` bytes of the last page are taken. */
  private pages: Uint8Array[] = [];
  private used = PAGE;
  /** Bytes in every page (bytes()). */
  private total = 0;
  /** By number: where its bytes start (page << PAGE_BITS | offset), how many, and their hash. */
  private starts = new Int32Array(1024);
  private lengths = new Int32Array(1024);
  private hashes = new Int32Array(1024);
  /** Hash table: number + 1 of the entry filed there, 0 when empty; linear probing. */
  private slots = new Int32Array(MIN_SLOTS);
  private count = 0;

  /** Entries numbered so far. */
  get size(): number {
    return this.count;
  }

  /** Bytes the entries take in the arena. */
  get bytes(): number {
    return this.total;
  }

  /** The number of buf[start, end) (whose hashBytes() is `h`), or -1 when it was never added. */
  find(buf: Uint8Array, start: number, end: number, h: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s = slots[i] as number;
      if (s === 0) return -1;
      const id = s - 1;
      if (this.hashes[id] === h && this.matches(id, buf, start, end)) return id;
    }
  }

  /** True when entry `id`'s bytes are buf[start, end). */
  matches(id: number, buf: Uint8Array, start: number, end: number): boolean {
    const n = end - start;
    if (this.lengths[id] !== n) return false;
    const at = this.starts[id] as number;
    const page = this.pages[at >>> PAGE_BITS] as Uint8Array;
    const from = at & (PAGE - 1);
    for (let i = 0; i < n; i++) if (page[from + i] !== buf[start + i]) return false;
    return true;
  }

  /** Adds buf[start, end) (hash `h`; not yet added: find() said -1) and returns its number. */
  add(buf: Uint8Array, start: number, end: number, h: number): number {
    const n = end - start;
    if (this.used + n > (this.pages[this.pages.length - 1]?.length ?? 0)) {
      if (this.pages.length >= 1 << (31 - PAGE_BITS)) throw new Error('ByteInterner: more than 2 GiB of entries');
      this.pages.push(new Uint8Array(Math.max(PAGE, n)));
      this.used = 0;
    }
    const p = this.pages.length - 1;
    const page = this.pages[p] as Uint8Array;
    // A loop, not set(subarray()): keys are short, and a subarray is an object per call.
    for (let i = 0, at = this.used; i < n; i++) page[at + i] = buf[start + i] as number;
    const id = this.count;
    if (id === this.starts.length) {
      this.starts = grown(this.starts, id + 1);
      this.lengths = grown(this.lengths, id + 1);
      this.hashes = grown(this.hashes, id + 1);
    }
    this.starts[id] = (p << PAGE_BITS) | this.used;
    this.lengths[id] = n;
    this.hashes[id] = h;
    this.used += n;
    this.total += n;
    this.count = id + 1;
    // At most half full, so probes stay short.
    if (2 * this.count > this.slots.length) this.rehash(2 * this.slots.length);
    else this.file(id);
    return id;
  }

  /**
   * Forgets every entry numbered `n` or later (a request that turned out bad added them): the
   * table is then as it was before they were added, since they are taken out newest first and
   * no older entry's probe ever passed a newer one's slot.
   */
  truncate(n: number): void {
    if (n >= this.count) return;
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let id = this.count - 1; id >= n; id--) {
      let i = (this.hashes[id] as number) & mask;
      while (slots[i] !== id + 1) i = (i + 1) & mask;
      slots[i] = 0;
    }
    // The pages from the one entry n would have started in on, emptied from there.
    for (let id = n; id < this.count; id++) this.total -= this.lengths[id] as number;
    this.count = n;
    if (n === 0) {
      this.pages = [];
      this.used = PAGE;
      return;
    }
    const last = (this.starts[n - 1] as number) >>> PAGE_BITS;
    this.pages.length = last + 1;
    this.used = ((this.starts[n - 1] as number) & (PAGE - 1)) + (this.lengths[n - 1] as number);
  }

  private file(id: number): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    let i = (this.hashes[id] as number) & mask;
    while (slots[i] !== 0) i = (i + 1) & mask;
    slots[i] = id + 1;
  }

  /** Refiles every entry in number order (which keeps truncate() exact). */
  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let id = 0; id < this.count; id++) this.file(id);
  }
}

function grown(a: Int32Array, need: number): Int32Array<ArrayBuffer> {
  let size = a.length * 2;
  while (size < need) size *= 2;
  const next = new Int32Array(size);
  next.set(a);
  return next;
}

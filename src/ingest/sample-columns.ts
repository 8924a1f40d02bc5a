/**
 * A growable column of float64 values written straight into an ArrayBuffer, which can be
 * handed over (transferred to another thread) and later given back for reuse. The remote-write
 * decoder builds each request's timestamps and values this way: a request of 30,000 samples
 * otherwise left a growing JS array and a fresh 240 KB ArrayBuffer per column behind, and
 * dead ArrayBuffers that outlive a scavenge wait for a full garbage collection while they
 * count in resident memory.
 */
export class Float64Column {
  private buf: Float64Array;
  length = 0;

  constructor(private readonly spare: BufferPool) {
    this.buf = new Float64Array(spare.take());
  }

  push(x: number): void {
    if (this.length === this.buf.length) this.grow();
    this.buf[this.length++] = x;
  }

  private grow(): void {
    const next = new Float64Array(Math.max(MIN_ELEMENTS, this.buf.length * 2));
    next.set(this.buf);
    this.spare.give(this.buf.buffer as ArrayBuffer);
    this.buf = next;
  }

  /** The values as a view of the column's buffer; the column must not be used after. */
  done(): Float64Array {
    return this.buf.subarray(0, this.length);
  }

  /** Gives the buffer back instead (the request was refused); the column must not be used after. */
  discard(): void {
    this.spare.give(this.buf.buffer as ArrayBuffer);
  }
}

const MIN_ELEMENTS = 4096;

/**
 * Spare buffers for Float64Columns, at most `maxBytes` together (the smallest are dropped
 * first), so what a burst of large requests left behind does not stay resident.
 */
export class BufferPool {
  /** Smallest first. */
  private readonly spare: ArrayBuffer[] = [];
  private bytes = 0;

  constructor(private readonly maxBytes = 8 * 1024 * 1024) {}

  get size(): number {
    return this.spare.length;
  }

  /** The largest spare buffer, or a new one for MIN_ELEMENTS values. */
  take(): ArrayBuffer {
    const b = this.spare.pop();
    if (b === undefined) return new ArrayBuffer(MIN_ELEMENTS * 8);
    this.bytes -= b.byteLength;
    return b;
  }

  /** Keeps `b` for reuse unless it is detached, smaller than a new one or larger than the pool. */
  give(b: ArrayBuffer): void {
    const n = b.byteLength;
    if (n < MIN_ELEMENTS * 8 || n > this.maxBytes) return;
    let i = this.spare.length;
    while (i > 0 && (this.spare[i - 1] as ArrayBuffer).byteLength > n) i--;
    this.spare.splice(i, 0, b);
    this.bytes += n;
    while (this.bytes > this.maxBytes) this.bytes -= (this.spare.shift() as ArrayBuffer).byteLength;
  }
}

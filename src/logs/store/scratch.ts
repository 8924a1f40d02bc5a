/**
 * A growable byte buffer reused to UTF-8-encode large strings (WAL records, chunk bodies).
 * A fresh multi-hundred-KiB Buffer per call costs far more than the encoding itself
 * (allocation and first-touch page faults), so one buffer is kept and reused. A call
 * made while the buffer is still lent out gets a one-off buffer, and so does one needing
 * more than MAX_KEPT bytes, so a burst of huge batches does not pin memory for good.
 */
const MAX_KEPT = 8 * 1024 * 1024;

export class Scratch {
  private buf: Buffer = Buffer.allocUnsafe(0);
  private lent = false;

  /**
   * Writes `text` as UTF-8 after `prefix` reserved bytes and calls `fn` with exactly those
   * bytes (prefix included). The buffer is only valid until `fn`'s promise settles.
   */
  async withUtf8<T>(text: string, prefix: number, fn: (bytes: Buffer) => Promise<T>): Promise<T> {
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes, so a buffer of that bound is
    // written without measuring the string first (measuring a large string costs about as
    // much as encoding it).
    const bound = prefix + text.length * 3;
    if (this.lent || bound > MAX_KEPT) {
      const own = Buffer.allocUnsafe(prefix + Buffer.byteLength(text, 'utf8'));
      own.write(text, prefix, 'utf8');
      return fn(own);
    }
    if (this.buf.length < bound) this.buf = Buffer.allocUnsafe(Math.min(MAX_KEPT, Math.max(bound, Math.ceil(this.buf.length * 1.5), 64 * 1024)));
    const bytes = this.buf.subarray(0, prefix + this.buf.write(text, prefix, 'utf8'));
    this.lent = true;
    try {
      return await fn(bytes);
    } finally {
      this.lent = false;
    }
  }
}

/**
 * A growable byte buffer reused to UTF-8-encode large JSON texts (WAL records, chunk bodies).
 * A fresh multi-hundred-KiB Buffer per call costs far more than the encoding itself
 * (allocation and first-touch page faults), so one buffer is kept and reused. A call
 * made while the buffer is still lent out gets a one-off buffer, and so does one needing
 * more than MAX_KEPT bytes, so a burst of huge batches does not pin memory for good.
 */
const MAX_KEPT = 16 * 1024 * 1024;

export class Scratch {
  private buf: Buffer = Buffer.allocUnsafe(0);
  private lent = false;

  /**
   * Writes `head`, then the JSON of each row separated by commas, then `tail`, as UTF-8
   * after `prefix` reserved bytes, and calls `fn` with exactly those bytes. Row by row,
   * because V8 returns a large JSON.stringify result as a rope that costs a full copy to
   * flatten before it can be encoded; small results are flat. With `keep`, keep[i] receives
   * row i's JSON.
   */
  withJsonRows<T>(head: string, rows: readonly unknown[], tail: string, prefix: number, fn: (bytes: Buffer) => Promise<T>, keep?: string[]): Promise<T> {
    return this.withText(
      prefix,
      (w) => {
        w.text(head);
        for (let i = 0; i < rows.length; i++) {
          const json = JSON.stringify(rows[i]);
          if (keep) keep[i] = json;
          if (i > 0) w.byte(0x2c); // ,
          w.text(json);
        }
        w.text(tail);
      },
      fn,
    );
  }

  /** Writes what `build` writes, as UTF-8 after `prefix` reserved bytes, and calls `fn` with exactly those bytes. */
  async withText<T>(prefix: number, build: (w: TextSink) => void, fn: (bytes: Buffer) => Promise<T>): Promise<T> {
    const own = this.lent;
    let buf = own ? Buffer.allocUnsafe(64 * 1024) : this.buf.length >= 64 * 1024 ? this.buf : (this.buf = Buffer.allocUnsafe(64 * 1024));
    let off = prefix;
    const ensure = (more: number): void => {
      if (off + more <= buf.length) return;
      const grown = Buffer.allocUnsafe(Math.max(off + more, Math.ceil(buf.length * 1.5)));
      buf.copy(grown, 0, 0, off);
      buf = grown;
      if (!own && grown.length <= MAX_KEPT) this.buf = grown;
    };
    build({
      text(s: string): void {
        ensure(s.length * 3);
        off += buf.write(s, off, 'utf8');
      },
      byte(b: number): void {
        ensure(1);
        buf[off++] = b;
      },
    });
    const bytes = buf.subarray(0, off);
    if (own) return fn(bytes);
    this.lent = true;
    try {
      return await fn(bytes);
    } finally {
      this.lent = false;
    }
  }
}

export interface TextSink {
  /** Appends `s` as UTF-8. */
  text(s: string): void;
  /** Appends one byte. */
  byte(b: number): void;
}

/**
 * Coalesces concurrent writes into one: items queued while a write is in flight go together
 * in the next one, and each caller's promise settles when the write holding its items is done,
 * with the results of its own items (`write` returns one result per item, in order). With a
 * durable store (one fsync per transaction) this turns N concurrent commits into about two,
 * without delaying a lone writer.
 */
export class GroupCommit<T, R = void> {
  private queue: Array<{ items: readonly T[]; resolve: (r: R[]) => void; reject: (e: unknown) => void }> = [];
  private running = false;

  constructor(private readonly write: (items: readonly T[]) => Promise<R[] | void>) {}

  add(items: readonly T[]): Promise<R[]> {
    return new Promise<R[]>((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const all: T[] = [];
      for (const b of batch) for (const it of b.items) all.push(it);
      try {
        const results = (await this.write(all)) ?? [];
        let i = 0;
        for (const b of batch) {
          b.resolve(results.slice(i, i + b.items.length));
          i += b.items.length;
        }
      } catch (e) {
        for (const b of batch) b.reject(e);
      }
    }
    this.running = false;
  }
}

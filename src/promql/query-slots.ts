/**
 * At most `max` queries evaluate at once; the rest wait in arrival order (Prometheus's
 * query.max-concurrency). Evaluation yields to the event loop, so without this bound any number
 * of expensive queries would hold their memory at the same time.
 */
export class QuerySlots {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly max: number) {
    if (!(max >= 1)) throw new RangeError(`max concurrent queries must be at least 1, got ${max}`);
  }

  /** Resolves with the function that frees the slot; rejects with the signal's reason if it aborts first. */
  async acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) throw signal.reason;
    if (this.active < this.max) {
      this.active++;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const go = (): void => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const i = this.waiting.indexOf(go);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal.reason);
      };
      this.waiting.push(go);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    return this.releaser();
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** A slot freed while others wait passes straight to the first of them. */
  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }
}

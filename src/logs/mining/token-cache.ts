/**
 * Memoises a pure token → token function. Real logs repeat most tokens, so this skips the
 * masking scan for them; the map is dropped when full, which bounds memory without any
 * per-hit bookkeeping.
 */
export class TokenCache {
  private map = new Map<string, string>();

  constructor(
    private readonly fn: (token: string) => string,
    private readonly capacity: number,
  ) {}

  get(token: string): string {
    let v = this.map.get(token);
    if (v === undefined) {
      v = this.fn(token);
      if (this.map.size >= this.capacity) this.map = new Map();
      this.map.set(token, v);
    }
    return v;
  }
}

import { rng } from '../helpers/rng.js';

/**
 * Seeded generators of malformed input: byte-level mutations of valid payloads (bit flips,
 * truncation, inserted, repeated or overwritten bytes) and token-level ones for query
 * languages. One seed per suite: a failure names the seed and the case, and reproduces.
 */
export class Mutator {
  readonly random: () => number;
  constructor(readonly seed: number) {
    this.random = rng(seed);
  }

  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }

  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }

  /** One to three random mutations of `src`. */
  mutate(src: Uint8Array): Uint8Array {
    let b = src;
    for (let k = 1 + this.int(3); k > 0; k--) b = this.once(b);
    return b;
  }

  private once(b: Uint8Array): Uint8Array {
    const at = this.int(b.length + 1);
    switch (this.int(7)) {
      case 0: {
        // flip bits
        const c = Uint8Array.from(b);
        for (let i = 1 + this.int(8); i > 0 && c.length; i--) c[this.int(c.length)]! ^= 1 << this.int(8);
        return c;
      }
      case 1:
        return b.subarray(0, at); // truncate
      case 2:
        return concat(b.subarray(0, at), this.bytes(1 + this.int(16)), b.subarray(at)); // insert noise
      case 3: {
        // repeat a slice many times (length fields, nesting, huge counts)
        const len = 1 + this.int(Math.min(32, Math.max(1, b.length - at)));
        const slice = b.subarray(at, at + len);
        const times = 1 + this.int(2000);
        const parts = [b.subarray(0, at)];
        for (let i = 0; i < times; i++) parts.push(slice);
        parts.push(b.subarray(at));
        return concat(...parts);
      }
      case 4: {
        // overwrite with an edge byte
        const c = Uint8Array.from(b);
        if (c.length) c[this.int(c.length)] = this.pick([0x00, 0xff, 0x80, 0x7f, 0x22, 0x5c, 0x7b, 0x5b, 0xc3, 0xed]);
        return c;
      }
      case 5:
        return concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + this.int(16)))); // delete
      default: {
        // swap two halves
        return concat(b.subarray(at), b.subarray(0, at));
      }
    }
  }

  /** A string mutated at the token level: `vocab` tokens inserted, deleted or repeated. */
  mutateTokens(src: string, vocab: readonly string[]): string {
    const toks = src.split(/(?<=[\s(){}[\],|=~!<>+\-*/^"`])|(?=[\s(){}[\],|=~!<>+\-*/^"`])/);
    for (let k = 1 + this.int(3); k > 0; k--) {
      const at = this.int(toks.length + 1);
      switch (this.int(4)) {
        case 0:
          toks.splice(at, 0, this.pick(vocab));
          break;
        case 1:
          toks.splice(at, 1 + this.int(3));
          break;
        case 2: {
          const t = toks[at] ?? this.pick(vocab);
          toks.splice(at, 0, ...Array<string>(1 + this.int(700)).fill(t));
          break;
        }
        default:
          toks.splice(at, 0, this.pick(vocab), this.pick(vocab));
      }
    }
    return toks.join('');
  }
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Cases run per suite, for the report at the end of a run. */
export const casesRun: number[] = [];

/** A seed of its own for each suite, from the run's seed and the suite's name. */
export function suiteSeed(seed: number, suite: string): number {
  let h = seed >>> 0;
  for (let i = 0; i < suite.length; i++) h = Math.imul(h ^ suite.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * Runs `fn` for cases 0 … `cases` - 1 with a mutator seeded for this suite alone, so that
 * each suite's inputs depend on the seed and the case number only: never on how fast the
 * machine is, nor on how many cases another suite ran.
 */
export async function forCases(seed: number, suite: string, cases: number, fn: (i: number, m: Mutator) => Promise<void>): Promise<number> {
  const m = new Mutator(suiteSeed(seed, suite));
  for (let i = 0; i < cases; i++) await fn(i, m);
  casesRun.push(cases);
  return cases;
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/**
 * An OTLP AnyValue nested `levels` deep through kvlist_value, built in linear time (each level
 * is a prefix: AnyValue.kvlist_value → KeyValueList.values → KeyValue{key "k", value}).
 */
export function deepKvlistProto(levels: number): Uint8Array {
  const leaf = Uint8Array.from([0x0a, 0x04, ...new TextEncoder().encode('leaf')]); // AnyValue{string_value}
  const prefixes: number[][] = [];
  let size = leaf.length;
  for (let i = 0; i < levels; i++) {
    const kv = [0x0a, 0x01, 0x6b, 0x12, ...varint(size)]; // KeyValue{key: "k", value: <inner>}
    const kvSize = kv.length + size;
    const list = [0x0a, ...varint(kvSize)]; // KeyValueList{values: [kv]}
    const listSize = list.length + kvSize;
    const any = [0x32, ...varint(listSize)]; // AnyValue{kvlist_value}
    prefixes.push([...any, ...list, ...kv]);
    size = any.length + listSize;
  }
  const out = new Uint8Array(size);
  let o = 0;
  for (let i = prefixes.length - 1; i >= 0; i--) {
    out.set(prefixes[i]!, o);
    o += prefixes[i]!.length;
  }
  out.set(leaf, o);
  return out;
}

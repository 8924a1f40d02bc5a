/**
 * Where in its interval a group evaluates. Prometheus spreads groups over the interval by a hash
 * of the group's name and file (Group.EvalTimestamp): the slot is `hash % interval` past each
 * multiple of the interval, so a group evaluates at the same phase across restarts and groups
 * do not all start at once. The hash is xxHash64 of the label set {file, name} in Prometheus 3's
 * label encoding (each string prefixed by its length); Prometheus 2.x hashed `name\xffvalue\xff`
 * pairs instead, so its phases differ.
 */
const M = (1n << 64n) - 1n;
const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;

const rotl = (x: bigint, r: number): bigint => ((x << BigInt(r)) | (x >> BigInt(64 - r))) & M;
const mul = (a: bigint, b: bigint): bigint => (a * b) & M;
const add = (a: bigint, b: bigint): bigint => (a + b) & M;

function round(acc: bigint, input: bigint): bigint {
  return mul(rotl(add(acc, mul(input, P2)), 31), P1);
}

function u64(b: Uint8Array, i: number): bigint {
  let v = 0n;
  for (let j = 7; j >= 0; j--) v = (v << 8n) | BigInt(b[i + j] as number);
  return v;
}

function u32(b: Uint8Array, i: number): bigint {
  return BigInt(((b[i] as number) | ((b[i + 1] as number) << 8) | ((b[i + 2] as number) << 16)) + (b[i + 3] as number) * 0x1000000);
}

/** xxHash64 with seed 0. */
export function xxhash64(b: Uint8Array): bigint {
  const n = b.length;
  let i = 0;
  let h: bigint;
  if (n >= 32) {
    let v1 = add(P1, P2);
    let v2 = P2;
    let v3 = 0n;
    let v4 = (0n - P1) & M;
    for (; i + 32 <= n; i += 32) {
      v1 = round(v1, u64(b, i));
      v2 = round(v2, u64(b, i + 8));
      v3 = round(v3, u64(b, i + 16));
      v4 = round(v4, u64(b, i + 24));
    }
    h = add(add(rotl(v1, 1), rotl(v2, 7)), add(rotl(v3, 12), rotl(v4, 18)));
    for (const v of [v1, v2, v3, v4]) h = add(mul(h ^ round(0n, v), P1), P4);
  } else h = P5;
  h = add(h, BigInt(n));
  for (; i + 8 <= n; i += 8) h = add(mul(rotl(h ^ round(0n, u64(b, i)), 27), P1), P4);
  if (i + 4 <= n) {
    h = add(mul(rotl(h ^ mul(u32(b, i), P1), 23), P2), P3);
    i += 4;
  }
  for (; i < n; i++) h = mul(rotl(h ^ mul(BigInt(b[i] as number), P5), 11), P1);
  h ^= h >> 33n;
  h = mul(h, P2);
  h ^= h >> 29n;
  h = mul(h, P3);
  h ^= h >> 32n;
  return h;
}

function pushString(out: number[], s: string): void {
  const bytes = Buffer.from(s, 'utf8');
  const len = bytes.length;
  if (len < 255) out.push(len);
  else out.push(255, len & 0xff, (len >> 8) & 0xff, (len >> 16) & 0xff);
  for (const x of bytes) out.push(x);
}

/** labels.FromStrings("file", file, "name", name).Hash() in Prometheus 3. */
export function groupHash(file: string, name: string): bigint {
  const bytes: number[] = [];
  pushString(bytes, 'file');
  pushString(bytes, file);
  pushString(bytes, 'name');
  pushString(bytes, name);
  return xxhash64(Uint8Array.from(bytes));
}

/** The group's offset within its interval, in nanoseconds (as Prometheus computes it). */
export function groupOffsetNs(file: string, name: string, intervalMs: number): bigint {
  return groupHash(file, name) % (BigInt(intervalMs) * 1_000_000n);
}

/**
 * The latest evaluation slot at or before `nowMs` (Group.EvalTimestamp), in ms. Slots are
 * `k × interval + offset`; the offset's sub-millisecond part is dropped, as sample timestamps are.
 */
export function evalSlot(nowMs: number, intervalMs: number, offsetNs: bigint): number {
  const offsetMs = Number(offsetNs / 1_000_000n);
  const adj = nowMs - offsetMs;
  const base = adj - (((adj % intervalMs) + intervalMs) % intervalMs);
  return base + offsetMs;
}

import type { Labels } from '../model/labels.js';

const M = (1n << 64n) - 1n;
const P1 = 11400714785074694791n;
const P2 = 14029467366897019727n;
const P3 = 1609587929392839161n;
const P4 = 9650029242287828579n;
const P5 = 2870177450012600261n;

const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & M;
const round = (acc: bigint, lane: bigint): bigint => (rotl((acc + lane * P2) & M, 31n) * P1) & M;

function u64(b: Uint8Array, i: number): bigint {
  let x = 0n;
  for (let k = 7; k >= 0; k--) x = (x << 8n) | BigInt(b[i + k] as number);
  return x;
}
function u32(b: Uint8Array, i: number): bigint {
  let x = 0n;
  for (let k = 3; k >= 0; k--) x = (x << 8n) | BigInt(b[i + k] as number);
  return x;
}

/** XXH64 with seed 0 (the hash Prometheus's labels.Hash uses). */
export function xxhash64(b: Uint8Array): bigint {
  let i = 0;
  let h: bigint;
  if (b.length >= 32) {
    let v1 = (P1 + P2) & M;
    let v2 = P2;
    let v3 = 0n;
    let v4 = (M + 1n - P1) & M;
    for (; i + 32 <= b.length; i += 32) {
      v1 = round(v1, u64(b, i));
      v2 = round(v2, u64(b, i + 8));
      v3 = round(v3, u64(b, i + 16));
      v4 = round(v4, u64(b, i + 24));
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & M;
    for (const v of [v1, v2, v3, v4]) {
      h ^= round(0n, v);
      h = (h * P1 + P4) & M;
    }
  } else h = P5;
  h = (h + BigInt(b.length)) & M;
  for (; i + 8 <= b.length; i += 8) {
    h ^= round(0n, u64(b, i));
    h = (rotl(h, 27n) * P1 + P4) & M;
  }
  if (i + 4 <= b.length) {
    h ^= (u32(b, i) * P1) & M;
    h = (rotl(h, 23n) * P2 + P3) & M;
    i += 4;
  }
  for (; i < b.length; i++) {
    h ^= (BigInt(b[i] as number) * P5) & M;
    h = (rotl(h, 11n) * P1) & M;
  }
  h ^= h >> 33n;
  h = (h * P2) & M;
  h ^= h >> 29n;
  h = (h * P3) & M;
  h ^= h >> 32n;
  return h;
}

const enc = new TextEncoder();

/** Where a series falls in [0, 1) for limit_ratio: its label hash scaled by 2^64-1, as Prometheus samples. */
export function ratioOffset(labels: Labels): number {
  const parts: number[] = [];
  for (const k of Object.keys(labels).sort()) {
    for (const x of enc.encode(k)) parts.push(x);
    parts.push(0xff);
    for (const x of enc.encode(labels[k] as string)) parts.push(x);
    parts.push(0xff);
  }
  return Number(xxhash64(new Uint8Array(parts))) / 18446744073709551615;
}

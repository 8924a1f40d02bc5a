/**
 * Array helpers that work for arrays of any length. Spreading an array into a call
 * (`push(...xs)`, `Math.max(...xs)`, `String.fromCharCode(...xs)`) passes every element as an
 * argument on the stack and throws `Maximum call stack size exceeded` past ~100k elements;
 * scripts/lint-deps.mjs forbids it in src/.
 */
export function pushAll<T>(dst: T[], src: Iterable<T>): T[] {
  for (const x of src) dst.push(x);
  return dst;
}

/** The largest number, -Infinity for none, NaN if any is NaN (as Math.max). */
export function maxOf(xs: Iterable<number>): number {
  let m = -Infinity;
  for (const x of xs) {
    if (Number.isNaN(x)) return NaN;
    if (x > m) m = x;
  }
  return m;
}

/** The smallest number, Infinity for none, NaN if any is NaN (as Math.min). */
export function minOf(xs: Iterable<number>): number {
  let m = Infinity;
  for (const x of xs) {
    if (Number.isNaN(x)) return NaN;
    if (x < m) m = x;
  }
  return m;
}

/** Bytes as Latin-1 characters, one per byte. */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/**
 * Sealed head chunks are packed into shared slabs instead of each owning an ArrayBuffer: a
 * chunk of 120 samples is a few hundred bytes, and an ArrayBuffer of its own cost about as
 * much again (its JS object and view, V8's backing-store record, malloc's overhead), 40,000 of
 * them for 10,000 series with 2 h of history. A sealed chunk is a view into a slab; a slab is
 * freed once no chunk in it is referenced. Chunks are sealed and dropped roughly in time order
 * (the head truncates its oldest samples), so the chunks in one slab go at about the same time.
 */
export const SEALED_SLAB_BYTES = 256 * 1024;
/** Larger chunks (rare: chunks hold at most 120 samples) get a buffer of their own. */
const OWN_BUFFER_BYTES = SEALED_SLAB_BYTES / 16;

let slab = new Uint8Array(SEALED_SLAB_BYTES);
let used = 0;

/** A compact, independent copy of `bytes` (they may change afterwards), packed into a shared slab. */
export function packChunk(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  if (n > OWN_BUFFER_BYTES) return bytes.slice();
  if (used + n > SEALED_SLAB_BYTES) {
    slab = new Uint8Array(SEALED_SLAB_BYTES);
    used = 0;
  }
  const out = slab.subarray(used, used + n);
  out.set(bytes);
  used += n;
  return out;
}

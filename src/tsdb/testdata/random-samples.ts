// Test helper shared by the chunk encoder and decoder tests.

/** A sample as chunks store it: [t, hi word, lo word] of the float64. */
export type Sample = [number, number, number];

/**
 * `n` samples in time order mixing regular 15 s steps, jitter, repeated millisecond steps and
 * huge gaps (every delta-of-delta bucket, the 64-bit one included) with every value shape
 * (repeated, shared high word, random).
 */
export function randomSamples(r: () => number, n: number): Sample[] {
  const samples: Sample[] = [];
  let t = Math.floor(r() * 2 ** 42) - 2 ** 40;
  for (let i = 0; i < n; i++) {
    const kind = r();
    t += kind < 0.5 ? 15000 : kind < 0.8 ? Math.floor(r() * 30000) + 1 : kind < 0.95 ? 1 : Math.floor(r() * 2 ** 40);
    const vk = r();
    const hi = vk < 0.3 ? 0x40590000 : Math.floor(r() * 2 ** 32);
    const lo = vk < 0.5 ? 0 : Math.floor(r() * 2 ** 32);
    samples.push([t, hi >>> 0, lo >>> 0]);
  }
  return samples;
}

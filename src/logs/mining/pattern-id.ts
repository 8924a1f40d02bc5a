/**
 * Pattern ids: 12 hex digits of a 64-bit FNV-1a hash of the pattern's first template. The id
 * never changes when the template is later generalised, so stored references stay valid; a
 * collision with a live id is resolved by hashing again with a counter.
 */
export function patternIdFor(template: string, taken: (id: string) => boolean): string {
  for (let salt = 0; ; salt++) {
    const id = fnv1a64(salt === 0 ? template : `${template}\u0000${salt}`);
    if (!taken(id)) return id;
  }
}

function fnv1a64(text: string): string {
  // Two 32-bit halves of FNV-1a 64 (offset basis cbf29ce484222325, prime 100000001b3).
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo ^= text.charCodeAt(i);
    // (hi, lo) *= 0x100000001b3 = 2^40 + 0x1b3
    const loMul = lo * 0x1b3;
    const carry = Math.floor(loMul / 0x100000000);
    const newLo = loMul >>> 0;
    const newHi = (hi * 0x1b3 + carry + ((lo << 8) >>> 0)) >>> 0;
    hi = newHi;
    lo = newLo;
  }
  return (hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0')).slice(0, 12);
}

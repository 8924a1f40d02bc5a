/** A label set: names to values. Treated as immutable everywhere. */
export type Labels = Readonly<Record<string, string>>;

// FNV-1a 64 in two 32-bit halves (BigInt arithmetic made fingerprinting most of the intake's CPU).
const OFFSET_HI = 0xcbf29ce4;
const OFFSET_LO = 0x84222325;
/** The 64-bit FNV prime is 2^40 + 0x1b3. */
const PRIME_LO = 0x1b3;
const SEPARATOR = 0xff;
const TWO_32 = 4294967296;
const encoder = new TextEncoder();

/** The UTF-8 bytes TextEncoder gives (a lone surrogate becomes U+FFFD), for the non-ASCII rest of a string. */
function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/**
 * The fingerprint Alertmanager and Prometheus give a label set (FNV-1a 64 over the
 * sorted names and values, each followed by 0xff), as 16 lowercase hex digits.
 * Equal label sets always share it, so it is the identity used for dedup.
 */
export function fingerprint(labels: Labels): string {
  let hi = OFFSET_HI;
  let lo = OFFSET_LO;
  const names = Object.keys(labels).sort();
  for (let n = 0; n < names.length * 2; n++) {
    const name = names[n >> 1] as string;
    const s = n & 1 ? (labels[name] ?? '') : name;
    // The string's bytes, then the separator (the loop's last step).
    for (let i = 0; i <= s.length; i++) {
      const b = i < s.length ? s.charCodeAt(i) : SEPARATOR;
      if (b >= 0x80 && i < s.length) {
        const rest = utf8(s.slice(i));
        for (let j = 0; j < rest.length; j++) {
          lo = (lo ^ (rest[j] as number)) >>> 0;
          const p = lo * PRIME_LO;
          hi = (Math.imul(hi, PRIME_LO) + Math.floor(p / TWO_32) + (lo << 8)) >>> 0;
          lo = p >>> 0;
        }
        i = s.length - 1;
        continue;
      }
      // h ^= b; h *= 2^40 + 0x1b3 (mod 2^64): lo·0x1b3 (< 2^41, exact) carries into hi, lo·2^40 lands in hi as lo << 8.
      lo = (lo ^ b) >>> 0;
      const p = lo * PRIME_LO;
      hi = (Math.imul(hi, PRIME_LO) + Math.floor(p / TWO_32) + (lo << 8)) >>> 0;
      lo = p >>> 0;
    }
  }
  return hex16(hi, lo);
}

const HEX = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const digits = new Array<number>(16).fill(0);

/**
 * hi and lo as 16 hex digits, in one flat string: concatenating the two halves made a rope of
 * three strings (~80 bytes instead of ~32) that every held alert kept as its fingerprint.
 */
function hex16(hi: number, lo: number): string {
  for (let i = 7; i >= 0; i--) {
    digits[i] = HEX[hi & 15] as number;
    digits[i + 8] = HEX[lo & 15] as number;
    hi >>>= 4;
    lo >>>= 4;
  }
  return String.fromCharCode.apply(null, digits);
}

/** Entries sorted by name, dropping empty values (an empty value means "label absent"). */
export function sortedEntries(labels: Labels): Array<[string, string]> {
  return Object.keys(labels)
    .sort()
    .filter((k) => labels[k] !== '')
    .map((k) => [k, labels[k] as string]);
}

export function labelsEqual(a: Labels, b: Labels): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

/** `{a="1", b="2"}` with names sorted and values escaped as Prometheus prints them. */
export function formatLabels(labels: Labels): string {
  const parts = sortedEntries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `{${parts.join(', ')}}`;
}

/** The subset of `labels` whose names are in `names` (absent names are skipped). */
export function pickLabels(labels: Labels, names: readonly string[]): Labels {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = labels[n];
    if (v !== undefined && v !== '') out[n] = v;
  }
  return out;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
export function isValidLabelName(name: string): boolean {
  return LABEL_NAME.test(name);
}

import { chunkCount } from './chunk.js';
import { HI, LO } from './bytes.js';

/**
 * Fast bulk decoder for the XOR chunks of chunk.ts (same bit layout; ChunkIterator stays the
 * reference implementation). Reads 32-bit windows at arbitrary bit offsets instead of bit by bit,
 * keeps all state in locals, and writes straight into caller-owned columns.
 *
 * A ChunkCursor is the decoder state after some sample: decoding can resume from it without
 * re-reading the samples before. Cursors stay valid while samples are appended to the chunk
 * (appends only add bits after the last sample), so one taken on a head chunk can be reused by
 * later queries.
 */
export interface ChunkCursor {
  /** The chunk the cursor belongs to (an XorAppender or a sealed HeadChunk), compared by identity. */
  readonly owner: CursorOwner;
  /** Samples consumed (the cursor's sample is number n - 1). */
  readonly n: number;
  /** Bit offset of sample n. */
  readonly bit: number;
  /** Timestamp of sample n - 1. */
  readonly t: number;
  readonly delta: number;
  readonly hi: number;
  readonly lo: number;
  readonly leading: number;
  readonly trailing: number;
}

/** A chunk's identity for cursors: its minimum time orders the chunks of one series. */
export interface CursorOwner {
  readonly minT: number;
}

const TWO32 = 2 ** 32;

function corrupt(): never {
  throw new RangeError('chunk: unexpected end of bit stream');
}

/**
 * The chunk being decoded as big-endian 32-bit words, zero padded: a 32-bit window at any bit
 * offset is then two loads, without bounds checks. Reused across calls (decoding is synchronous).
 */
let W = new Int32Array(64);

function loadWords(bytes: Uint8Array, len: number): void {
  const n = (len + 3) >>> 2;
  if (W.length < n + 2) W = new Int32Array(Math.max(n + 2, W.length * 2));
  const full = len >>> 2;
  for (let i = 0, j = 0; i < full; i++, j += 4) {
    W[i] = ((bytes[j] as number) << 24) | ((bytes[j + 1] as number) << 16) | ((bytes[j + 2] as number) << 8) | (bytes[j + 3] as number);
  }
  let last = 0;
  for (let j = full * 4, k = 24; j < len; j++, k -= 8) last |= (bytes[j] as number) << k;
  W[full] = last;
  W[full + 1] = 0;
  W[full + 2] = 0;
}

/** The 32 bits starting at bit `pos` of the loaded chunk (zeros past its end). */
function peek32(pos: number): number {
  const i = pos >>> 5;
  const s = pos & 31;
  if (s === 0) return (W[i] as number) >>> 0;
  return (((W[i] as number) << s) | ((W[i + 1] as number) >>> (32 - s))) >>> 0;
}

/** `n` (0..32) bits at `pos` as an unsigned integer. */
function read(pos: number, n: number): number {
  if (n === 0) return 0;
  return peek32(pos) >>> (32 - n);
}

/** Where decodeRange() left off: the next free index and the resume point it found, if any. */
export interface DecodeResult {
  at: number;
  /** State after the last sample before mint, when at least one sample was skipped. */
  resume: ChunkCursor | undefined;
}

/**
 * Writes the chunk's samples with mint <= t <= maxt into ts[at…] and the value words into
 * words[2*at…] (raw float64 bit halves, so NaN payloads survive). Starts at `from` when given (a
 * cursor of this chunk whose sample is before mint), else at the first sample. Values of skipped
 * samples are still tracked (the XOR chain needs them) but never written. Returns the next free
 * index; when `wantResume` is set and samples were skipped, also the cursor after the last one
 * (`from` itself when decoding skipped nothing past it).
 */
export function decodeRange(
  bytes: Uint8Array,
  owner: CursorOwner,
  mint: number,
  maxt: number,
  ts: Float64Array,
  words: Uint32Array,
  at: number,
  from: ChunkCursor | undefined,
  wantResume: boolean,
  out: DecodeResult,
): void {
  const len = bytes.length;
  if (len < 2) throw new RangeError(`chunk: ${len} bytes is too short for a header`);
  const count = chunkCount(bytes);
  const bitLen = len * 8;
  loadWords(bytes, len);
  let i: number;
  let pos: number;
  let t: number;
  let delta: number;
  let hi: number;
  let lo: number;
  let leading: number;
  let trailing: number;
  if (from !== undefined && from.owner === owner && from.n > 0 && from.n <= count && from.t < mint) {
    i = from.n;
    pos = from.bit;
    t = from.t;
    delta = from.delta;
    hi = from.hi;
    lo = from.lo;
    leading = from.leading;
    trailing = from.trailing;
  } else {
    if (count === 0) {
      out.at = at;
      out.resume = undefined;
      return;
    }
    if (bitLen < 16 + 128) corrupt();
    const th = read(16, 32) | 0;
    t = th * TWO32 + read(48, 32);
    hi = read(80, 32);
    lo = read(112, 32);
    pos = 144;
    i = 1;
    delta = 0;
    leading = 0;
    trailing = 0;
    if (t > maxt) {
      out.at = at;
      out.resume = undefined;
      return;
    }
    if (t >= mint) {
      ts[at] = t;
      words[2 * at + HI] = hi;
      words[2 * at + LO] = lo;
      at++;
    }
  }
  // State after the last skipped sample (t < mint), for the resume cursor.
  let skipped = t < mint;
  let rI = i;
  let rPos = pos;
  let rT = t;
  let rDelta = delta;
  let rHi = hi;
  let rLo = lo;
  let rLead = leading;
  let rTrail = trailing;
  for (; i < count; i++) {
    if (t < mint) {
      rI = i;
      rPos = pos;
      rT = t;
      rDelta = delta;
      rHi = hi;
      rLo = lo;
      rLead = leading;
      rTrail = trailing;
    }
    // Timestamp: delta of delta; control bits and payload usually lie within one 32-bit window,
    // and when the delta is unchanged (regular scrapes) the same window holds the value's control bits.
    let w = peek32(pos);
    if (w >>> 31 === 0) {
      pos += 1;
      w <<= 1;
    } else {
      if (w >>> 30 === 0b10) {
        const v = (w >>> 16) & 0x3fff;
        delta += v > 8192 ? v - 16384 : v;
        pos += 16;
      } else if (w >>> 29 === 0b110) {
        const v = (w >>> 12) & 0x1ffff;
        delta += v > 65536 ? v - 131072 : v;
        pos += 20;
      } else if (w >>> 28 === 0b1110) {
        const v = (w >>> 8) & 0xfffff;
        delta += v > 524288 ? v - 1048576 : v;
        pos += 24;
      } else {
        const h = peek32(pos + 4) | 0;
        delta += h * TWO32 + peek32(pos + 36);
        pos += 68;
      }
      w = peek32(pos);
    }
    t += delta;
    // Value: '0' same | '10' previous window | '11' new window (5b leading, 6b significant bits).
    // `w` holds (at least) the next 13 bits at its top.
    if (w >>> 31 !== 0) {
      if (w >>> 30 === 0b11) {
        leading = (w >>> 25) & 31;
        let sig = (w >>> 19) & 63;
        if (sig === 0) sig = 64;
        trailing = 64 - leading - sig;
        pos += 13;
      } else pos += 2;
      const sig = 64 - leading - trailing;
      let h: number;
      let l: number;
      if (sig > 32) {
        h = peek32(pos) >>> (64 - sig);
        l = peek32(pos + sig - 32);
      } else {
        h = 0;
        l = peek32(pos) >>> (32 - sig);
      }
      pos += sig;
      const s = trailing;
      if (s === 0) {
        hi = (hi ^ h) >>> 0;
        lo = (lo ^ l) >>> 0;
      } else if (s < 32) {
        hi = (hi ^ ((h << s) | (l >>> (32 - s)))) >>> 0;
        lo = (lo ^ (l << s)) >>> 0;
      } else {
        hi = (hi ^ (l << (s - 32))) >>> 0;
      }
    } else pos += 1;
    if (pos > bitLen) corrupt();
    if (t > maxt) break;
    if (t < mint) {
      skipped = true;
      continue;
    }
    ts[at] = t;
    words[2 * at + HI] = hi;
    words[2 * at + LO] = lo;
    at++;
  }
  out.at = at;
  // The loop records the state before each sample; the last skipped sample may be the chunk's last.
  if (t < mint) {
    rI = i;
    rPos = pos;
    rT = t;
    rDelta = delta;
    rHi = hi;
    rLo = lo;
    rLead = leading;
    rTrail = trailing;
  }
  if (!wantResume || !skipped) out.resume = undefined;
  else if (from !== undefined && from.owner === owner && from.n === rI) out.resume = from;
  else out.resume = { owner, n: rI, bit: rPos, t: rT, delta: rDelta, hi: rHi, lo: rLo, leading: rLead, trailing: rTrail };
}

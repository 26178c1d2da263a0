/**
 * Content-defined chunking compatible with restic's Rabin-fingerprint chunker (fact sheet §11).
 *
 * Dedup with restic (and parent matching of files) only works when every cut point is identical,
 * so the algorithm here follows the repository format exactly: 64-byte window, MinSize 512 KiB,
 * MaxSize 8 MiB, split mask 2^20-1, reset with a 0x01 byte and a skip of MinSize-64 unhashed bytes.
 *
 * The 53-bit digest is held in two 32-bit halves (hi: bits 32..52, lo: bits 0..31) because a JS
 * number loses bits after the `<< 8`; BigInt is only used to build the tables once per polynomial.
 */

/** restic's minimum chunk size (512 KiB). */
export const MIN_SIZE = 512 * 1024;
/** restic's maximum chunk size (8 MiB). */
export const MAX_SIZE = 8 * 1024 * 1024;
const WINDOW = 64;
const SPLIT_MASK = (1 << 20) - 1;

/** Degree of a GF(2) polynomial held in a bigint (-1 for zero). */
export function polDeg(p: bigint): number {
  return p === 0n ? -1 : p.toString(2).length - 1;
}

/** Remainder of x modulo p over GF(2). */
export function polMod(x: bigint, p: bigint): bigint {
  const dp = polDeg(p);
  let d = polDeg(x);
  while (d >= dp) {
    x ^= p << BigInt(d - dp);
    d = polDeg(x);
  }
  return x;
}

/** Per byte value b, four int32s: out[b] hi, out[b] lo, mod[b] hi, mod[b] lo. */
type Tables = Int32Array;

const tableCache = new Map<bigint, Tables>();

/** Parses a polynomial as written in the repository config (hex without `0x`) or passes a bigint through. */
export function parsePolynomial(pol: bigint | string): bigint {
  if (typeof pol === 'bigint') return pol;
  if (!/^(0x)?[0-9a-fA-F]{1,16}$/.test(pol))
    throw new Error(`invalid chunker polynomial ${JSON.stringify(pol)}`);
  return BigInt(pol.startsWith('0x') ? pol : `0x${pol}`);
}

function tablesFor(pol: bigint): Tables {
  const cached = tableCache.get(pol);
  if (cached) return cached;
  if (polDeg(pol) !== 53) throw new Error(`chunker polynomial must have degree 53, got ${polDeg(pol)}`);
  const t: Tables = new Int32Array(1024);
  for (let b = 0; b < 256; b++) {
    // Fingerprint of byte b followed by WINDOW-1 zero bytes: what leaves the digest when b slides out.
    let h = polMod(BigInt(b), pol);
    for (let i = 0; i < WINDOW - 1; i++) h = polMod(h << 8n, pol);
    t[b * 4] = Number(h >> 32n);
    t[b * 4 + 1] = Number(BigInt.asIntN(32, h));
    // Reduction of the 8 bits shifted above degree 53; `| b<<53` cancels those bits. They are
    // masked off in the hot loop anyway, so only the reduced part is stored.
    const m = polMod(BigInt(b) << 53n, pol);
    t[b * 4 + 2] = Number(m >> 32n);
    t[b * 4 + 3] = Number(BigInt.asIntN(32, m));
  }
  tableCache.set(pol, t);
  return t;
}

/**
 * Streaming chunker: feed the bytes of one file with {@link Chunker.push}, then call
 * {@link Chunker.finish}. Chunks are returned as whole Buffers (at most {@link MAX_SIZE} bytes).
 */
export class Chunker {
  private readonly t: Tables;
  private readonly win = new Uint8Array(WINDOW);
  private wpos = 0;
  private hi = 0;
  private lo = 0;
  /** Bytes in the current chunk so far. */
  private count = 0;
  /** Unhashed bytes still to skip at the start of the current chunk. */
  private pre = 0;
  private parts: Buffer[] = [];

  /** @param pol the repository's chunker polynomial (config `chunker_polynomial`). */
  constructor(pol: bigint | string) {
    this.t = tablesFor(parsePolynomial(pol));
    this.reset();
  }

  private reset(): void {
    this.win.fill(0);
    // Sliding in 0x01 on an all-zero state leaves digest 1, win[0] = 1, wpos 1 (restic's reset).
    this.win[0] = 1;
    this.wpos = 1;
    this.hi = 0;
    this.lo = 1;
    this.count = 0;
    this.pre = MIN_SIZE - WINDOW;
  }

  /** Feeds the next bytes of the file; returns the chunks completed by them (possibly none). */
  push(buf: Buffer): Buffer[] {
    const out: Buffer[] = [];
    const len = buf.length;
    let pos = 0;
    let start = 0;
    const T = this.t;
    const win = this.win;
    while (pos < len) {
      if (this.pre > 0) {
        const n = Math.min(this.pre, len - pos);
        this.pre -= n;
        this.count += n;
        pos += n;
        continue;
      }
      let hi = this.hi;
      let lo = this.lo;
      let wpos = this.wpos;
      let cut = -1;
      // Hot loops: all state in int32 locals, one interleaved table (out hi/lo, mod hi/lo per byte).
      // The loop bound enforces MAX_SIZE and the rare mask hit is checked against MIN_SIZE only
      // when it happens, so no per-byte counter is kept. The first WINDOW bytes of this buffer
      // slide out bytes from the saved window; after that the outgoing byte is buf[pos - WINDOW].
      const from = pos;
      const end = Math.min(len, pos + (MAX_SIZE - this.count));
      const minPos = from + (MIN_SIZE - this.count) - 1;
      const headEnd = Math.min(end, from + WINDOW);
      for (; pos < headEnd; pos++) {
        const x = buf[pos]!;
        const o = win[wpos]! << 2;
        win[wpos] = x;
        wpos = (wpos + 1) & (WINDOW - 1);
        hi ^= T[o]!;
        lo ^= T[o + 1]!;
        const idx = (hi >>> 13) << 2;
        hi = (((hi << 8) | (lo >>> 24)) & 0x1fffff) ^ T[idx + 2]!;
        lo = ((lo << 8) | x) ^ T[idx + 3]!;
        if ((lo & SPLIT_MASK) === 0 && pos >= minPos) {
          cut = ++pos;
          break;
        }
      }
      if (cut < 0) {
        for (; pos < end; pos++) {
          const x = buf[pos]!;
          const o = buf[pos - WINDOW]! << 2;
          hi ^= T[o]!;
          lo ^= T[o + 1]!;
          const idx = (hi >>> 13) << 2;
          hi = (((hi << 8) | (lo >>> 24)) & 0x1fffff) ^ T[idx + 2]!;
          lo = ((lo << 8) | x) ^ T[idx + 3]!;
          if ((lo & SPLIT_MASK) === 0 && pos >= minPos) {
            cut = ++pos;
            break;
          }
        }
        if (pos - from >= WINDOW) {
          // Save the last WINDOW bytes, oldest first, for the next buffer.
          win.set(buf.subarray(pos - WINDOW, pos));
          wpos = 0;
        }
      }
      this.count += pos - from;
      if (cut < 0 && this.count >= MAX_SIZE) cut = pos;
      this.hi = hi;
      this.lo = lo;
      this.wpos = wpos;
      if (cut >= 0) {
        pos = cut;
        this.parts.push(buf.subarray(start, cut));
        out.push(this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts));
        this.parts = [];
        start = cut;
        this.reset();
      }
    }
    if (start < len) this.parts.push(buf.subarray(start));
    return out;
  }

  /** Ends the file: returns the last chunk, or null when no bytes are pending (empty file). */
  finish(): Buffer | null {
    const rest =
      this.parts.length === 0 ? null : this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    this.parts = [];
    this.reset();
    return rest;
  }
}

/** Splits a stream of Buffers (e.g. a file read stream) into restic-compatible chunks. */
export async function* chunkStream(
  source: AsyncIterable<Buffer>,
  pol: bigint | string,
): AsyncGenerator<Buffer> {
  const c = new Chunker(pol);
  for await (const buf of source) {
    for (const chunk of c.push(buf)) yield chunk;
  }
  const last = c.finish();
  if (last) yield last;
}

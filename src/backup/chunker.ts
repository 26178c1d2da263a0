/**
 * Content-defined chunking compatible with restic's Rabin-fingerprint chunker (fact sheet §11).
 *
 * Dedup with restic (and parent matching of files) only works when every cut point is identical,
 * so the algorithm here follows the repository format exactly: 64-byte window, MinSize 512 KiB,
 * MaxSize 8 MiB, split mask 2^20-1, reset with a 0x01 byte and a skip of MinSize-64 unhashed bytes.
 *
 * The tables are built here (BigInt, once per polynomial); the per-byte loop is chunker.wat, where
 * the 53-bit digest fits one i64.
 */
import { WASM_BASE64 } from './chunker-wasm.js';

/** restic's minimum chunk size (512 KiB). */
export const MIN_SIZE = 512 * 1024;
/** restic's maximum chunk size (8 MiB). */
export const MAX_SIZE = 8 * 1024 * 1024;
const WINDOW = 64;

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

/** The part of the WebAssembly API used here (the project's type libraries do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

interface ScanExports {
  memory: { buffer: ArrayBuffer };
  scan(ptr: number, len: number, minIdx: number): number;
}

// Memory layout of chunker.wat.
const STATE_AT = 4096;
const STATE_SIZE = 76; // window (64), digest (i64), window position (i32)
const DATA_AT = 8192;
const DATA_MAX = 1024 * 1024;

/** This thread's instance of the scan loop, and the polynomial whose tables it holds. */
let wasm: { x: ScanExports; mem: Uint8Array; words: Uint32Array; pol: Tables | undefined } | undefined;

function scanner(t: Tables): { x: ScanExports; mem: Uint8Array } {
  if (!wasm) {
    const { Module, Instance } = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const x = new Instance(new Module(Buffer.from(WASM_BASE64, 'base64'))).exports as ScanExports;
    // The module never grows its memory, so these views stay valid.
    wasm = {
      x,
      mem: new Uint8Array(x.memory.buffer),
      words: new Uint32Array(x.memory.buffer),
      pol: undefined,
    };
  }
  if (wasm.pol !== t) {
    // i64 little-endian: low word first. out[b] at b*8, mod[b] at 2048 + b*8.
    for (let b = 0; b < 256; b++) {
      wasm.words[b * 2] = t[b * 4 + 1]! >>> 0;
      wasm.words[b * 2 + 1] = t[b * 4]! >>> 0;
      wasm.words[512 + b * 2] = t[b * 4 + 3]! >>> 0;
      wasm.words[512 + b * 2 + 1] = t[b * 4 + 2]! >>> 0;
    }
    wasm.pol = t;
  }
  return wasm;
}

/**
 * Streaming chunker: feed the bytes of one file with {@link Chunker.push}, then call
 * {@link Chunker.finish}. Chunks are returned as whole Buffers (at most {@link MAX_SIZE} bytes).
 * The per-byte loop runs in WebAssembly (chunker.wat); each chunker keeps its own window and digest,
 * so any number of them can take turns on one thread.
 */
export class Chunker {
  private readonly t: Tables;
  /** Window, digest and window position, laid out as chunker.wat keeps them. */
  private readonly state = new Uint8Array(STATE_SIZE);
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
    // Sliding in 0x01 on an all-zero state leaves digest 1, window[0] = 1, position 1 (restic's reset).
    this.state.fill(0);
    this.state[0] = 1;
    this.state[64] = 1;
    this.state[72] = 1;
    this.count = 0;
    this.pre = MIN_SIZE - WINDOW;
  }

  /** Feeds the next bytes of the file; returns the chunks completed by them (possibly none). */
  push(buf: Buffer): Buffer[] {
    const out: Buffer[] = [];
    const len = buf.length;
    let pos = 0;
    let start = 0;
    let loaded = false;
    const { x, mem } = scanner(this.t);
    while (pos < len) {
      if (this.pre > 0) {
        const n = Math.min(this.pre, len - pos);
        this.pre -= n;
        this.count += n;
        pos += n;
        continue;
      }
      if (!loaded) {
        mem.set(this.state, STATE_AT);
        loaded = true;
      }
      // The loop bound enforces MAX_SIZE; a cut is taken only at or after MIN_SIZE bytes.
      const from = pos;
      const end = Math.min(len, pos + (MAX_SIZE - this.count));
      const minPos = from + (MIN_SIZE - this.count) - 1;
      let cut = -1;
      while (pos < end) {
        const n = Math.min(end - pos, DATA_MAX);
        mem.set(buf.subarray(pos, pos + n), DATA_AT);
        const r = x.scan(DATA_AT, n, Math.max(0, minPos - pos));
        if (r >= 0) {
          cut = pos += r;
          break;
        }
        pos += n;
      }
      this.count += pos - from;
      if (cut < 0 && this.count >= MAX_SIZE) cut = pos;
      if (cut >= 0) {
        pos = cut;
        this.parts.push(buf.subarray(start, cut));
        out.push(this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts));
        this.parts = [];
        start = cut;
        this.reset();
        loaded = false;
      }
    }
    if (loaded) this.state.set(mem.subarray(STATE_AT, STATE_AT + STATE_SIZE));
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

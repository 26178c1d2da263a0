/**
 * Deterministic bytes for the benchmark dataset: a seeded PRNG, an AES-CTR keystream that can start at any
 * offset, prose-like and log-like text, and the byte stream of every kind of file the dataset holds.
 */
import { createCipheriv, createHash } from 'node:crypto';

const MiB = 1024 * 1024;

/** How a file's bytes are made. */
export type FileKind =
  'text' | 'random' | 'large-random' | 'large-text' | 'large-repeat' | 'large-zeros' | 'large-shifted';

/** sfc32: small, fast, seedable PRNG (32-bit state words). */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(label: string) {
    const h = createHash('sha256').update(label).digest();
    this.a = h.readUInt32LE(0);
    this.b = h.readUInt32LE(4);
    this.c = h.readUInt32LE(8);
    this.d = h.readUInt32LE(12);
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Next 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Integer in [lo, hi). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo));
  }
}

/** `len` bytes of the deterministic random stream `label`, starting at byte `offset` (AES-256-CTR keystream). */
export function randomBytesAt(label: string, offset: number, len: number): Buffer {
  const key = createHash('sha256').update(`bench-random:${label}`).digest();
  const block = Math.floor(offset / 16);
  const skip = offset % 16;
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(Math.floor(block / 2 ** 32), 8);
  iv.writeUInt32BE(block % 2 ** 32, 12);
  const c = createCipheriv('aes-256-ctr', key, iv);
  const out = c.update(Buffer.alloc(len + skip));
  c.final();
  return out.subarray(skip);
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ru',
  'sa',
  'te',
  'vo',
  'zi',
  'pe',
  'da',
  'fu',
  'go',
  'hi',
  'ju',
  'ba',
  'ce',
  'xo',
  'qu',
  'wy',
];
const VOCAB: string[] = (() => {
  const r = new Rng('vocabulary');
  const words: string[] = [];
  for (let i = 0; i < 4096; i++) {
    const n = r.int(1, 5);
    let w = '';
    for (let j = 0; j < n; j++) w += SYLLABLES[r.int(0, SYLLABLES.length)]!;
    words.push(w);
  }
  return words;
})();
const LEVELS = ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR'];

/** Prose-like text (Zipf-ish word choice): compresses about 3-4x with zstd. */
export function proseText(r: Rng, len: number): Buffer {
  const parts: string[] = [];
  let n = 0;
  while (n < len) {
    let line = '';
    const words = r.int(6, 18);
    for (let i = 0; i < words; i++) {
      const u = r.next();
      line += (i ? ' ' : '') + VOCAB[Math.floor(u * u * u * VOCAB.length)]!;
    }
    line += r.next() < 0.1 ? '.\n\n' : '.\n';
    parts.push(line);
    n += line.length;
  }
  return Buffer.from(parts.join(''), 'latin1').subarray(0, len);
}

/** Log lines with timestamps and ids: compresses about 4-6x with zstd. */
export function logText(r: Rng, startLine: number, len: number): Buffer {
  const parts: string[] = [];
  let n = 0;
  let line = startLine;
  while (n < len) {
    const ts = new Date(Date.UTC(2026, 0, 1) + line * 37).toISOString();
    const words = r.int(3, 9);
    let msg = '';
    for (let i = 0; i < words; i++) msg += ' ' + VOCAB[Math.floor(r.next() ** 2 * 512)]!;
    const s = `${ts} host-${r.int(0, 32)} svc-${VOCAB[r.int(0, 24)]!}[${r.int(1000, 1100)}]: ${LEVELS[r.int(0, LEVELS.length)]!} req=${r.u32().toString(16)} status=${r.next() < 0.9 ? 200 : 500} ms=${r.int(1, 900)}${msg}\n`;
    parts.push(s);
    n += s.length;
    line++;
  }
  return Buffer.from(parts.join(''), 'latin1').subarray(0, len);
}

const PIECE = 4 * MiB;

/** The bytes of a file, in pieces of at most 4 MiB (large files are never held whole). */
export function* fileBytes(
  seed: number,
  f: { kind: FileKind; size: number; content: string },
): Generator<Buffer> {
  const label = `${seed}:${f.content}`;
  switch (f.kind) {
    case 'random':
      yield randomBytesAt(label, 0, f.size);
      return;
    case 'text':
      yield proseText(new Rng(label), f.size);
      return;
    case 'large-random':
      for (let o = 0; o < f.size; o += PIECE) yield randomBytesAt(label, o, Math.min(PIECE, f.size - o));
      return;
    case 'large-text': {
      const r = new Rng(label);
      let line = 0;
      for (let o = 0; o < f.size; o += PIECE) {
        yield logText(r, line, Math.min(PIECE, f.size - o));
        line += 40_000;
      }
      return;
    }
    case 'large-repeat': {
      // A 16 MiB region that recurs three times, with fresh random data between the copies.
      const region = randomBytesAt(`${label}:region`, 0, 16 * MiB);
      for (let o = 0; o < f.size; o += PIECE) {
        const len = Math.min(PIECE, f.size - o);
        const slot = Math.floor(o / (16 * MiB));
        const inRegion = slot % 2 === 0 && slot <= 4;
        yield inRegion
          ? region.subarray(o % (16 * MiB), (o % (16 * MiB)) + len)
          : randomBytesAt(label, o, len);
      }
      return;
    }
    case 'large-zeros':
      // 8 MiB random, 8 MiB zeros, alternating (zero runs chunk into 512 KiB blobs and dedup to one).
      for (let o = 0; o < f.size; o += PIECE) {
        const len = Math.min(PIECE, f.size - o);
        yield Math.floor(o / (8 * MiB)) % 2 === 0 ? randomBytesAt(label, o, len) : Buffer.alloc(len);
      }
      return;
    case 'large-shifted': {
      // The stream of `content` (a large-random file) with 1 MiB of new bytes inserted at 40 %:
      // content-defined chunking should dedup everything but the chunks around the insertion.
      const base = `${seed}:${f.content.replace(/#shifted$/, '')}`;
      const at = Math.floor((f.size * 0.4) / PIECE) * PIECE;
      for (let o = 0; o < f.size; o += PIECE) {
        const len = Math.min(PIECE, f.size - o);
        if (o < at) yield randomBytesAt(base, o, len);
        else if (o > at) yield randomBytesAt(base, o - MiB, len);
        else {
          yield randomBytesAt(`${label}:insert`, 0, Math.min(MiB, len));
          if (len > MiB) yield randomBytesAt(base, at, len - MiB);
        }
      }
      return;
    }
  }
}

/**
 * A small streaming ZIP writer: entries go out one after another as their bytes arrive (deflated by
 * node:zlib, CRC-32 by zlib.crc32, sizes in a data descriptor after the data), so memory does not grow with
 * the size of what is zipped. The central directory, which grows with the number of entries, is kept in
 * memory up to a few MiB and spilled to a temporary file beyond. ZIP64 for entries of 4 GiB or more, offsets
 * past 4 GiB and more than 65,535 entries; names are UTF-8 (flag bit 11), modification times exact to the
 * second in an extended-timestamp field besides the DOS date.
 */
import { type FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { constants, crc32, createDeflateRaw } from 'node:zlib';

/** One entry: a folder (no data) or a file whose bytes `data` yields. */
export interface ZipEntry {
  /** The path in the archive, `/`-separated, without a leading `/` (folders may end with `/`). */
  name: string;
  type: 'dir' | 'file';
  mtime: Date;
  /** Unix permission bits (0o644); defaults by type. */
  mode?: number;
  /** The file's size as far as known: at 4 GiB or more the entry is ZIP64 from its local header on. */
  size?: number;
  data?: () => AsyncIterable<Buffer> | Iterable<Buffer>;
}

/** Options of {@link zipStream}. */
export interface ZipOptions {
  /** zlib level (default 1: fast; backups are often already compressed). */
  level?: number;
  /** Central directory bytes kept in memory before spilling to a temporary file (default 4 MiB). */
  spillAt?: number;
}

const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
/** Declared sizes from here on get ZIP64 fields: deflate may grow incompressible data a little. */
const ZIP64_FROM = MAX32 - 64 * 1024 * 1024;
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
const MADE_BY = (3 << 8) | 45; // Unix, ZIP 4.5

/** DOS date and time (local time, 2-second steps; clamped to 1980–2107). */
function dosDateTime(d: Date): { date: number; time: number } {
  const year = Math.min(Math.max(d.getFullYear(), 1980), 2107);
  if (d.getFullYear() < 1980) return { date: (0 << 9) | (1 << 5) | 1, time: 0 };
  return {
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
  };
}

/** The extended timestamp field (0x5455) with the modification time, in Unix seconds (clamped to 32 bits). */
function extTime(d: Date): Buffer {
  const b = Buffer.alloc(9);
  b.writeUInt16LE(0x5455, 0);
  b.writeUInt16LE(5, 2);
  b.writeUInt8(1, 4);
  const s = Math.floor(d.getTime() / 1000);
  b.writeInt32LE(Math.min(Math.max(Number.isFinite(s) ? s : 0, -(2 ** 31)), 2 ** 31 - 1), 5);
  return b;
}

/** A ZIP64 extended information field holding the given 8-byte values. */
function zip64Extra(values: number[]): Buffer {
  const b = Buffer.alloc(4 + 8 * values.length);
  b.writeUInt16LE(0x0001, 0);
  b.writeUInt16LE(8 * values.length, 2);
  values.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
  return b;
}

/** What the central directory needs of a written entry. */
interface Written {
  name: Buffer;
  method: number;
  flags: number;
  dos: { date: number; time: number };
  crc: number;
  csize: number;
  usize: number;
  offset: number;
  external: number;
  ext: Buffer;
  zip64: boolean;
}

function localHeader(w: Omit<Written, 'crc' | 'csize' | 'usize' | 'offset' | 'external'>): Buffer {
  const extra = Buffer.concat(w.zip64 ? [zip64Extra([0, 0]), w.ext] : [w.ext]);
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(w.zip64 ? 45 : 20, 4);
  h.writeUInt16LE(w.flags, 6);
  h.writeUInt16LE(w.method, 8);
  h.writeUInt16LE(w.dos.time, 10);
  h.writeUInt16LE(w.dos.date, 12);
  // CRC-32 and sizes: 0 for folders; for files they follow the data (data descriptor).
  h.writeUInt32LE(w.zip64 ? MAX32 : 0, 18);
  h.writeUInt32LE(w.zip64 ? MAX32 : 0, 22);
  h.writeUInt16LE(w.name.length, 26);
  h.writeUInt16LE(extra.length, 28);
  return Buffer.concat([h, w.name, extra]);
}

function descriptor(crc: number, csize: number, usize: number, zip64: boolean): Buffer {
  const b = Buffer.alloc(zip64 ? 24 : 16);
  b.writeUInt32LE(0x08074b50, 0);
  b.writeUInt32LE(crc, 4);
  if (zip64) {
    b.writeBigUInt64LE(BigInt(csize), 8);
    b.writeBigUInt64LE(BigInt(usize), 16);
  } else {
    b.writeUInt32LE(csize, 8);
    b.writeUInt32LE(usize, 12);
  }
  return b;
}

function centralRecord(w: Written): Buffer {
  const big = w.zip64 || w.csize >= MAX32 || w.usize >= MAX32;
  const farOffset = w.offset >= MAX32;
  const values = [...(big ? [w.usize, w.csize] : []), ...(farOffset ? [w.offset] : [])];
  const extra = Buffer.concat(values.length > 0 ? [zip64Extra(values), w.ext] : [w.ext]);
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE(MADE_BY, 4);
  h.writeUInt16LE(values.length > 0 || w.zip64 ? 45 : 20, 6);
  h.writeUInt16LE(w.flags, 8);
  h.writeUInt16LE(w.method, 10);
  h.writeUInt16LE(w.dos.time, 12);
  h.writeUInt16LE(w.dos.date, 14);
  h.writeUInt32LE(w.crc, 16);
  h.writeUInt32LE(big ? MAX32 : w.csize, 20);
  h.writeUInt32LE(big ? MAX32 : w.usize, 24);
  h.writeUInt16LE(w.name.length, 28);
  h.writeUInt16LE(extra.length, 30);
  // comment length, disk number start, internal attributes: 0
  h.writeUInt32LE(w.external >>> 0, 38);
  h.writeUInt32LE(farOffset ? MAX32 : w.offset, 42);
  return Buffer.concat([h, w.name, extra]);
}

function endRecords(entries: number, cdOffset: number, cdSize: number): Buffer {
  const parts: Buffer[] = [];
  if (entries > MAX16 || cdOffset >= MAX32 || cdSize >= MAX32) {
    const z = Buffer.alloc(56);
    z.writeUInt32LE(0x06064b50, 0);
    z.writeBigUInt64LE(44n, 4);
    z.writeUInt16LE(MADE_BY, 12);
    z.writeUInt16LE(45, 14);
    z.writeBigUInt64LE(BigInt(entries), 24);
    z.writeBigUInt64LE(BigInt(entries), 32);
    z.writeBigUInt64LE(BigInt(cdSize), 40);
    z.writeBigUInt64LE(BigInt(cdOffset), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeBigUInt64LE(BigInt(cdOffset + cdSize), 8);
    loc.writeUInt32LE(1, 16);
    parts.push(z, loc);
  }
  const e = Buffer.alloc(22);
  e.writeUInt32LE(0x06054b50, 0);
  e.writeUInt16LE(Math.min(entries, MAX16), 8);
  e.writeUInt16LE(Math.min(entries, MAX16), 10);
  e.writeUInt32LE(Math.min(cdSize, MAX32), 12);
  e.writeUInt32LE(Math.min(cdOffset, MAX32), 16);
  parts.push(e);
  return Buffer.concat(parts);
}

/** The central directory as it grows: in memory, then in a temporary file past `spillAt` bytes. */
class CentralDirectory {
  private mem: Buffer[] = [];
  private memSize = 0;
  private file: { dir: string; fh: FileHandle } | undefined;
  size = 0;
  count = 0;

  constructor(private readonly spillAt: number) {}

  async add(record: Buffer): Promise<void> {
    this.mem.push(record);
    this.memSize += record.length;
    this.size += record.length;
    this.count++;
    if (this.memSize >= this.spillAt) await this.spill();
  }

  private async spill(): Promise<void> {
    if (!this.file) {
      const dir = await mkdtemp(join(tmpdir(), 'steward-zip-'));
      this.file = { dir, fh: await open(join(dir, 'central'), 'w+', 0o600) };
    }
    await this.file.fh.write(Buffer.concat(this.mem, this.memSize));
    this.mem = [];
    this.memSize = 0;
  }

  /** The whole directory, in order, in chunks. */
  async *read(): AsyncGenerator<Buffer> {
    if (this.file) {
      const buf = Buffer.alloc(1024 * 1024);
      for (let pos = 0; ;) {
        const { bytesRead } = await this.file.fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) break;
        pos += bytesRead;
        yield Buffer.from(buf.subarray(0, bytesRead));
      }
    }
    yield* this.mem;
  }

  async close(): Promise<void> {
    if (!this.file) return;
    await this.file.fh.close().catch(() => undefined);
    await rm(this.file.dir, { recursive: true, force: true });
    this.file = undefined;
  }
}

/** Deflates `src` as it is read, reporting each input chunk to `seen` (for the CRC and the size). */
function deflated(
  src: AsyncIterable<Buffer> | Iterable<Buffer>,
  seen: (b: Buffer) => void,
  level: number,
): Readable {
  async function* counted() {
    for await (const b of src) {
      seen(b);
      yield b;
    }
  }
  // pipeline: an error on either side destroys both, and ending the reader early stops the source.
  return pipeline(Readable.from(counted()), createDeflateRaw({ level }), () => undefined);
}

/**
 * The ZIP archive of `entries`, as it is written: read it as a stream (backpressure reaches the entries'
 * data). An entry whose data fails ends the archive with that error.
 */
export async function* zipStream(
  entries: AsyncIterable<ZipEntry> | Iterable<ZipEntry>,
  opts: ZipOptions = {},
): AsyncGenerator<Buffer> {
  const level = opts.level ?? constants.Z_BEST_SPEED;
  const central = new CentralDirectory(opts.spillAt ?? 4 * 1024 * 1024);
  let offset = 0;
  try {
    for await (const e of entries) {
      const isDir = e.type === 'dir';
      const name = Buffer.from(isDir && !e.name.endsWith('/') ? `${e.name}/` : e.name, 'utf8');
      const head = {
        name,
        method: isDir ? 0 : 8,
        flags: FLAG_UTF8 | (isDir ? 0 : FLAG_DESCRIPTOR),
        dos: dosDateTime(e.mtime),
        ext: extTime(e.mtime),
        zip64: !isDir && (e.size ?? 0) >= ZIP64_FROM,
      };
      const start = offset;
      const local = localHeader(head);
      yield local;
      offset += local.length;
      let crc = 0;
      let usize = 0;
      let csize = 0;
      if (!isDir) {
        const out = deflated(
          e.data?.() ?? [],
          (b) => {
            crc = crc32(b, crc);
            usize += b.length;
          },
          level,
        );
        for await (const chunk of out as AsyncIterable<Buffer>) {
          csize += chunk.length;
          yield chunk;
        }
        const zip64 = head.zip64 || csize >= MAX32 || usize >= MAX32;
        if (zip64 && !head.zip64)
          throw new Error(`${e.name} grew past 4 GiB beyond its declared size: the archive cannot hold it`);
        const desc = descriptor(crc, csize, usize, head.zip64);
        yield desc;
        offset += csize + desc.length;
      }
      const perm = (e.mode ?? (isDir ? 0o755 : 0o644)) & 0o7777;
      const external = isDir ? (((0o040000 | perm) << 16) | 0x10) >>> 0 : ((0o100000 | perm) << 16) >>> 0;
      await central.add(centralRecord({ ...head, crc, csize, usize, offset: start, external }));
    }
    const cdOffset = offset;
    for await (const chunk of central.read()) yield chunk;
    yield endRecords(central.count, cdOffset, central.size);
  } finally {
    await central.close();
  }
}

/** Streams `entries` as a ZIP into a Readable (for an HTTP reply). */
export function zipReadable(
  entries: AsyncIterable<ZipEntry> | Iterable<ZipEntry>,
  opts?: ZipOptions,
): Readable {
  return Readable.from(zipStream(entries, opts), { objectMode: false });
}

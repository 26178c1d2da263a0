/**
 * A small, strict zip reader over a file: the central directory (zip64 too, as OSV's `all.zip` of a large
 * ecosystem needs) and each entry stored or deflated, inflated with node:zlib and checked against its CRC-32.
 * Enough for OSV's archives; no encryption, no multi-disk archives.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { crc32, inflateRawSync } from 'node:zlib';

/** One file in a zip archive. */
export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** Thrown for a file that is not a zip archive Steward can read. */
export class ZipError extends Error {}

async function readAt(fh: FileHandle, pos: number, len: number): Promise<Buffer> {
  const buf = Buffer.alloc(len);
  const { bytesRead } = await fh.read(buf, 0, len, pos);
  if (bytesRead !== len) throw new ZipError('the zip archive is truncated');
  return buf;
}

/** Where the central directory is and how many entries it has (from the end records, zip64 if present). */
async function endRecord(fh: FileHandle, size: number) {
  const tailLen = Math.min(size, 22 + 65_535);
  const tail = await readAt(fh, size - tailLen, tailLen);
  let at = -1;
  for (let i = tailLen - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new ZipError('not a zip archive (no end of central directory)');
  let count = tail.readUInt16LE(at + 10);
  let dirSize = tail.readUInt32LE(at + 12);
  let dirOffset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || dirOffset === 0xffffffff || dirSize === 0xffffffff) {
    const locAt = size - tailLen + at - 20;
    const loc = await readAt(fh, locAt, 20);
    if (loc.readUInt32LE(0) !== 0x07064b50) throw new ZipError('a zip64 archive without its locator');
    const rec = await readAt(fh, Number(loc.readBigUInt64LE(8)), 56);
    if (rec.readUInt32LE(0) !== 0x06064b50) throw new ZipError('a bad zip64 end record');
    count = Number(rec.readBigUInt64LE(32));
    dirSize = Number(rec.readBigUInt64LE(40));
    dirOffset = Number(rec.readBigUInt64LE(48));
  }
  if (dirOffset + dirSize > size) throw new ZipError('the central directory lies outside the file');
  return { count, dirSize, dirOffset };
}

/** Reads a zip64 extra field's sizes and offset where the central record says 0xffffffff. */
function zip64(extra: Buffer, e: ZipEntry): void {
  for (let i = 0; i + 4 <= extra.length;) {
    const id = extra.readUInt16LE(i);
    const len = extra.readUInt16LE(i + 2);
    if (id === 0x0001) {
      let p = i + 4;
      const next = () => {
        if (p + 8 > i + 4 + len) throw new ZipError('a bad zip64 extra field');
        const v = Number(extra.readBigUInt64LE(p));
        p += 8;
        return v;
      };
      if (e.size === 0xffffffff) e.size = next();
      if (e.compressedSize === 0xffffffff) e.compressedSize = next();
      if (e.localOffset === 0xffffffff) e.localOffset = next();
      return;
    }
    i += 4 + len;
  }
}

/** The entries of a zip archive. */
export async function zipEntries(fh: FileHandle): Promise<ZipEntry[]> {
  const { size } = await fh.stat();
  const { count, dirSize, dirOffset } = await endRecord(fh, size);
  const dir = await readAt(fh, dirOffset, dirSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > dir.length || dir.readUInt32LE(p) !== 0x02014b50) {
      throw new ZipError('a bad central directory record');
    }
    const nameLen = dir.readUInt16LE(p + 28);
    const extraLen = dir.readUInt16LE(p + 30);
    const commentLen = dir.readUInt16LE(p + 32);
    const e: ZipEntry = {
      name: dir.toString('utf8', p + 46, p + 46 + nameLen),
      method: dir.readUInt16LE(p + 10),
      crc: dir.readUInt32LE(p + 16),
      compressedSize: dir.readUInt32LE(p + 20),
      size: dir.readUInt32LE(p + 24),
      localOffset: dir.readUInt32LE(p + 42),
    };
    if (dir.readUInt16LE(p + 8) & 1) throw new ZipError(`${e.name}: encrypted entries are not supported`);
    zip64(dir.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen), e);
    entries.push(e);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** The bytes of one entry, inflated and checked; refused over `maxBytes`. */
export async function readEntry(fh: FileHandle, e: ZipEntry, maxBytes: number): Promise<Buffer> {
  if (e.size > maxBytes) throw new ZipError(`${e.name}: larger than ${maxBytes} bytes`);
  const local = await readAt(fh, e.localOffset, 30);
  if (local.readUInt32LE(0) !== 0x04034b50) throw new ZipError(`${e.name}: a bad local header`);
  const start = e.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  const raw = await readAt(fh, start, e.compressedSize);
  let data: Buffer;
  if (e.method === 0) data = raw;
  else if (e.method === 8) {
    try {
      data = inflateRawSync(raw, { maxOutputLength: maxBytes + 1 });
    } catch {
      throw new ZipError(`${e.name}: the compressed data is damaged`);
    }
  } else throw new ZipError(`${e.name}: compression method ${e.method} is not supported`);
  if (data.length !== e.size || crc32(data) >>> 0 !== e.crc) {
    throw new ZipError(`${e.name}: the data does not match its checksum`);
  }
  return data;
}

/** Opens a zip file for {@link zipEntries} and {@link readEntry}. */
export const openZip = (path: string) => open(path, 'r');

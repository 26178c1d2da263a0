/**
 * `dump --archive zip`: a folder as a zip archive laid out byte for byte as restic 0.14 writes it with Go's
 * archive/zip: entries stored (not compressed) in tree order, named by their snapshot path without the leading
 * `/` (folders end with `/`), Unix mode in the external attributes, the mtime as a DOS date in the zone the
 * snapshot recorded plus an extended-timestamp field, sizes and CRC-32 in a data descriptor after each file's
 * data (ZIP64 sizes from 4 GiB), a symlink stored as a file holding its target.
 */
import { crc32 } from 'node:zlib';
import { checkedContents, dumpEntries } from './dump.js';
import type { DumpTarget } from './dump.js';
import type { Repository } from './repository.js';
import { linkTargetBytes, MODE } from './tree.js';
import type { Node } from './tree.js';

const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
const VERSION_20 = 20;
const VERSION_45 = 45;
const CREATOR_UNIX = 3 << 8;

/** What the central directory needs of a written entry. */
interface Entry {
  name: Buffer;
  flags: number;
  readerVersion: number;
  time: number;
  date: number;
  crc: number;
  size: number;
  offset: number;
  externalAttrs: number;
  extra: Buffer;
}

/** Go's detectUTF8 for a name: does it need the UTF-8 flag (a byte outside 0x20–0x7d, or `\`), and is it valid? */
function needsUtf8Flag(name: Buffer): boolean {
  const valid = Buffer.from(name.toString('utf8'), 'utf8').equals(name);
  return valid && name.some((c) => c < 0x20 || c > 0x7d || c === 0x5c);
}

/** The mtime in whole seconds since the epoch (Go's Unix(): rounded down). */
function unixSeconds(node: Node): bigint {
  const ns = node.mtime.ns;
  const s = ns / 1_000_000_000n;
  return ns < 0n && s * 1_000_000_000n !== ns ? s - 1n : s;
}

/** Go's timeToMsDosTime on the wall clock of the recorded zone (uint16 wrap-around as Go). */
function dosDateTime(node: Node): { date: number; time: number } {
  const d = new Date(Number(unixSeconds(node) + BigInt(node.mtime.offset)) * 1000);
  return {
    date: (d.getUTCDate() + ((d.getUTCMonth() + 1) << 5) + ((d.getUTCFullYear() - 1980) << 9)) & MAX16,
    time: ((d.getUTCSeconds() >> 1) + (d.getUTCMinutes() << 5) + (d.getUTCHours() << 11)) & MAX16,
  };
}

/** The extended timestamp field (0x5455): the mtime in Unix seconds, as uint32. */
function extTime(node: Node): Buffer {
  const floor = unixSeconds(node);
  const b = Buffer.alloc(9);
  b.writeUInt16LE(0x5455, 0);
  b.writeUInt16LE(5, 2);
  b.writeUInt8(1, 4);
  b.writeUInt32LE(Number(BigInt.asUintN(32, floor)), 5);
  return b;
}

/** Go's FileHeader.SetMode: Unix mode bits in the high half, MS-DOS folder and read-only bits in the low. */
function externalAttrs(node: Node): number {
  const m = node.mode ?? 0;
  let unix = 0o100000;
  if (m & MODE.dir) unix = 0o040000;
  else if (m & MODE.symlink) unix = 0o120000;
  else if (m & MODE.namedPipe) unix = 0o010000;
  else if (m & MODE.socket) unix = 0o140000;
  else if (m & MODE.device) unix = m & MODE.charDevice ? 0o020000 : 0o060000;
  if (m & MODE.setuid) unix |= 0o4000;
  if (m & MODE.setgid) unix |= 0o2000;
  if (m & MODE.sticky) unix |= 0o1000;
  unix |= m & 0o777;
  let attrs = unix * 0x10000;
  if (m & MODE.dir) attrs += 0x10;
  if ((m & 0o200) === 0) attrs += 0x01;
  return attrs;
}

function localHeader(e: Entry, method: number): Buffer {
  const b = Buffer.alloc(30);
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(VERSION_20, 4);
  b.writeUInt16LE(e.flags, 6);
  b.writeUInt16LE(method, 8);
  b.writeUInt16LE(e.time, 10);
  b.writeUInt16LE(e.date, 12);
  b.writeUInt16LE(e.name.length, 26);
  b.writeUInt16LE(e.extra.length, 28);
  return Buffer.concat([b, e.name, e.extra]);
}

function dataDescriptor(e: Entry): Buffer {
  const zip64 = e.size >= MAX32;
  const b = Buffer.alloc(zip64 ? 24 : 16);
  b.writeUInt32LE(0x08074b50, 0);
  b.writeUInt32LE(e.crc, 4);
  if (zip64) {
    b.writeBigUInt64LE(BigInt(e.size), 8);
    b.writeBigUInt64LE(BigInt(e.size), 16);
  } else {
    b.writeUInt32LE(e.size, 8);
    b.writeUInt32LE(e.size, 12);
  }
  return b;
}

function centralHeader(e: Entry): Buffer {
  const b = Buffer.alloc(46);
  let extra = e.extra;
  const zip64 = e.size >= MAX32 || e.offset >= MAX32;
  b.writeUInt32LE(0x02014b50, 0);
  b.writeUInt16LE(CREATOR_UNIX | VERSION_20, 4);
  b.writeUInt16LE(e.readerVersion, 6);
  b.writeUInt16LE(e.flags, 8);
  b.writeUInt16LE(0, 10);
  b.writeUInt16LE(e.time, 12);
  b.writeUInt16LE(e.date, 14);
  b.writeUInt32LE(e.crc, 16);
  if (zip64) {
    b.writeUInt32LE(MAX32, 20);
    b.writeUInt32LE(MAX32, 24);
    const z = Buffer.alloc(28);
    z.writeUInt16LE(0x0001, 0);
    z.writeUInt16LE(24, 2);
    z.writeBigUInt64LE(BigInt(e.size), 4);
    z.writeBigUInt64LE(BigInt(e.size), 12);
    z.writeBigUInt64LE(BigInt(e.offset), 20);
    extra = Buffer.concat([extra, z]);
  } else {
    b.writeUInt32LE(e.size, 20);
    b.writeUInt32LE(e.size, 24);
  }
  b.writeUInt16LE(e.name.length, 28);
  b.writeUInt16LE(extra.length, 30);
  b.writeUInt32LE(e.externalAttrs >>> 0, 38);
  b.writeUInt32LE(Math.min(e.offset, MAX32), 42);
  return Buffer.concat([b, e.name, extra]);
}

/** The end records: ZIP64 ones first when the entry count, directory size or offset needs them. */
function endRecords(count: number, start: number, end: number): Buffer {
  const size = end - start;
  const parts: Buffer[] = [];
  let [records, dirSize, dirOffset] = [count, size, start];
  if (count >= MAX16 || size >= MAX32 || start >= MAX32) {
    const z = Buffer.alloc(56 + 20);
    z.writeUInt32LE(0x06064b50, 0);
    z.writeBigUInt64LE(44n, 4);
    z.writeUInt16LE(VERSION_45, 12);
    z.writeUInt16LE(VERSION_45, 14);
    z.writeBigUInt64LE(BigInt(count), 24);
    z.writeBigUInt64LE(BigInt(count), 32);
    z.writeBigUInt64LE(BigInt(size), 40);
    z.writeBigUInt64LE(BigInt(start), 48);
    z.writeUInt32LE(0x07064b50, 56);
    z.writeBigUInt64LE(BigInt(end), 64);
    z.writeUInt32LE(1, 72);
    parts.push(z);
    [records, dirSize, dirOffset] = [MAX16, MAX32, MAX32];
  }
  const b = Buffer.alloc(22);
  b.writeUInt32LE(0x06054b50, 0);
  b.writeUInt16LE(records, 8);
  b.writeUInt16LE(records, 10);
  b.writeUInt32LE(dirSize, 12);
  b.writeUInt32LE(dirOffset, 16);
  parts.push(b);
  return Buffer.concat(parts);
}

/** Yields a zip archive of everything below the target folder (the root: the whole snapshot), in tree order. */
export async function* dumpZip(repo: Repository, target: DumpTarget): AsyncGenerator<Buffer> {
  const written: Entry[] = [];
  let offset = 0;
  for await (const { node, name: path } of dumpEntries(repo, target)) {
    const dir = node.type === 'dir';
    const name = dir ? Buffer.concat([path, Buffer.from('/')]) : path;
    const e: Entry = {
      name,
      flags: (needsUtf8Flag(name) ? FLAG_UTF8 : 0) | (dir ? 0 : FLAG_DESCRIPTOR),
      readerVersion: VERSION_20,
      ...dosDateTime(node),
      crc: 0,
      size: 0,
      offset,
      externalAttrs: externalAttrs(node),
      extra: extTime(node),
    };
    const header = localHeader(e, 0);
    offset += header.length;
    yield header;
    if (!dir) {
      const data =
        node.type === 'symlink'
          ? [linkTargetBytes(node)]
          : node.type === 'file'
            ? checkedContents(repo, node, path)
            : [];
      for await (const chunk of data) {
        e.crc = crc32(chunk, e.crc);
        e.size += chunk.length;
        offset += chunk.length;
        yield chunk;
      }
      if (e.size >= MAX32) e.readerVersion = VERSION_45;
      const dd = dataDescriptor(e);
      offset += dd.length;
      yield dd;
    }
    written.push(e);
  }
  const start = offset;
  for (const e of written) {
    const c = centralHeader(e);
    offset += c.length;
    yield c;
  }
  yield endRecords(written.length, start, offset);
}

/**
 * Pack files: Blob1 || ... || BlobN || EncryptedHeader || u32le(len(EncryptedHeader)).
 * Header entries: type(1) u32le length id(32) = 37 bytes, or for compressed blobs type(1) u32le length
 * u32le uncompressed_length id(32) = 41 bytes. Offsets are implicit (running sum from 0).
 */
import type { Backend } from './backend/backend.js';
import { CRYPTO_OVERHEAD, decrypt, encrypt, type MasterKey } from './crypto.js';
import { FormatError } from './errors.js';

/** Blob kinds. */
export type BlobType = 'data' | 'tree';

/** One blob of a pack, as the header (and the index) describes it. */
export interface PackedBlob {
  type: BlobType;
  /** 64-hex id: sha256 of the uncompressed plaintext. */
  id: string;
  /** Byte offset of the encrypted blob in the pack. */
  offset: number;
  /** Encrypted length (IV + ct + MAC). */
  length: number;
  /** Plaintext length before compression; present only for compressed blobs. */
  uncompressedLength?: number;
}

/** Size of a header entry of an uncompressed blob. */
export const ENTRY_SIZE = 37;
/** Size of a header entry of a compressed blob. */
export const COMPRESSED_ENTRY_SIZE = 41;
/** Largest encrypted header restic accepts. */
export const MAX_HEADER_SIZE = 16 * 1024 * 1024;
// restic reads this much of the tail at once, to get the header in one request most of the time.
const EAGER_ENTRIES = 15;

/** Size of a header entry for a blob. */
export function entrySize(b: Pick<PackedBlob, 'uncompressedLength'>): number {
  return b.uncompressedLength === undefined ? ENTRY_SIZE : COMPRESSED_ENTRY_SIZE;
}

/** The plaintext header for the blobs of a pack, in pack order (offsets are not stored). */
export function encodePackHeader(
  blobs: readonly Pick<PackedBlob, 'type' | 'id' | 'length' | 'uncompressedLength'>[],
): Buffer {
  let size = 0;
  for (const b of blobs) size += entrySize(b);
  const out = Buffer.allocUnsafe(size);
  let o = 0;
  for (const b of blobs) {
    const compressed = b.uncompressedLength !== undefined;
    out[o] = (b.type === 'tree' ? 1 : 0) + (compressed ? 2 : 0);
    out.writeUInt32LE(b.length, o + 1);
    o += 5;
    if (compressed) {
      out.writeUInt32LE(b.uncompressedLength!, o);
      o += 4;
    }
    if (out.write(b.id, o, 'hex') !== 32) throw new FormatError(`invalid blob id ${b.id}`);
    o += 32;
  }
  return out;
}

/** The pack's tail: encrypted header followed by its u32le length. Append it after the last blob. */
export function sealPackHeader(
  key: MasterKey,
  blobs: readonly Pick<PackedBlob, 'type' | 'id' | 'length' | 'uncompressedLength'>[],
): Buffer {
  const enc = encrypt(key, encodePackHeader(blobs));
  const out = Buffer.allocUnsafe(enc.length + 4);
  enc.copy(out, 0);
  out.writeUInt32LE(enc.length, enc.length);
  return out;
}

/** Parses a decrypted header into blobs with their offsets. Throws {@link FormatError} on a malformed header. */
export function decodePackHeader(plain: Buffer): PackedBlob[] {
  const out: PackedBlob[] = [];
  let o = 0;
  let offset = 0;
  while (o < plain.length) {
    const t = plain[o]!;
    if (t > 3) throw new FormatError(`pack header: invalid blob type ${t}`);
    const compressed = t >= 2;
    const need = compressed ? COMPRESSED_ENTRY_SIZE : ENTRY_SIZE;
    if (o + need > plain.length) throw new FormatError('pack header: truncated entry');
    const length = plain.readUInt32LE(o + 1);
    const b: PackedBlob = { type: t & 1 ? 'tree' : 'data', id: '', offset, length };
    if (compressed) b.uncompressedLength = plain.readUInt32LE(o + 5);
    b.id = plain.toString('hex', o + need - 32, o + need);
    if (length < CRYPTO_OVERHEAD) throw new FormatError(`pack header: blob ${b.id} too short (${length})`);
    out.push(b);
    offset += length;
    o += need;
  }
  return out;
}

/** The size a pack must have for these blobs (as restic check computes it from the index). */
export function packSize(blobs: readonly Pick<PackedBlob, 'length' | 'uncompressedLength'>[]): number {
  let n = 4 + CRYPTO_OVERHEAD;
  for (const b of blobs) n += b.length + entrySize(b);
  return n;
}

/** Decrypts and parses the header of a pack held in memory. */
export function parsePack(key: MasterKey, pack: Buffer): PackedBlob[] {
  if (pack.length < 4 + CRYPTO_OVERHEAD) throw new FormatError(`pack too short (${pack.length} bytes)`);
  const hlen = pack.readUInt32LE(pack.length - 4);
  if (hlen > MAX_HEADER_SIZE || hlen + 4 > pack.length || hlen < CRYPTO_OVERHEAD)
    throw new FormatError(`pack header length ${hlen} invalid for a pack of ${pack.length} bytes`);
  const blobs = decodePackHeader(decrypt(key, pack.subarray(pack.length - 4 - hlen, pack.length - 4)));
  checkBlobsFit(blobs, pack.length - 4 - hlen);
  return blobs;
}

function checkBlobsFit(blobs: PackedBlob[], dataEnd: number): void {
  const last = blobs[blobs.length - 1];
  if (last && last.offset + last.length !== dataEnd)
    throw new FormatError(
      `pack header describes ${last.offset + last.length} bytes of blobs, pack holds ${dataEnd}`,
    );
}

/** Reads and parses a stored pack's header with ranged reads (no need to load the pack). `size` saves a stat. */
export async function readPackHeader(
  backend: Backend,
  key: MasterKey,
  packId: string,
  size?: number,
): Promise<PackedBlob[]> {
  const h = { type: 'pack', name: packId } as const;
  const total = size ?? (await backend.stat(h)).size;
  if (total < 4 + CRYPTO_OVERHEAD) throw new FormatError(`pack ${packId} too short (${total} bytes)`);
  const eager = Math.min(total, 4 + CRYPTO_OVERHEAD + EAGER_ENTRIES * COMPRESSED_ENTRY_SIZE);
  let tail = await backend.load(h, total - eager, eager);
  const hlen = tail.readUInt32LE(tail.length - 4);
  if (hlen > MAX_HEADER_SIZE || hlen + 4 > total || hlen < CRYPTO_OVERHEAD)
    throw new FormatError(`pack ${packId}: header length ${hlen} invalid for a pack of ${total} bytes`);
  if (hlen + 4 > tail.length) tail = await backend.load(h, total - 4 - hlen, hlen + 4);
  const enc = tail.subarray(tail.length - 4 - hlen, tail.length - 4);
  const blobs = decodePackHeader(decrypt(key, enc));
  checkBlobsFit(blobs, total - 4 - hlen);
  return blobs;
}
